// Hostile input through the real CLI: every case ends with the contract holding (exit 0 with a complete stream,
// or exit 1 with nothing on stdout and one message saying where) — never a stack trace, a stack overflow, an
// out-of-memory crash or a hang. Time and memory bounds live in `npm run fuzz`, not here.
import { describe, expect, it } from 'vitest';
import { deployment, rejects, renderChecked, renders } from './cli-contract.js';

const ES = 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3';
const MOVED = 'mirror.example:5000/elasticsearch/elasticsearch:8.15.3';

/** Billion laughs: 9 levels of 9 aliases each, 9^9 nodes once expanded. */
function aliasBomb(kind: string): string {
  const lines = [
    'apiVersion: v1',
    `kind: ${kind}`,
    'metadata: {name: lol}',
    'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ];
  for (let i = 1; i <= 9; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

/** The same with merge keys: each mapping merges nine copies of the previous one (9^11 paths to search). */
function mergeKeyBomb(withContainers: boolean): string {
  const lines = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: merge-bomb}', 'm0: &m0 {z: 1}'];
  for (let i = 1; i <= 11; i++)
    lines.push(
      `m${i}: &m${i} {<<: [${Array(9)
        .fill(`*m${i - 1}`)
        .join(', ')}]}`,
    );
  lines.push('spec:', '  <<: *m11');
  if (withContainers)
    lines.push('  template:', '    spec:', '      containers:', '        - name: c', `          image: ${ES}`);
  return `${lines.join('\n')}\n`;
}

describe('alias bombs', () => {
  it('in a document render reads: no expansion, the image beside it is moved', async () => {
    const bomb = aliasBomb('Pod').replace(
      'metadata: {name: lol}',
      `metadata: {name: lol}\nspec: {containers: [{name: c, image: ${ES}}]}`,
    );
    expect(await renders(bomb)).toBe(bomb.replace(ES, MOVED));
  });

  it('in a document render does not read: passed on as it came', async () => {
    const bomb = aliasBomb('Service');
    expect(await renders(`${bomb}---\n${deployment('d', ES)}`)).toBe(`${bomb}---\n${deployment('d', MOVED)}`);
  });

  it('as a kind: List whose items are the bomb', async () => {
    const list = `${aliasBomb('List')}items: *a9\n`;
    const run = await renderChecked(list);
    expect([0, 1]).toContain(run.exitCode);
  });

  it('through merge keys, with the containers beside them: the image is moved', async () => {
    const input = mergeKeyBomb(true);
    expect(await renders(input)).toBe(input.replace(ES, MOVED));
  });

  it('through merge keys, where the lookup for the pod template finds nothing: ends (no exponential search)', async () => {
    const run = await renderChecked(mergeKeyBomb(false), undefined, 20_000);
    expect([0, 1]).toContain(run.exitCode);
  });
});

describe('very deep nesting', () => {
  it('100,000 `[` in a document render reads: exit 1, "nested too deeply"', async () => {
    const input = `apiVersion: v1\nkind: List\nitems: ${'['.repeat(100_000)}\n`;
    expect(await rejects(input)).toMatch(/document 1, line 3.*nested too deeply/);
  });

  it('100,000 `{` in a document render does not read: passed on as it came', async () => {
    const inert = `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nx: ${'{'.repeat(100_000)}\n`;
    expect(await renders(inert)).toBe(inert);
  });

  it('5,000 levels of block mappings in a workload: exit 1, "nested too deeply"', async () => {
    let input = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n';
    for (let i = 1; i <= 5000; i++) input += `${' '.repeat(i)}a:\n`;
    expect(await rejects(input)).toMatch(/nested too deeply/);
  });
});

// The 30 MB single document and the 100 MB stream moved to `npm run fuzz -- --stress` (scripts/fuzz/stress.mjs):
// ~32 s of every run, and size belongs to the bench and fuzz runs.

describe('malformed content', () => {
  it('a duplicate key in a document render reads: exit 1, naming the key and line', async () => {
    const input = deployment('d', ES).replace('kind: Deployment\n', 'kind: Deployment\nkind: Deployment\n');
    expect(await rejects(input)).toMatch(/document 1, line 3.*"kind" appears twice/);
  });

  it('a duplicate key in a document render does not read: passed on as it came', async () => {
    const inert = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n';
    expect(await renders(inert)).toBe(inert);
  });

  it('invalid UTF-8 anywhere: exit 1, naming the line and byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${deployment('d', ES)}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: `),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n'),
    ]);
    expect(await rejects(bytes)).toMatch(/stdin, line 15 \(byte \d+\).*not valid UTF-8/);
  });

  it('a NUL byte in a document render reads: exit 1, naming line and column', async () => {
    const input = deployment('d', ES).replace('name: main', 'name: ma\u0000in');
    expect(await rejects(input)).toMatch(/document 1, line 9, column \d+: .*U\+0000/);
  });

  it('a NUL byte in a document render does not read: passed on as it came', async () => {
    const inert = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\u0000\n';
    expect(await renders(`${inert}---\n${deployment('d', ES)}`)).toBe(`${inert}---\n${deployment('d', MOVED)}`);
  });

  it('binary garbage: exit 1 without a stack trace', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    await rejects(bytes);
  });
});
