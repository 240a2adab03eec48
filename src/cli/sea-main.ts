/**
 * Entry point of the single executable (`eck-airgap-<version>-linux-x64`, built by `npm run release`): a Node.js
 * single executable application whose main script is this file, bundled as one CommonJS script (single executables
 * load no files, so every command is inlined). Built with `useSnapshot`, the executable starts from a heap in which
 * the whole CLI is already loaded and a render has run (see scripts/release.mjs for the measurement); built
 * without it, this file simply runs the CLI.
 */
import { startupSnapshot } from 'node:v8';
import { settingsFrom } from '../config/load-settings.js';
import { renderStream } from '../render/render-stream.js';
import sample from '../../scripts/build/snapshot-check.yaml';
import { finish, run } from './program.js';

function main(): void {
  // In a single executable, process.argv is [executable, executable, arguments…]: commander wants a script name
  // in second place, and the name users see in messages is eck-airgap.
  void run([process.execPath, 'eck-airgap', ...process.argv.slice(2)]).then(finish);
}

if (startupSnapshot.isBuildingSnapshot()) {
  // Render a sample stream a few times before the heap is saved, so the functions a render runs are compiled
  // already (a render runs once per process).
  const settings = settingsFrom({ flags: { registry: 'warm.example:5000', pullSecret: ['warm'] }, env: {}, cwd: '/', requireRegistry: true });
  for (let i = 0; i < 5; i++) renderStream([{ text: sample }], settings);
  startupSnapshot.setDeserializeMainFunction(main);
} else {
  main();
}
