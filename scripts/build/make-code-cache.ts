/**
 * Build step (bundled and run by scripts/build.mjs, not shipped): loads the CLI's chunks without caches, renders
 * stdin with the given arguments (stdout as usual), then saves the V8 code cache of every chunk the render loaded,
 * with every function it compiled. Usage: node make-code-cache.cjs <dist/cli folder> -- <render arguments…>
 */
import { loadCli, writeCodeCaches } from '../../src/cli/code-cache.js';

const [dir, separator, ...args] = process.argv.slice(2);
if (!dir || separator !== '--') throw new Error('usage: make-code-cache <dist/cli folder> -- <arguments…>');
const cli = loadCli(dir, require); // bundled as CommonJS by scripts/build.mjs
void cli.run(['node', 'eck-airgap', ...args]).then(() => {
  if (process.exitCode) throw new Error(`the sample render failed (exit ${process.exitCode})`);
  writeCodeCaches(cli);
});
