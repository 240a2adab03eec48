// The release files (`npm run release -- --out DIR`), built ONCE per change of their inputs and shared by every test
// file that needs them: the build takes a minute (the single executable is a copy of node with the CLI injected),
// so it is cached under .cache/release/<hash of the inputs>/, with a lock folder so test files running in
// parallel wait for one build instead of starting their own. The release is signed with a throwaway GnuPG key made
// for it (Debian's gnupg: gpg --quick-gen-key), whose public keyring the tests install with.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './helm.js';
import { cleanEnv } from './cli.js';

export const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;
export const signingKeyName = 'eck-airgap test release';

export interface Release {
  /** The --out folder. */
  dir: string;
  npmPackage: string;
  executable: string;
  helmPlugin: string;
  provenance: string;
  sums: string;
  /** SHA256SUMS's detached signature (gpg --verify SHA256SUMS.asc SHA256SUMS). */
  sumsSignature: string;
  /** The public keyring holding the key the Helm plugin was signed with. */
  pubring: string;
}

/** The files the release is built from (what a fresh clone has), hashed into the cache key. */
function inputs(): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else {
      files.push(path);
    }
  };
  for (const path of [
    'src',
    'scripts',
    'argocd',
    'eck-airgap',
    'plugin.yaml',
    'README.md',
    'package.json',
    'package-lock.json',
  ]) {
    if (existsSync(join(repoRoot, path))) walk(join(repoRoot, path));
  }
  return files;
}

function cacheKey(): string {
  const hash = createHash('sha256').update(process.version);
  for (const file of inputs())
    hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

function releaseIn(dir: string): Release {
  const out = join(dir, 'out');
  const helmPlugin = join(out, `eck-airgap-helm-plugin-${version}.tgz`);
  return {
    dir: out,
    npmPackage: join(out, `eck-airgap-${version}.tgz`),
    executable: join(out, `eck-airgap-${version}-linux-x64`),
    helmPlugin,
    provenance: `${helmPlugin}.prov`,
    sums: join(out, 'SHA256SUMS'),
    sumsSignature: join(out, 'SHA256SUMS.asc'),
    pubring: join(dir, 'keys', 'pubring.gpg'),
  };
}

/** A throwaway signing key: its secret keyring (what ECK_AIRGAP_SIGN_KEYRING names) and public keyring. */
async function makeKey(keys: string): Promise<{ secring: string; pubring: string }> {
  mkdirSync(keys, { recursive: true });
  // GnuPG's agent socket lives in GNUPGHOME: keep the path short.
  const gnupg = mkdtempSync(join(tmpdir(), 'eck-gpg-'));
  const env = cleanEnv({ GNUPGHOME: gnupg });
  try {
    await execa(
      'gpg',
      [
        '--batch',
        '--passphrase',
        '',
        '--quick-gen-key',
        `${signingKeyName} <release@example.invalid>`,
        'rsa3072',
        'sign',
        'never',
      ],
      { env, extendEnv: false },
    );
    const secring = join(keys, 'secring.gpg');
    const pubring = join(keys, 'pubring.gpg');
    writeFileSync(
      secring,
      Buffer.from(
        (await execa('gpg', ['--batch', '--export-secret-keys'], { env, extendEnv: false, encoding: 'buffer' })).stdout,
      ),
    );
    writeFileSync(
      pubring,
      Buffer.from((await execa('gpg', ['--batch', '--export'], { env, extendEnv: false, encoding: 'buffer' })).stdout),
    );
    return { secring, pubring };
  } finally {
    await execa('gpgconf', ['--kill', 'gpg-agent'], { env, extendEnv: false, reject: false });
    rmSync(gnupg, { recursive: true, force: true });
  }
}

async function build(dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  const { secring } = await makeKey(join(dir, 'keys'));
  const result = await execa(process.execPath, [join(repoRoot, 'scripts', 'release.mjs'), '--out', join(dir, 'out')], {
    cwd: repoRoot,
    env: cleanEnv({ ECK_AIRGAP_SIGN_KEY: signingKeyName, ECK_AIRGAP_SIGN_KEYRING: secring }),
    extendEnv: false,
    reject: false,
  });
  if (result.exitCode !== 0) throw new Error(`npm run release failed (exit ${result.exitCode}):\n${result.stderr}`);
  writeFileSync(join(dir, 'done'), `${result.stdout}`);
}

/** Builds the release unless this version of the inputs was built already; returns its files. */
export async function release(): Promise<Release> {
  const cache = join(repoRoot, '.cache', 'release');
  const dir = join(cache, cacheKey());
  const lock = `${dir}.lock`;
  mkdirSync(cache, { recursive: true });
  for (;;) {
    if (existsSync(join(dir, 'done'))) return releaseIn(dir);
    try {
      mkdirSync(lock);
    } catch {
      // Another test file is building it: wait (a lock older than 15 minutes is left over from a killed run).
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {}
      await sleep(1000);
      continue;
    }
    try {
      // Older builds go (each is a few hundred MB); builds under way keep their lock and stay.
      for (const name of readdirSync(cache)) {
        const path = join(cache, name);
        if (path !== dir && path !== lock && !name.endsWith('.lock') && !existsSync(`${path}.lock`))
          rmSync(path, { recursive: true, force: true });
      }
      if (!existsSync(join(dir, 'done'))) await build(dir);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/**
 * A PATH holding only the named programs (symlinks in a fresh folder): what a site without Node.js has.
 * Asserts nothing called node is reachable through it.
 */
export function pathWithout(programs: Record<string, string>): { path: string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-path-'));
  for (const [name, target] of Object.entries(programs)) symlinkSync(target, join(dir, name));
  if (existsSync(join(dir, 'node'))) throw new Error('node must not be on this PATH');
  return { path: dir, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
