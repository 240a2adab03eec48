// Issue 15: the cheap classifier must never skip a document it cannot decide. Every spelling of `kind` YAML allows
// is read: render moves the image, `check` fails on the raw stream (and lists the use), `images` lists it.
import { describe, expect, it } from 'vitest';
import { rejects, renders, runOn } from './cli-contract.js';

const ES = 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3';
const MOVED = 'mirror.example:5000/elasticsearch/elasticsearch:8.15.3';

function workload(kindLines: string, eol = '\n'): string {
  return [
    'apiVersion: apps/v1',
    kindLines,
    'metadata: {name: d, labels: {k: &k Deployment}}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: main',
    `          image: ${ES}`,
    '',
  ].join(eol);
}

const SPELLINGS: Record<string, string> = {
  'folded block scalar': 'kind: >-\n  Deployment',
  'literal block scalar': 'kind: |-\n  Deployment',
  'block scalar with an indentation indicator': 'kind: |2-\n  Deployment',
  'tag on the line': 'kind: !!str Deployment',
  'tag, value on the next line': 'kind: !!str\n  Deployment',
  'tag and value on the next line': 'kind:\n  !!str Deployment',
  'verbatim tag': 'kind: !<tag:yaml.org,2002:str> Deployment',
  'value on the next line': 'kind:\n  Deployment',
  alias: 'x-kind: &kind Deployment\nkind: *kind',
  'anchored value': 'kind: &a Deployment',
  'double-quoted key': '"kind": Deployment',
  'single-quoted key': "'kind': Deployment",
  'explicit key': '? kind\n: Deployment',
  'blank before the colon': 'kind : Deployment',
  'escaped line break in a double-quoted value': 'kind: "Deploy\\\n  ment"',
  'merge key': '<<: {kind: Deployment}',
};

describe('kind spellings the line scan cannot decide are read, never passed unread', () => {
  for (const [name, kindLines] of Object.entries(SPELLINGS)) {
    it(`${name}: render moves, check fails, images lists`, async () => {
      const input = workload(kindLines);
      expect(await renders(input)).toBe(input.replace(ES, MOVED));

      const check = await runOn(['check', '--registry', 'mirror.example:5000'], input);
      expect(check.stderr).toMatch(/check failed: 1 of 1 image uses/);
      expect(check.exitCode).toBe(1);
      expect(check.stdout.toString()).toContain(ES);

      const images = await runOn(['images', '--registry', 'mirror.example:5000', '-q'], input);
      expect(images.exitCode, images.stderr).toBe(0);
      expect(images.stdout.toString()).toContain(ES);
    });
  }

  it('an alias whose anchor comes later is malformed YAML (Kubernetes rejects it too): exit 1, nothing on stdout', async () => {
    expect(await rejects(workload('kind: *k'))).toMatch(
      /document 1, line 2, column 7: malformed YAML: the alias \*k has no anchor &k before it/,
    );
  });

  it('a fake kind line inside a multi-line string at column 0, the real kind quoted: read, and rejected', async () => {
    expect(await rejects(workload('note: "x\nkind: Service\n  "\n"kind": Deployment'))).toMatch(
      /document 1, line \d+.*malformed YAML/,
    );
  });

  it('CRLF: a folded kind is read too', async () => {
    const input = workload('kind: >-\r\n  Deployment', '\r\n');
    expect(await renders(input)).toBe(input.replace(ES, MOVED));
  });

  it('an inert kind stays unread (the fast path still works): a Service with an image-like string is data', async () => {
    const service = `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations: {image: ${ES}}\n`;
    expect(await renders(service)).toBe(service);
  });
});
