// YAML features real charts use, each through the real CLI: the contract holds and the image is moved where
// it is written, everything else byte for byte.
import { describe, expect, it } from 'vitest';
import { deployment, rejects, renders } from './cli-contract.js';

const ES = 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3';
const MOVED = 'mirror.example:5000/elasticsearch/elasticsearch:8.15.3';

describe('anchors, aliases and merge keys in pod specs', () => {
  it('moves an image written once in an anchor used by two containers, once, where it is written', async () => {
    const input = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: anchored}',
      'spec:',
      '  template:',
      '    spec:',
      '      initContainers:',
      `        - &c {name: init, image: ${ES}}`,
      '      containers:',
      '        - *c',
      '',
    ].join('\n');
    const out = await renders(input);
    expect(out).toBe(input.replace(ES, MOVED));
  });

  it('follows `<<: *defaults` that brings `containers`', async () => {
    const input = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: merged}',
      'x-defaults: &defaults',
      '  containers:',
      '    - name: main',
      `      image: ${ES}`,
      'spec:',
      '  template:',
      '    spec:',
      '      <<: *defaults',
      '      restartPolicy: Always',
      '',
    ].join('\n');
    expect(await renders(input)).toBe(input.replace(ES, MOVED));
  });
});

describe('styles', () => {
  it('flow style documents and block style documents', async () => {
    const flow = `{apiVersion: apps/v1, kind: Deployment, metadata: {name: f}, spec: {template: {spec: {containers: [{name: c, image: ${ES}}]}}}}\n`;
    const out = await renders(`${flow}---\n${deployment('b', ES)}`);
    expect(out).toBe(`${flow.replace(ES, MOVED)}---\n${deployment('b', MOVED)}`);
  });

  it.each([
    ['plain', ES, MOVED],
    ['single-quoted', `'${ES}'`, `'${MOVED}'`],
    ['double-quoted', `"${ES}"`, `"${MOVED}"`],
    ['plain with a comment after it', `${ES}  # pinned`, `${MOVED}  # pinned`],
    ['double-quoted with a comment after it', `"${ES}" # pinned`, `"${MOVED}" # pinned`],
  ])('image: %s', async (_style, written, expected) => {
    expect(await renders(deployment('d', written))).toBe(deployment('d', expected));
  });

  it('a JSON document', async () => {
    const json = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: ES }] },
    });
    expect(await renders(`${json}\n`)).toBe(`${json.replace(ES, MOVED)}\n`);
  });
});

describe('document boundaries', () => {
  it('`---` and `...` inside a block scalar are data, not document markers', async () => {
    const config = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: s}',
      'data:',
      '  run.sh: |',
      '    ---',
      '    ...',
      '    echo ---',
      '',
    ].join('\n');
    const input = `${config}---\n${deployment('d', ES)}`;
    expect(await renders(input)).toBe(`${config}---\n${deployment('d', MOVED)}`);
  });

  it('`...` document ends and `%YAML` directives are kept', async () => {
    const input = `%YAML 1.2\n---\n${deployment('a', ES)}...\n%YAML 1.2\n---\n${deployment('b', ES)}...\n`;
    expect(await renders(input)).toBe(input.replaceAll(ES, MOVED));
  });

  it('a blank line before the first `%YAML` directive (found by npm run fuzz: it used to hang)', async () => {
    const input = `\n%YAML 1.2\n---\n${deployment('a', ES)}`;
    expect(await renders(input)).toBe(input.replace(ES, MOVED));
  });

  it('a `%YAML` directive in the middle of a document that render reads is malformed YAML (exit 1)', async () => {
    const input = `${deployment('a', ES)}%YAML 1.2\n---\n${deployment('b', ES)}`;
    expect(await rejects(input)).toMatch(/document 1.*line 11/);
  });

  it('empty documents stay where they are', async () => {
    const input = `---\n---\n# only a comment\n---\n${deployment('d', ES)}---\n\n---\n`;
    expect(await renders(input)).toBe(input.replace(ES, MOVED));
  });

  it('an empty stream gives an empty stream', async () => {
    expect(await renders('')).toBe('');
  });

  it('a stream without a trailing newline keeps it that way', async () => {
    const input = deployment('d', ES).trimEnd();
    expect(await renders(input)).toBe(input.replace(ES, MOVED));
  });
});

describe('encodings and whitespace', () => {
  it('CRLF line endings are kept, also on lines render inserts', async () => {
    const input = [
      'apiVersion: elasticsearch.k8s.elastic.co/v1',
      'kind: Elasticsearch',
      'metadata:',
      '  name: es',
      'spec:',
      '  version: 8.15.3',
      '  nodeSets:',
      '    - name: default',
      '      count: 1',
      '',
    ].join('\r\n');
    const out = await renders(input, ['--registry', 'mirror.example:5000', '--image-pull-secret', 'regcred']);
    expect(out).toContain(`image: ${MOVED}\r\n`);
    expect(out).toContain('regcred');
    expect(out.replace(/\r\n/g, '')).not.toContain('\n'); // every line break written is CRLF
    expect(out.startsWith(input.slice(0, input.indexOf('spec:')))).toBe(true);
  });

  it('a UTF-8 byte-order mark is kept', async () => {
    const input = `\ufeff${deployment('d', ES)}`;
    const out = await renders(input);
    expect(out).toBe(`\ufeff${deployment('d', MOVED)}`);
  });

  it('tabs used as indentation in a document render reads: exit 1, naming the line', async () => {
    const input = deployment('d', ES).replace('        - name: main', '\t- name: main');
    expect(await rejects(input)).toMatch(/document 1, line 9.*[Tt]ab/);
  });

  it('tabs inside a document render never reads pass through as they came', async () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n\tname: s\n';
    expect(await renders(`${service}---\n${deployment('d', ES)}`)).toBe(`${service}---\n${deployment('d', MOVED)}`);
  });
});
