// `eck-airgap version`: eck-airgap's version, the Node.js it runs on, and the ECK operator releases it knows, read
// from the kind table (src/eck/kinds.ts KNOWN_RELEASES, RELEASE_LINES), never written down twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_RELEASES, NEWEST_KNOWN_RELEASE, RELEASE_LINES } from '../../src/eck/kinds.js';
import { nodeSupportNote, unreleasedLines } from '../../src/commands/version.js';
import { repoRoot, runCli } from '../support/cli.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
};
const version = pkg.version;
const minimumNode = Number(/^>=(\d+)$/.exec(pkg.engines.node)![1]);
const pinnedNode = /PINNED_NODE_VERSION = '([\d.]+)'/.exec(
  readFileSync(join(repoRoot, 'scripts/pinned-node.mjs'), 'utf8'),
)![1];

describe('eck-airgap version', () => {
  it('prints the version, the Node.js it runs on and the first and last known operator release', async () => {
    const result = await runCli(['version']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`eck-airgap ${version}`);
    const node = /^Node\.js v(\d+)\.\d+\.\d+ \((LTS [A-Z][a-z]+|not an LTS release)\) linux-x64(.*)$/.exec(lines[1]!);
    expect(node, lines[1]).not.toBeNull();
    // below package.json's engines the line says so (the CLI still runs); at or above it says nothing more
    if (Number(node![1]) < minimumNode) {
      expect(node![3]).toMatch(/^ — (end of life since \d{4}-\d\d-\d\d, )?unsupported; eck-airgap supports Node\.js /);
      expect(node![3]).toContain(
        `supports Node.js ${minimumNode} or later; the single executable carries Node.js ${pinnedNode}`,
      );
    } else expect(node![3]).toBe('');
    expect(lines[2]).toBe(
      `ECK operator releases known: ${KNOWN_RELEASES[0]} to ${NEWEST_KNOWN_RELEASE} (${KNOWN_RELEASES.length} releases)`,
    );
    const unreleased = unreleasedLines();
    if (unreleased.length === 0) expect(lines[3]).toBe('unreleased ECK release line: none');
    else
      expect(lines[3]).toBe(
        `unreleased ECK release line: ${unreleased.map((from) => `${from} (rules from ECK's main branch)`).join(', ')}`,
      );
    expect(lines[4]).toBe('');
    expect(lines).toHaveLength(5);
  });

  it('names as unreleased exactly the release lines that start past the newest known release', () => {
    const newest = NEWEST_KNOWN_RELEASE.split('.').map(Number);
    const past = RELEASE_LINES.map((line) => line.from).filter((from) => {
      const v = from.split('.').map(Number);
      return (
        v[0]! > newest[0]! || (v[0] === newest[0] && (v[1]! > newest[1]! || (v[1] === newest[1] && v[2]! > newest[2]!)))
      );
    });
    expect(unreleasedLines()).toEqual(past);
    // every released line starts at a known release (the table's own invariant this relies on)
    for (const line of RELEASE_LINES) if (!past.includes(line.from)) expect(KNOWN_RELEASES).toContain(line.from);
  });

  it('names Node.js 20 as end of life and unsupported, with what is supported and what the executable carries', () => {
    // the unit under the report line above, for the Node.js this machine may not run (package.json engines >=22)
    expect(nodeSupportNote('v20.20.2', '>=22', '24.22.3')).toBe(
      ' — end of life since 2026-04-30, unsupported; eck-airgap supports Node.js 22 or later; the single executable carries Node.js 24.22.3',
    );
    expect(nodeSupportNote('v23.1.0', '>=22', '24.22.3')).toBe('');
    expect(nodeSupportNote('v24.22.3', '>=22', '24.22.3')).toBe('');
  });

  it('keeps --version to the bare version (scripts parse it), whatever Node.js runs it', async () => {
    const result = await runCli(['--version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('is listed in --help', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/^ {2}version +print eck-airgap's version/m);
  });
});
