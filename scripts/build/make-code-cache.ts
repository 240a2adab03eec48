/**
 * Build step (bundled and run by scripts/build.mjs, not shipped): loads the CLI bundle without a cache, renders
 * stdin with the given arguments (stdout as usual), then saves the V8 code cache with every function that render
 * compiled. Usage: node make-code-cache.cjs <cli.js> <cache file> -- <render arguments…>
 */
import { loadCli, writeCodeCache } from '../../src/cli/code-cache.js';

const [file, cacheFile, separator, ...args] = process.argv.slice(2);
if (!file || !cacheFile || separator !== '--') throw new Error('usage: make-code-cache <cli.js> <cache file> -- <arguments…>');
const cli = loadCli(file);
void cli.run(['node', 'eck-airgap', ...args]).then(() => {
  if (process.exitCode) throw new Error(`the sample render failed (exit ${process.exitCode})`);
  writeCodeCache(cli, cacheFile);
});
