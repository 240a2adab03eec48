// Bundles the CLI into ES modules (one entry, lazily loaded chunks per command) so that start-up loads little
// (see README, "Performance"). Builds into a fresh folder and swaps it in, so a running CLI never sees half a build.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const next = `dist.next-${process.pid}`;

await build({
  entryPoints: { 'eck-airgap': 'src/cli/main.ts' },
  outdir: next,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  define: { ECK_AIRGAP_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(next, 'dist');
rmSync(old, { recursive: true, force: true });
