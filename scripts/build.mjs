// Builds the CLI into dist/ (see README, "Performance"):
// - dist/eck-airgap.mjs: the CLI bundled as ES modules, one lazily loaded chunk per rarely used command;
// - dist/eck-airgap.blob: a start-up snapshot of the same CLI (Node deserializes a heap with every module already
//   loaded), with dist/eck-airgap.blob.node naming the node it was built for. The launcher ./eck-airgap uses the
//   snapshot only with that node, and the bundle otherwise. The snapshot is checked against the bundle on a sample
//   stream before it is kept; if this node cannot build or run it, the bundle alone is used.
// Builds into a fresh folder and swaps it in, so a running CLI never sees half a build.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { build } from 'esbuild';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const next = `dist.next-${process.pid}`;
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  define: { ECK_AIRGAP_VERSION: JSON.stringify(version) },
  // yaml's ES module build (the same code as its CommonJS one): bundled without CommonJS interop getters on
  // every call, which a profile showed on the hot path.
  alias: { yaml: resolve('node_modules/yaml/browser/index.js') },
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

await build({
  ...common,
  entryPoints: ['src/cli/snapshot-main.ts'],
  outfile: join(next, 'snapshot-entry.cjs'),
  format: 'cjs',
  loader: { '.yaml': 'text' },
});

function run(args, input) {
  return execFileSync(process.execPath, args, { input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).toString();
}

/** The `node` a shell finds on PATH (outside node_modules/.bin), as the launcher's `command -v node` names it. */
function nodesOnPath() {
  const found = [];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    try {
      if (realpathSync(candidate) === realpathSync(process.execPath)) found.push(candidate);
    } catch {}
    if (found.length > 0) break;
  }
  return found;
}

function buildSnapshot() {
  const blob = join(next, 'eck-airgap.blob');
  try {
    run(['--snapshot-blob', blob, '--build-snapshot', join(next, 'snapshot-entry.cjs')]);
    const sample = readFileSync('scripts/build/snapshot-check.yaml', 'utf8');
    const args = ['--registry', 'snapshot.check.example:5000', '--pull-secret', 'regcred'];
    const fromBundle = run([join(next, 'eck-airgap.mjs'), ...args], sample);
    const fromSnapshot = run(['--snapshot-blob', blob, '--', ...args], sample);
    if (fromBundle !== fromSnapshot || !fromBundle.includes('snapshot.check.example:5000/')) {
      throw new Error('the snapshot renders differently from the bundle');
    }
    writeFileSync(`${blob}.node`, [...new Set([process.execPath, ...nodesOnPath()])].join('\n') + '\n');
  } catch (error) {
    rmSync(blob, { force: true });
    const why = error.stderr?.toString().trim().split('\n')[0] || error.message;
    console.warn(`eck-airgap build: no start-up snapshot with this node (${why}); the launcher uses the bundle.`);
  }
}

buildSnapshot();

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(next, 'dist');
rmSync(old, { recursive: true, force: true });
