/**
 * Entry point of the start-up snapshot (`dist/eck-airgap.blob`, built by `npm run build`): Node deserializes a heap
 * in which every module of the CLI is already loaded, instead of loading and compiling them on each run. The
 * launcher `./eck-airgap` uses it when it was built by the same `node`, and falls back to `dist/eck-airgap.mjs`.
 */
import { startupSnapshot } from 'node:v8';
import { run } from './program.js';

startupSnapshot.setDeserializeMainFunction(() => {
  // Run from a snapshot, process.argv is [node, ...arguments]: put the script name back for commander.
  const [node, ...args] = process.argv;
  void run([node ?? 'node', 'eck-airgap', ...args]);
});
