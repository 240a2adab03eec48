import { describe, it, expect } from 'vitest';
import { parse, parseDocument, type YAMLMap } from 'yaml';
import {
  operatorConfigEdits,
  operatorConfigNode,
  readOperatorSettings,
  wantedChanges,
} from '../../src/operator/operator-config.js';
import { applyEdits } from '../../src/yaml/text-edit.js';

function configMap(eckYaml: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: elastic-operator\ndata:\n  eck.yaml: |-\n${eckYaml
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n')}\n`;
}

/** Applies the edits for `want` to a ConfigMap and returns the new document text and its parsed eck.yaml. */
function edit(
  text: string,
  want: { registry: string; repository?: string; suffix?: string },
): { text: string; eck: Record<string, unknown> } {
  const doc = parseDocument(text);
  const node = operatorConfigNode(doc.contents as YAMLMap, doc);
  expect(node).toBeDefined();
  const changes = wantedChanges(readOperatorSettings(String(node!.value)), want);
  const out = applyEdits(text, operatorConfigEdits(text, node!, changes));
  const parsed = parse(out) as { data: Record<string, string> };
  return { text: out, eck: parse(parsed.data['eck.yaml']!) as Record<string, unknown> };
}

const upstream =
  'log-verbosity: 0\nmetrics-port: 0\ncontainer-registry: docker.elastic.co\nmax-concurrent-reconciles: 3\nubi-only: false';

describe('readOperatorSettings', () => {
  it('reads registry, repository, suffix and ubi-only', () => {
    expect(
      readOperatorSettings(
        'container-registry: r.io\ncontainer-repository: team\ncontainer-suffix: -wolfi\nubi-only: true\n',
      ),
    ).toEqual({
      registry: 'r.io',
      repository: 'team',
      suffix: '-wolfi',
      ubiOnly: true,
      ubiOnlySet: true,
    });
    expect(readOperatorSettings('ubi-only: false\ncontainer-suffix: ""')).toEqual({
      registry: undefined,
      repository: undefined,
      suffix: undefined,
      ubiOnly: false,
      ubiOnlySet: true,
    });
    expect(readOperatorSettings('container-registry: r.io')).toMatchObject({ ubiOnly: false, ubiOnlySet: false });
    expect(readOperatorSettings('not: [valid')).toEqual({});
  });
});

describe('operatorConfigNode', () => {
  it('finds eck.yaml in a ConfigMap only', () => {
    const cm = parseDocument(configMap('a: 1'));
    expect(operatorConfigNode(cm.contents as YAMLMap, cm)?.value).toBe('a: 1');
    const secret = parseDocument('kind: Secret\ndata:\n  eck.yaml: x\n');
    expect(operatorConfigNode(secret.contents as YAMLMap, secret)).toBeUndefined();
  });
});

describe('eck.yaml edits inside the literal block', () => {
  it('points container-registry at the mirror and changes only that line', () => {
    const text = configMap(upstream);
    const out = edit(text, { registry: 'my.registry' });
    expect(out.text).toBe(text.replace('container-registry: docker.elastic.co', 'container-registry: my.registry'));
  });

  it('inserts container-repository after container-registry', () => {
    const out = edit(configMap(upstream), { registry: 'my.registry', repository: 'team' });
    expect(out.text).toContain(
      '    container-registry: my.registry\n    container-repository: team\n    max-concurrent-reconciles: 3\n',
    );
    expect(out.eck['container-repository']).toBe('team');
  });

  it('UBI mode: ubi-only true and no container-suffix', () => {
    const out = edit(configMap(`${upstream}\ncontainer-suffix: -wolfi`), { registry: 'my.registry', suffix: '-ubi' });
    expect(out.eck['ubi-only']).toBe(true);
    expect(out.eck).not.toHaveProperty('container-suffix');
    expect(out.text).toContain('    ubi-only: true\n');
  });

  it('another suffix: container-suffix set and ubi-only removed (the operator refuses a suffix while ubi-only is set at all)', () => {
    const out = edit(configMap('container-registry: docker.elastic.co\nubi-only: true'), {
      registry: 'my.registry',
      suffix: '-wolfi',
    });
    expect(out.eck).toEqual({ 'container-registry': 'my.registry', 'container-suffix': '-wolfi' });
    const off = edit(configMap('container-registry: docker.elastic.co\nubi-only: false'), {
      registry: 'my.registry',
      suffix: '-wolfi',
    });
    expect(off.eck).toEqual({ 'container-registry': 'my.registry', 'container-suffix': '-wolfi' });
  });

  it('keeps comments on edited lines, other keys, and CRLF line breaks', () => {
    const text = configMap(
      'container-registry: docker.elastic.co # where images come from\nset-default-security-context: auto-detect',
    ).replace(/\n/g, '\r\n');
    const out = edit(text, { registry: 'my.registry', repository: 'team' });
    expect(out.text).toContain(
      'container-registry: my.registry # where images come from\r\n    container-repository: team\r\n',
    );
    expect(out.text).toContain('set-default-security-context: auto-detect');
    expect(out.text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('makes no edits when the configuration already says the same', () => {
    const eck = 'container-registry: my.registry\ncontainer-repository: team\nubi-only: true';
    const changes = wantedChanges(readOperatorSettings(eck), {
      registry: 'my.registry',
      repository: 'team',
      suffix: '-ubi',
    });
    expect(changes.size).toBe(0);
    const doc = parseDocument(configMap(eck));
    expect(operatorConfigEdits(configMap(eck), operatorConfigNode(doc.contents as YAMLMap, doc)!, changes)).toEqual([]);
  });
});

describe('eck.yaml written in another style (fallback through the YAML library)', () => {
  it('rewrites a double-quoted value as a double-quoted value', () => {
    const text = 'kind: ConfigMap\ndata:\n  eck.yaml: "container-registry: docker.elastic.co\\nubi-only: false\\n"\n';
    const out = edit(text, { registry: 'my.registry', suffix: '-ubi' });
    expect(out.text).toMatch(/^ {2}eck\.yaml: "[^\n]*"\n$/m);
    expect(out.eck).toEqual({ 'container-registry': 'my.registry', 'ubi-only': true });
  });

  it('rewrites a folded block and a single-quoted value', () => {
    const folded = 'kind: ConfigMap\ndata:\n  eck.yaml: >\n    container-registry: docker.elastic.co\n';
    expect(edit(folded, { registry: 'my.registry' }).eck).toEqual({ 'container-registry': 'my.registry' });
    const single = "kind: ConfigMap\ndata:\n  eck.yaml: 'container-registry: docker.elastic.co'\n";
    const out = edit(single, { registry: 'my.registry', repository: 'team' });
    expect(out.eck).toEqual({ 'container-registry': 'my.registry', 'container-repository': 'team' });
  });

  it('adds container-registry to an empty configuration', () => {
    const text = 'kind: ConfigMap\ndata:\n  eck.yaml: ""\n';
    const doc = parseDocument(text);
    const node = operatorConfigNode(doc.contents as YAMLMap, doc)!;
    const out = applyEdits(
      text,
      operatorConfigEdits(text, node, wantedChanges(readOperatorSettings(''), { registry: 'my.registry' })),
    );
    expect(parse((parse(out) as { data: Record<string, string> }).data['eck.yaml']!)).toEqual({
      'container-registry': 'my.registry',
    });
  });
});

describe('eck.yaml edits through a parse of the configuration (issue 15)', () => {
  it('a value on the next line is replaced where it is written, without keys in between', () => {
    const text = configMap('container-registry:\n  docker.elastic.co\nlog-verbosity: 0');
    const out = edit(text, { registry: 'my.registry', repository: 'team' });
    expect(out.text).toContain(
      '    container-registry: my.registry\n    container-repository: team\n    log-verbosity: 0\n',
    );
  });

  it('the last line removed from a `|-` block takes its line break with it', () => {
    const out = edit(configMap('container-registry: docker.elastic.co\ncontainer-suffix: -wolfi'), {
      registry: 'my.registry',
      suffix: '-ubi',
    });
    expect(out.text).toMatch(/ {4}container-registry: my\.registry\n {4}ubi-only: true\n$/);
  });

  it('values that YAML 1.1 or 1.2 would read as something else are quoted; ubi-only stays a boolean', () => {
    const out = edit(configMap('container-registry: docker.elastic.co'), {
      registry: 'my.registry',
      repository: 'null',
      suffix: '-ubi',
    });
    expect(out.text).toContain('container-repository: "null"');
    expect(out.eck).toMatchObject({ 'container-repository': 'null', 'ubi-only': true });
  });

  it('refuses a configuration that is not a valid mapping (InputError, exit 1), naming the line', () => {
    const text = configMap('- a');
    const doc = parseDocument(text);
    const node = operatorConfigNode(doc.contents as YAMLMap, doc)!;
    expect(() =>
      operatorConfigEdits(text, node, new Map([['container-registry', 'r']]), 'document 1: ConfigMap x'),
    ).toThrow(/document 1: ConfigMap x, data\["eck\.yaml"\] \(line 6 of the document\).*not a YAML mapping/);
  });

  it('configProblem catches an edit that changes another key or breaks the YAML', async () => {
    const { configProblem } = await import('../../src/operator/operator-config.js');
    const changes = new Map([['container-registry', 'r']]);
    expect(configProblem('a: 1\ncontainer-registry: x', 'a: 1\ncontainer-registry: r', changes)).toBeUndefined();
    expect(configProblem('a: 1', 'a: 2\ncontainer-registry: r', changes)).toMatch(/other keys/);
    expect(configProblem('a: 1', 'a: 1\n  container-registry: r', changes)).toMatch(/valid YAML/);
    expect(configProblem('a: 1', 'a: 1\ncontainer-registry: ~', changes)).toMatch(/container-registry would read as/);
  });

  it('configProblem reads as the library does under YAML 1.2 and 1.1, whichever reader it uses (fast composer or library)', async () => {
    const { configProblem, configProblemByLibrary } = await import('../../src/operator/operator-config.js');
    const fc = (await import('fast-check')).default;
    // Lines of eck.yaml as they come (the ECK chart's), and ones that read differently under YAML 1.1 or break it.
    const lines = [
      'log-verbosity: 0',
      'metrics-port: 0',
      'container-registry: docker.elastic.co',
      'container-registry: r',
      'container-registry: "r"',
      'container-repository: elastic',
      'container-suffix: -ubi',
      'ubi-only: false',
      'ubi-only: true',
      'ubi-only: yes',
      'ubi-only: on',
      'ca-cert-validity: 8760h',
      'exposed-node-labels: [topology.kubernetes.io/.*, y]',
      'exposed-node-labels: [a, b]',
      'enable-webhook: true',
      'webhook-port: 9443',
      'max-concurrent-reconciles: 010',
      'kube-client-timeout: 1:30',
      'on: 1',
      'y: 2',
      'true: 3',
      'stamp: 2001-12-14',
      'note: |\n  yes\n  no',
      'nested:\n  a: off',
      'empty:',
      '# a comment',
      'container-registry: ~',
      'container-registry: yes',
      'x: &a 1',
      'z: *a',
      '<<: {q: 1}',
      'bad: [',
      '  indented: 1',
    ];
    const config = fc.array(fc.constantFrom(...lines), { minLength: 0, maxLength: 7 }).map((ls) => ls.join('\n'));
    const changes = fc.constantFrom(
      new Map([['container-registry', 'r']]),
      new Map<string, string | null>([
        ['ubi-only', 'true'],
        ['container-suffix', null],
      ]),
      new Map<string, string | null>([
        ['container-registry', 'r'],
        ['ubi-only', null],
      ]),
    );
    fc.assert(
      fc.property(config, config, changes, (before, after, wanted) => {
        expect(configProblem(before, after, wanted)).toBe(configProblemByLibrary(before, after, wanted));
      }),
      { numRuns: 4000 },
    );
  });

  it('configProblem sees what only YAML 1.1 reads differently (010 against 10, "on" against on), as the library does', async () => {
    const { configProblem, configProblemByLibrary } = await import('../../src/operator/operator-config.js');
    const fc = (await import('fast-check')).default;
    // Pairs of lines that read the same under YAML 1.2 but not under 1.1 (or the same under both).
    const pairs: [string, string][] = [
      ['max-concurrent-reconciles: 010', 'max-concurrent-reconciles: 10'],
      ['n: 1_000', 'n: "1_000"'],
      ['on: 1', '"on": 1'],
      ['exposed-node-labels: [a, y]', 'exposed-node-labels: [a, "y"]'],
      ['stamp: 2001-12-14', "stamp: '2001-12-14'"],
      ['metrics-secure: no', 'metrics-secure: "no"'],
      ['ubi-only: True', 'ubi-only: true'],
      ['t: 1:30', 't: "1:30"'],
      ['log-verbosity: 0', 'log-verbosity: 0'],
      ['distribution-channel: helm', "distribution-channel: 'helm'"],
    ];
    const slot = fc.tuple(fc.nat(pairs.length - 1), fc.boolean(), fc.boolean());
    const configs = fc
      .tuple(fc.uniqueArray(slot, { maxLength: 5, selector: (s) => s[0] }), fc.constantFrom('x', 'r', 'yes'))
      .map(([slots, registry]) => ({
        before: ['container-registry: x', ...slots.map(([i, b]) => pairs[i]![b ? 1 : 0])].join('\n'),
        after: [`container-registry: ${registry}`, ...slots.map(([i, , a]) => pairs[i]![a ? 1 : 0])].join('\n'),
      }));
    const changes = new Map([['container-registry', 'r']]);
    let onlyUnder11 = 0;
    fc.assert(
      fc.property(configs, ({ before, after }) => {
        const problem = configProblemByLibrary(before, after, changes);
        expect(configProblem(before, after, changes), `${before}\n=>\n${after}`).toBe(problem);
        // Cases only YAML 1.1 tells apart: read under 1.2 alone, before and after differ in container-registry only.
        const read12 = (text: string): string =>
          JSON.stringify({ ...(parse(text, { version: '1.2' }) as object), 'container-registry': 'r' });
        if (problem !== undefined && after.startsWith('container-registry: r') && read12(before) === read12(after))
          onlyUnder11++;
      }),
      { numRuns: 2000 },
    );
    expect(onlyUnder11).toBeGreaterThan(0);
  });
});

// Values and keys as viper reads them: ECK v3.5.0 cmd/manager/main.go viper.GetBool / viper.IsSet(UBIOnlyFlag);
// viper lower-cases config keys; spf13/cast ToBoolE (cast v1.5.1 at v2.10.0 .. v1.10.0 at v3.5.0, go.mod):
// bool as is, non-zero int true, string by strconv.ParseBool, nil false.
describe('readOperatorSettings as viper reads it', () => {
  it.each([
    ['ubi-only: 1', true],
    ['ubi-only: 0', false],
    ['ubi-only: 2', true],
    ['ubi-only: 0x10', true],
    ['ubi-only: 1_000', true],
    ['ubi-only: "1"', true],
    ['ubi-only: "t"', true],
    ['ubi-only: "T"', true],
    ['ubi-only: "yes"', false],
    ['ubi-only: yes', false],
    ['ubi-only: on', false],
    ['ubi-only: True', true],
    ['ubi-only: TRUE', true],
    ['ubi-only: "tRuE"', false],
    ['UBI-ONLY: true', true],
    ['Ubi-Only: 1', true],
  ])('%s reads as %s', (text, want) => {
    expect(readOperatorSettings(text).ubiOnly).toBe(want);
    expect(readOperatorSettings(text).ubiOnlySet).toBe(true);
  });

  it('a null ubi-only is not set (viper.IsSet)', () => {
    expect(readOperatorSettings('ubi-only:').ubiOnlySet).toBe(false);
    expect(readOperatorSettings('ubi-only: ~').ubiOnlySet).toBe(false);
  });

  it('keys are case-insensitive; two spellings of one key, or a float ubi-only, are a problem', () => {
    expect(readOperatorSettings('CONTAINER-REGISTRY: r.io\nContainer-Suffix: -x')).toMatchObject({
      registry: 'r.io',
      suffix: '-x',
    });
    expect(readOperatorSettings('container-registry: a\nCONTAINER-REGISTRY: b', 'cm').problem).toMatch(
      /^cm: the keys "container-registry" and "CONTAINER-REGISTRY" differ only in case/,
    );
    expect(readOperatorSettings('ubi-only: 1.5', 'cm').problem).toMatch(/^cm: ubi-only is the number 1\.5/);
  });

  it('edits a key where it is written, as it is spelt', () => {
    const { text, eck } = edit(configMap('CONTAINER-REGISTRY: docker.elastic.co\nUBI-ONLY: true\n'), {
      registry: 'my.registry',
      suffix: '-wolfi',
    });
    expect(eck).toEqual({ 'CONTAINER-REGISTRY': 'my.registry', 'container-suffix': '-wolfi' });
    expect(text).not.toContain('UBI-ONLY');
  });
});
