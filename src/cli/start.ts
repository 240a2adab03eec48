/**
 * Entry point the launcher `./eck-airgap` runs (`dist/eck-airgap.cjs`, CommonJS): answers `--version` alone at
 * once, else loads the CLI bundle with its V8 code cache (see code-cache.ts) and runs it.
 */
import { isVersionOnly, writeVersion } from './version.js';

if (!(isVersionOnly(process.argv.slice(2)) && writeVersion())) {
  void import('./code-cache.js').then(({ loadCli }) => {
    const file = `${__dirname}/eck-airgap-cli.js`;
    const cli = loadCli(file, `${file}.cache`);
    if (cli.codeCache !== 'used' && process.env.ECK_AIRGAP_DEBUG) {
      process.stderr.write(`eck-airgap: debug: code cache ${cli.codeCache} (${file}.cache); compiled from source\n`);
    }
    return cli.run(process.argv);
  });
}
