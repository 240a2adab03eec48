/**
 * Entry point of the bundled CLI as ES modules (`dist/eck-airgap.mjs`, a standalone bundle). The launcher
 * `./eck-airgap` runs the CommonJS build of the same CLI instead (`start.ts`), for its V8 code cache.
 */
import { isVersionOnly, writeVersion } from './version.js';

if (!(isVersionOnly(process.argv.slice(2)) && writeVersion())) {
  const { run, finish } = await import('./program.js');
  await run(process.argv);
  await finish();
}
