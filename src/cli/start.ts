/**
 * Entry point the launcher `./eck-airgap` runs (`dist/eck-airgap.cjs`, CommonJS): answers `--version` alone at
 * once, else loads the CLI's CommonJS chunks from `dist/cli/` with their V8 code caches (see code-cache.ts) and
 * runs it. With ECK_AIRGAP_DEBUG set, says on exit which chunks were compiled without their cache, and why (and,
 * with ECK_AIRGAP_DEBUG=chunks, which chunks were loaded).
 */
import { writeSync } from 'node:fs';
import { isVersionOnly, writeVersion } from './version.js';

if (!(isVersionOnly(process.argv.slice(2)) && writeVersion())) {
  void import('./code-cache.js').then(({ loadCli }) => {
    const cli = loadCli(`${__dirname}/cli`, require);
    if (process.env.ECK_AIRGAP_DEBUG) {
      process.on('exit', () => {
        const say = (text: string): void => {
          try {
            writeSync(2, text);
          } catch {
            // stderr is gone
          }
        };
        if (process.env.ECK_AIRGAP_DEBUG === 'chunks') say(`eck-airgap: debug: chunks loaded: ${cli.loadedModules().join(', ')}\n`);
        for (const [name, chunk] of cli.chunks) {
          if (chunk.codeCache === 'used') continue;
          say(`eck-airgap: debug: code cache ${chunk.codeCache} (dist/cli/${name}.cache); compiled from source\n`);
        }
      });
    }
    return cli.run(process.argv).then(cli.finish);
  });
}
