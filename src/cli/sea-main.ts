/**
 * Entry point of the single executable (`eck-airgap-<version>-linux-x64`, built by `npm run release`): a Node.js
 * single executable application whose main script is this file, bundled as one CommonJS script. It carries the
 * CLI's CommonJS chunks and their V8 code caches from the build (dist/cli) as assets (`cli/<file>`, read in place
 * with node:sea's getRawAsset), and loads them exactly as the launcher loads dist/cli (code-cache.ts): only the
 * chunks a command needs, each with its cache. The caches were made by the node the executable is a copy of, so
 * V8 takes them.
 */
import { getRawAsset } from 'node:sea';
import { debugOnExit, loadCli, type ChunkFiles } from './code-cache.js';
import { isVersionOnly, writeVersion } from './version.js';

/** An asset of the executable, or undefined when it has none of that name. */
function asset(key: string): Buffer | undefined {
  try {
    const raw = getRawAsset(key);
    return typeof raw === 'string' ? Buffer.from(raw, 'latin1') : Buffer.from(raw);
  } catch {
    return undefined;
  }
}

const files: ChunkFiles = {
  text: (name) => asset(`cli/${name}`)?.toString('latin1'),
  cache: (name) => asset(`cli/${name}.cache`),
};

// In a single executable, process.argv is [executable, executable, arguments…]: commander wants a script name in
// second place, and the name users see in messages is eck-airgap.
const argv = [process.execPath, 'eck-airgap', ...process.argv.slice(2)];
if (!(isVersionOnly(argv.slice(2)) && writeVersion())) {
  const cli = loadCli('/eck-airgap/cli', require, files);
  debugOnExit(cli, 'the executable');
  void cli.run(argv).then(cli.finish);
}
