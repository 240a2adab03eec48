// Issue 15: edits to the operator's eck.yaml never write an invalid configuration. Every style the ConfigMap can
// hold it in is edited through a parse of the configuration and the result read back (YAML 1.2 and 1.1, as the
// operator's Go reader may); what cannot be edited so is refused with exit 1, naming the document and line.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { rejects, renders } from './cli-contract.js';

const ARGS = ['--registry', 'mirror.example:5000', '--repository', 'null', '--suffix=-wolfi'];

function configMap(block: string, eol = '\n'): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: elastic-operator\ndata:\n  eck.yaml: ${block}\n`.replace(
    /\n/g,
    eol,
  );
}

function eckOf(output: string, version: '1.1' | '1.2'): Record<string, unknown> {
  const data = (parseAllDocuments(output)[0]!.toJS() as { data: Record<string, string> }).data;
  return parse(data['eck.yaml']!, { version }) as Record<string, unknown>;
}

const STYLES: Record<string, { block: string; eol?: string; keeps: Record<string, unknown> }> = {
  'flow mapping in a literal block': {
    block: '|-\n    {"container-registry": "docker.elastic.co", "log-verbosity": 0}',
    keeps: { 'log-verbosity': 0 },
  },
  'indentation indicator, every line more indented': {
    block: '|2-\n      log-verbosity: 0\n      metrics-port: 0',
    keeps: { 'log-verbosity': 0, 'metrics-port': 0 },
  },
  'indentation indicator, a more-indented comment first': {
    block: '|2\n      # comment\n    log-verbosity: 0',
    keeps: { 'log-verbosity': 0 },
  },
  'a value on the next line': {
    block: '|-\n    container-registry:\n      docker.elastic.co\n    log-verbosity: 0',
    keeps: { 'log-verbosity': 0 },
  },
  'comments everywhere': {
    block: '|-\n    # top\n    container-registry: docker.elastic.co # where\n    # tail',
    keeps: {},
  },
  CRLF: {
    block: '|-\n    container-registry: docker.elastic.co\n    log-verbosity: 0',
    eol: '\r\n',
    keeps: { 'log-verbosity': 0 },
  },
  'folded block': {
    block: '>-\n    container-registry: docker.elastic.co\n\n    log-verbosity: 0',
    keeps: { 'log-verbosity': 0 },
  },
  'double-quoted': {
    block: '"container-registry: docker.elastic.co\\nlog-verbosity: 0"',
    keeps: { 'log-verbosity': 0 },
  },
  'nested mapping last': {
    block: '|-\n    container-registry: docker.elastic.co\n    x:\n      z: 1',
    keeps: { x: { z: 1 } },
  },
  'empty flow mapping': { block: '|-\n    {}', keeps: {} },
  'empty string': { block: '""', keeps: {} },
  'quoted key': { block: '|-\n    "container-registry": docker.elastic.co', keeps: {} },
  'explicit key': { block: '|-\n    ? container-registry\n    : docker.elastic.co', keeps: {} },
  'document marker': { block: '|-\n    ---\n    container-registry: docker.elastic.co', keeps: {} },
  'keep chomping': { block: '|+\n    log-verbosity: 0\n\n', keeps: { 'log-verbosity': 0 } },
  'tab after the colon': {
    block: '|-\n    container-registry:\tdocker.elastic.co\n    container-suffix: -ubi',
    keeps: {},
  },
  'the changed value anchored, its alias elsewhere keeps the old value': {
    block: '|-\n    container-registry: &r docker.elastic.co\n    other: [*r, *r]',
    keeps: { other: ['docker.elastic.co', 'docker.elastic.co'] },
  },
  'anchor and alias': {
    block: '|-\n    a: &r docker.elastic.co\n    container-registry: *r',
    keeps: { a: 'docker.elastic.co' },
  },
};

describe('eck.yaml in any style: a valid configuration that says the mirror, read back under YAML 1.2 and 1.1', () => {
  for (const [name, { block, eol, keeps }] of Object.entries(STYLES)) {
    it(name, async () => {
      const input = configMap(block, eol);
      const out = await renders(input, ARGS);
      for (const version of ['1.2', '1.1'] as const) {
        expect(eckOf(out, version), version).toMatchObject({
          ...keeps,
          'container-registry': 'mirror.example:5000',
          'container-repository': 'null',
          'container-suffix': '-wolfi',
        });
      }
      expect(await renders(out, ARGS), 'a second run changes nothing').toBe(out);
      if (eol) expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    });
  }
});

// (`~`, `1:20`, `.inf` are not repository paths: the settings refuse them before anything is written.)
describe('values that would not read back as the same string are quoted', () => {
  for (const repository of ['null', 'true', '1e3', 'yes', '0x1f', 'on', 'n', '012', '1_000']) {
    it(`--repository ${repository}`, async () => {
      const out = await renders(configMap('|-\n    container-registry: docker.elastic.co'), [
        '--registry',
        'mirror.example',
        '--repository',
        repository,
      ]);
      for (const version of ['1.2', '1.1'] as const)
        expect(eckOf(out, version)['container-repository'], version).toBe(repository);
    });
  }
});

describe('an eck.yaml that cannot be edited safely is refused: exit 1, nothing on stdout, document and line named', () => {
  it('a duplicate key', async () => {
    const message = await rejects(configMap('|-\n    container-registry: a\n    container-registry: b'), ARGS);
    expect(message).toMatch(
      /document 1: ConfigMap elastic-operator, data\["eck\.yaml"\] \(line 6 of the document\): .*not valid YAML/,
    );
  });

  it('not a mapping', async () => {
    expect(await rejects(configMap('|-\n    - a'), ARGS)).toMatch(
      /document 1: ConfigMap elastic-operator, data\["eck\.yaml"\] \(line 6 .*not a YAML mapping/,
    );
  });
});
