// Builds the CLI into dist/ (see docs/performance.md, "Start-up"):
// - dist/eck-airgap.mjs: the CLI bundled as ES modules, one lazily loaded chunk per command; a standalone bundle
//   (`node dist/eck-airgap.mjs`), the one to package elsewhere;
// - dist/cli/*.js: the same CLI as CommonJS chunks (the same split), each stored wrapped in Node's module function,
//   its last line a stamp of its content; those every render loads packed into one script, dist/cli/core.js;
//   dist/cli/*.js.cache: their V8 code caches, saved after rendering a sample stream (chunks the sample does not
//   load have none);
// - dist/eck-airgap.cjs: the small entry the launcher ./eck-airgap runs: `--version` at once, else the CommonJS
//   chunks, each compiled with its cache when this node can use it.
// The CommonJS CLI must render the sample stream exactly as the ES module bundle does, or the build fails.
// Builds into a fresh folder and swaps it in, so a running CLI never sees half a build.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build, transform } from 'esbuild';
import { PINNED_NODE_VERSION } from './pinned-node.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const version = pkg.version;
const next = `dist.next-${process.pid}`;

/**
 * commander requires node:child_process at load, for executable subcommands this CLI does not have; loading it
 * costs a dozen Node internals (child_process, net, dgram, streams) on every run. Give commander a stand-in that
 * loads the real module on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'lazy' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = { get spawn() { return require('node:child_process').spawn; } };",
      loader: 'js',
    }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  minify: true,
  legalComments: 'none',
  define: {
    ECK_AIRGAP_VERSION: JSON.stringify(version),
    // `eck-airgap version` names a Node.js below package.json's `engines` as unsupported, and the one the single
    // executable carries
    ECK_AIRGAP_NODE_ENGINES: JSON.stringify(pkg.engines.node),
    ECK_AIRGAP_PINNED_NODE: JSON.stringify(PINNED_NODE_VERSION),
  },
  // yaml's ES module build (the same code as its CommonJS one): bundled without CommonJS interop getters on
  // every call, which a profile showed on the hot path.
  alias: { yaml: resolve('node_modules/yaml/browser/index.js') },
  plugins: [lazyChildProcess],
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { 'eck-airgap': 'src/cli/main.ts' },
  outdir: next,
  outExtension: { '.js': '.mjs' },
  splitting: true,
  format: 'esm',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

// The CLI as CommonJS chunks for the launcher: esbuild splits it as ES modules (a chunk per lazily loaded command and
// per set of modules they share), then each chunk becomes a CommonJS module (its imports `require('./chunk….mjs')`,
// which code-cache.ts resolves to the chunk beside it; import() becomes require() too: a script compiled by
// node:vm has no loader for import()), wrapped in Node's module function as code-cache.ts expects it (WRAPPER_HEAD
// there), its last line a stamp of its content.
const cliDir = join(next, 'cli');
const split = await build({
  ...common,
  entryPoints: { program: 'src/cli/program.ts' },
  outdir: cliDir,
  outExtension: { '.js': '.mjs' },
  splitting: true,
  format: 'esm',
  write: false,
});
mkdirSync(cliDir, { recursive: true });
for (const chunk of split.outputFiles) {
  const { code } = await transform(chunk.text, {
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    minify: true,
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
  const text = `(function (exports, require, module, __filename, __dirname) {${code}})\n`;
  const stamp = createHash('sha256').update(text).digest('hex').slice(0, 32);
  writeFileSync(join(cliDir, basename(chunk.path).replace(/\.mjs$/, '.js')), `${text}//# eck-airgap-build ${stamp}\n`);
}
await build({ ...common, entryPoints: ['src/cli/start.ts'], outfile: join(next, 'eck-airgap.cjs'), format: 'cjs' });

// The core pack: the chunks a render of an empty stream loads (what every run of the post-renderer loads), as
// found by running it, packed into one script (code-cache.ts, CORE_PACK) and removed as files.
{
  const { corePackText } = await loadCodeCacheModule();
  const empty = spawnSync(
    process.execPath,
    [join(next, 'eck-airgap.cjs'), '--registry', 'sample.check.example:5000', '-q'],
    { input: '', env: { ...process.env, ECK_AIRGAP_DEBUG: 'chunks' } },
  );
  const loaded = /chunks loaded: (.*)/.exec(empty.stderr.toString())?.[1]?.split(', ');
  if (empty.status !== 0 || !loaded?.includes('program.js'))
    throw new Error(`could not tell which chunks an empty render loads: ${empty.stderr}`);
  const chunks = loaded.map((name) => ({ name, text: readFileSync(join(cliDir, name), 'latin1') }));
  const text = corePackText(chunks);
  const stamp = createHash('sha256').update(text).digest('hex').slice(0, 32);
  writeFileSync(join(cliDir, 'core.js'), `${text}//# eck-airgap-build ${stamp}\n`);
  for (const { name } of chunks) rmSync(join(cliDir, name));
}

/** src/cli/code-cache.ts, bundled for this script. */
async function loadCodeCacheModule() {
  const out = join(next, 'code-cache-for-build.cjs');
  await build({ ...common, entryPoints: ['src/cli/code-cache.ts'], outfile: out, format: 'cjs' });
  const { createRequire } = await import('node:module');
  const loaded = createRequire(import.meta.url)(resolve(out));
  rmSync(out);
  return loaded;
}

function run(args, input, env = process.env) {
  const child = spawnSync(process.execPath, args, { input, env, maxBuffer: 64 << 20 });
  if (child.status !== 0)
    throw new Error(
      `node ${args.join(' ')} failed (exit ${child.status ?? child.signal}): ${child.stderr?.toString().trim().split('\n')[0]}`,
    );
  return { stdout: child.stdout.toString(), stderr: child.stderr.toString() };
}

/**
 * Saves the code cache after a sample render, and checks that the CommonJS CLI, with and without it, renders the
 * sample exactly as the ES module bundle does. Without a usable cache the launcher still works (compiling from
 * source), so a cache this node will not take is a warning; a different rendering fails the build.
 */
async function buildCodeCache() {
  const maker = join(next, 'make-code-cache.cjs');
  await build({ ...common, entryPoints: ['scripts/build/make-code-cache.ts'], outfile: maker, format: 'cjs' });
  const sample = readFileSync('scripts/build/snapshot-check.yaml', 'utf8');
  const args = ['--registry', 'sample.check.example:5000', '--image-pull-secret', 'regcred'];
  try {
    const fromBundle = run([join(next, 'eck-airgap.mjs'), ...args], sample).stdout;
    if (!fromBundle.includes('sample.check.example:5000/'))
      throw new Error('the ES module bundle did not render the sample');
    const noCache = run([join(next, 'eck-airgap.cjs'), ...args], sample).stdout; // no caches yet: compiled from source
    const whileCaching = run([maker, cliDir, '--', ...args], sample).stdout;
    const cached = run([join(next, 'eck-airgap.cjs'), ...args], sample, { ...process.env, ECK_AIRGAP_DEBUG: '1' });
    if (noCache !== fromBundle || whileCaching !== fromBundle || cached.stdout !== fromBundle) {
      throw new Error('the CommonJS CLI renders the sample differently from the ES module bundle');
    }
    const note = cached.stderr.match(/code cache .*/)?.[0];
    if (note)
      console.warn(
        `eck-airgap build: ${note}: this node does not take the code cache it made; the launcher compiles the CLI on each run.`,
      );
    if (!existsSync(join(cliDir, 'core.js.cache'))) throw new Error('no code cache was written for dist/cli/core.js');
  } finally {
    rmSync(maker, { force: true });
  }
}

try {
  await buildCodeCache();
} catch (error) {
  if (!process.env.ECK_AIRGAP_KEEP_FAILED_BUILD) rmSync(next, { recursive: true, force: true });
  console.error(`eck-airgap build: ${error.message}`);
  process.exit(1);
}

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(next, 'dist');
rmSync(old, { recursive: true, force: true });
