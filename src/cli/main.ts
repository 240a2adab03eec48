/** Entry point of the bundled CLI (`dist/eck-airgap.mjs`). */
import { run } from './program.js';

await run(process.argv);
