/**
 * Entry point the launcher `./eck-airgap` runs (`dist/eck-airgap.cjs`, CommonJS): answers `--version` alone at
 * once, else loads the CLI bundle with its V8 code cache (see code-cache.ts) and runs it. Without a cache this
 * node can use (none, one for another build, one made by another node), it runs the ES module bundle instead:
 * compiling only the chunks a command needs costs less than compiling the whole CommonJS CLI.
 */
import { pathToFileURL } from 'node:url';
import { isVersionOnly, writeVersion } from './version.js';

if (!(isVersionOnly(process.argv.slice(2)) && writeVersion())) {
  void import('./code-cache.js').then(({ loadCli }) => {
    const file = `${__dirname}/eck-airgap-cli.js`;
    const cli = loadCli(file, `${file}.cache`, { withoutCache: false });
    if (cli.codeCache !== 'used' && process.env.ECK_AIRGAP_DEBUG) {
      const then = cli.run ? 'compiled from source' : 'running dist/eck-airgap.mjs';
      process.stderr.write(`eck-airgap: debug: code cache ${cli.codeCache} (${file}.cache); ${then}\n`);
    }
    if (cli.run) return cli.run(process.argv);
    const bundle = pathToFileURL(`${__dirname}/eck-airgap.mjs`).href;
    return import(bundle);
  });
}
