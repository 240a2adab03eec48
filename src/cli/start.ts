/**
 * Entry point the launcher `./eck-airgap` runs (`dist/eck-airgap.cjs`, CommonJS): answers `--version` alone at
 * once, else loads the CLI's CommonJS chunks from `dist/cli/` with their V8 code caches (see code-cache.ts) and
 * runs it. With ECK_AIRGAP_DEBUG set, says on exit which chunks were compiled without their cache, and why (and,
 * with ECK_AIRGAP_DEBUG=chunks, which chunks were loaded).
 */
import { isVersionOnly, writeVersion } from './version.js';

if (!(isVersionOnly(process.argv.slice(2)) && writeVersion())) {
  void import('./code-cache.js').then(({ loadCli, debugOnExit }) => {
    const cli = loadCli(`${__dirname}/cli`, require);
    debugOnExit(cli, 'dist/cli');
    return cli.run(process.argv).then(cli.finish);
  });
}
