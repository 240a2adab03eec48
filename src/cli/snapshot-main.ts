/**
 * Entry point of the start-up snapshot (`dist/eck-airgap.blob`, built by `npm run build`): Node deserializes a heap
 * in which every module of the CLI is already loaded, instead of loading and compiling them on each run. The
 * launcher `./eck-airgap` uses it when it was built by the same `node`, and falls back to `dist/eck-airgap.mjs`.
 */
import { startupSnapshot } from 'node:v8';
import { loadSettings } from '../config/load-settings.js';
import { renderStream } from '../render/render-stream.js';
import sample from '../../scripts/build/snapshot-check.yaml';
import { run } from './program.js';

// Render a sample stream a few times before the heap is saved: the functions a render runs are then compiled
// already when the snapshot starts (a render runs once per process, so it would otherwise run them cold).
const settings = loadSettings({ flags: { registry: 'warm.example:5000', pullSecret: ['warm'] }, env: {}, cwd: '/', requireRegistry: true });
for (let i = 0; i < 5; i++) renderStream([{ text: sample }], settings);

startupSnapshot.setDeserializeMainFunction(() => {
  // Run from a snapshot, process.argv is [node, ...arguments]: put the script name back for commander.
  const [node, ...args] = process.argv;
  void run([node ?? 'node', 'eck-airgap', ...args]);
});
