// The operator model on its own: which container is the manager, which ConfigMap it reads, each setting's value
// and source by the operator's precedence, and the release.
import { describe, it, expect } from 'vitest';
import { parseDocument } from 'yaml';
import {
  operatorModel,
  pullsFromAfterRender,
  pullsFromNow,
  releaseOfOperatorImage,
} from '../../src/operator/operator-model.js';
import { InputError, UsageError } from '../../src/errors.js';
import { mayHoldManager } from '../../src/operator/one-operator.js';

const docs = (...texts: string[]) => texts.map((t, i) => ({ doc: parseDocument(t), label: `document ${i + 1}` }));

function sts(opts: { image?: string; args?: string[]; env?: string; mounts?: string; volumes?: string } = {}): string {
  const args = (opts.args ?? ['manager']).map((a) => `        - "${a}"`).join('\n');
  return `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: elastic-operator\n  namespace: elastic-system\nspec:\n  template:\n    spec:\n      containers:\n      - name: manager\n        image: ${opts.image ?? 'docker.elastic.co/eck/eck-operator:3.5.0'}\n        args:\n${args}\n${opts.env ?? ''}${opts.mounts ?? ''}${opts.volumes ?? ''}`;
}
const cm = (name: string, eck: string, key = 'eck.yaml') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: elastic-system\ndata:\n  ${key}: |\n${eck.replace(/^/gm, '    ')}\n`;
const mount = '        volumeMounts:\n        - name: conf\n          mountPath: /conf\n';
const volume = (name: string, items = '') =>
  `      volumes:\n      - name: conf\n        configMap:\n          name: ${name}\n${items}`;

describe('operator model', () => {
  it('reads flags over env over the mounted eck.yaml, each with its source', () => {
    const model = operatorModel(
      docs(
        cm('elastic-operator', 'container-registry: from.file\ncontainer-repository: file\ncontainer-suffix: -file'),
        sts({
          args: ['manager', '--config=/conf/eck.yaml', '--container-repository', 'flag'],
          env: '        env:\n        - name: CONTAINER_REPOSITORY\n          value: env\n        - name: CONTAINER_SUFFIX\n          value: -env\n',
          mounts: mount,
          volumes: volume('elastic-operator'),
        }),
      ),
      undefined,
    );
    expect(model.read.registry).toMatchObject({ value: 'from.file', source: 'config' });
    expect(model.read.repository).toMatchObject({ value: 'flag', source: 'flag' });
    expect(model.read.suffix).toMatchObject({ value: '-env', source: 'env' });
    expect(pullsFromNow(model)).toMatchObject({ registry: 'from.file', repository: 'flag', suffix: '-env' });
    expect(pullsFromAfterRender(model, { registry: 'm.io' })).toMatchObject({
      registry: 'm.io',
      repository: 'flag',
      suffix: '-env',
    });
    expect(pullsFromAfterRender(model, { registry: 'm.io', repository: 'mine', suffix: '-ubi' })).toMatchObject({
      repository: 'mine',
      suffix: '-ubi',
    });
  });

  it('the ConfigMap mounted for --config, through items and subPath', () => {
    const other = cm('other', 'container-suffix: -other');
    const mine = cm('mine', 'container-suffix: -mine', 'operator.yaml');
    const items = '          items:\n          - key: operator.yaml\n            path: eck.yaml\n';
    const viaItems = operatorModel(
      docs(
        other,
        mine,
        sts({ args: ['manager', '--config=/conf/eck.yaml'], mounts: mount, volumes: volume('mine', items) }),
      ),
      undefined,
    );
    // The key the items map to the mounted file: operator.yaml of `mine` (ECK reads whatever file --config names).
    expect(viaItems.config).toMatchObject({ kind: 'ConfigMap', name: 'mine', key: 'operator.yaml' });
    expect(viaItems.read.suffix?.value).toBe('-mine');
    const subPath =
      '        volumeMounts:\n        - name: conf\n          mountPath: /etc/eck.yaml\n          subPath: eck.yaml\n';
    const viaSubPath = operatorModel(
      docs(
        cm('other', 'container-suffix: -other'),
        cm('mine', 'container-suffix: -mine'),
        sts({ args: ['manager', '--config', '/etc/eck.yaml'], mounts: subPath, volumes: volume('mine') }),
      ),
      undefined,
    );
    expect(viaSubPath.read.suffix?.value).toBe('-mine');
  });

  it('a manager without --config reads no ConfigMap', () => {
    const model = operatorModel(docs(cm('elastic-operator', 'container-suffix: -wolfi'), sts()), undefined);
    expect(model.config).toBeUndefined();
    expect(model.read.suffix).toBeUndefined();
    // Without a manager in the stream, its ConfigMap is the one the stream has.
    expect(operatorModel(docs(cm('elastic-operator', 'container-suffix: -wolfi')), undefined).read.suffix?.value).toBe(
      '-wolfi',
    );
  });

  it('bare --ubi-only, --ubi-only=false, UBI_ONLY env as strconv.ParseBool reads it', () => {
    expect(operatorModel(docs(sts({ args: ['manager', '--ubi-only'] })), undefined).read.ubiOnly).toMatchObject({
      value: true,
      source: 'flag',
    });
    expect(operatorModel(docs(sts({ args: ['manager', '--ubi-only=false'] })), undefined).read.ubiOnly).toMatchObject({
      value: false,
      source: 'flag',
    });
    const env = (v: string) =>
      operatorModel(docs(sts({ env: `        env:\n        - name: UBI_ONLY\n          value: "${v}"\n` })), undefined)
        .read.ubiOnly;
    expect(env('T')).toMatchObject({ value: true, source: 'env' });
    expect(env('0')).toMatchObject({ value: false, source: 'env' });
    expect(env('')).toBeUndefined();
  });

  it('errors: ubi-only with a suffix, eckVersion against the stream; valueFrom of a ConfigMap not in the stream is unseen', () => {
    const valueFrom =
      '        env:\n        - name: CONTAINER_REGISTRY\n          valueFrom:\n            configMapKeyRef: {name: x, key: y}\n';
    const unseen = operatorModel(docs(sts({ env: valueFrom })), undefined);
    expect(unseen.uncertain.get('container-registry')?.map((u) => u.id)).toEqual(['ConfigMap/x']);
    expect(unseen.warnings.join()).toMatch(/CONTAINER_REGISTRY \(valueFrom key y of ConfigMap x, not in the stream\)/);
    // vouched: no longer uncertain
    expect(operatorModel(docs(sts({ env: valueFrom })), undefined, ['ConfigMap/x']).uncertain.size).toBe(0);
    // in the stream: read from it
    const withCm = operatorModel(
      docs(cm('x', 'ignored').replace(/  eck\.yaml: \|\n    ignored\n/, '  y: reg.from.cm\n'), sts({ env: valueFrom })),
      undefined,
    );
    expect(withCm.read.registry).toMatchObject({ value: 'reg.from.cm', source: 'env' });
    expect(withCm.uncertain.size).toBe(0);
    expect(() =>
      operatorModel(docs(sts({ args: ['manager', '--ubi-only=false', '--container-suffix=-wolfi'] })), undefined),
    ).toThrow(InputError);
    expect(() => operatorModel(docs(sts()), '2.16.1')).toThrow(UsageError);
    expect(() => operatorModel(docs(sts()), '2.16.1')).toThrow(/2\.16\.1.*eck-operator:3\.5\.0/);
    expect(operatorModel(docs(sts()), '3.5.0').release.version).toBe('3.5.0');
  });

  it('the release: operator image tag, else eckVersion, else the newest known', () => {
    expect(operatorModel(docs(sts({ image: 'my.reg/eck/eck-operator-ubi:2.16.1' })), undefined).release.version).toBe(
      '2.16.1',
    );
    expect(operatorModel(docs(cm('elastic-operator', 'ubi-only: true')), '2.11.0').release.version).toBe('2.11.0');
    const fallback = operatorModel([], undefined);
    expect(fallback.release.version).toBe('3.5.0');
    expect(fallback.releaseFrom).toMatch(/newest release eck-airgap knows, 3\.5\.0: no operator image/);
    expect(releaseOfOperatorImage('docker.elastic.co/eck/eck-operator-fips:3.1.0@sha256:' + 'a'.repeat(64))).toBe(
      '3.1.0',
    );
    expect(releaseOfOperatorImage('docker.elastic.co/eck/eck-operator@sha256:' + 'a'.repeat(64))).toBeUndefined();
    expect(releaseOfOperatorImage('docker.elastic.co/eck/eck-operator:latest')).toBeUndefined();
    expect(
      operatorModel(docs(sts({ image: 'docker.elastic.co/eck/eck-operator:4.0.0' })), undefined).warnings.join(),
    ).toMatch(/newer than every release/);
    const digest = operatorModel(
      docs(sts({ image: 'docker.elastic.co/eck/eck-operator@sha256:' + 'a'.repeat(64) })),
      undefined,
    );
    expect(digest.release.version).toBe('3.5.0');
    expect(digest.releaseFrom).toMatch(/pinned by digest only/);
    expect(digest.warnings.join()).toMatch(/pinned by digest only.*Set eckVersion/);
    const latest = operatorModel(docs(sts({ image: 'docker.elastic.co/eck/eck-operator:latest' })), '3.4.0');
    expect(latest.release.version).toBe('3.4.0');
    expect(latest.warnings).toEqual([]);
    // ECK main VERSION 3.6.0-SNAPSHOT: main's line, marked unreleased
    const main = operatorModel(docs(sts({ image: 'docker.elastic.co/eck/eck-operator:3.6.0-SNAPSHOT' })), undefined);
    expect(main.release.unreleased).toBe(true);
    expect(main.warnings.join()).toMatch(/main branch \(VERSION 3\.6\.0-SNAPSHOT, not released/);
  });
});

// ECK v3.5.0 cmd/manager/main.go: viper BindPFlags > AutomaticEnv (replacer "-" → "_", no prefix) > ReadInConfig.
// Kubernetes: envFrom sources in order (a later one wins), env entries over them.
describe('settings sources: Secret config files, envFrom, unseen sources', () => {
  const secret = (name: string, data: Record<string, string>, field = 'data') =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: elastic-system\n${field}:\n${Object.entries(
      data,
    )
      .map(([k, v]) => `  ${k}: ${field === 'data' ? Buffer.from(v).toString('base64') : JSON.stringify(v)}`)
      .join('\n')}\n`;
  const secretVolume = (name: string) =>
    `      volumes:\n      - name: conf\n        secret:\n          secretName: ${name}\n`;

  it('a --config file from a Secret volume: data base64-decoded, stringData as text', () => {
    for (const field of ['data', 'stringData']) {
      const model = operatorModel(
        docs(
          secret('op', { 'operator.yaml': 'ubi-only: true\n' }, field),
          sts({ args: ['manager', '--config=/conf/operator.yaml'], mounts: mount, volumes: secretVolume('op') }),
        ),
        undefined,
      );
      expect(model.config, field).toMatchObject({ kind: 'Secret', name: 'op', key: 'operator.yaml' });
      expect(model.read.ubiOnly, field).toMatchObject({ value: true, source: 'config' });
    }
  });

  it('envFrom: ConfigMap and Secret values with env precedence (env entries over envFrom, a later envFrom over an earlier)', () => {
    const envFrom =
      '        envFrom:\n        - configMapRef: {name: a}\n        - secretRef: {name: b}\n          prefix: CONTAINER_\n';
    const a = cm('a', 'x').replace(
      /  eck\.yaml: \|\n    x\n/,
      '  CONTAINER_REGISTRY: from.a\n  CONTAINER_SUFFIX: -a\n',
    );
    const withUbi = a.replace('  CONTAINER_SUFFIX: -a\n', '  CONTAINER_SUFFIX: -a\n  UBI_ONLY: "false"\n');
    const model = operatorModel(docs(a, secret('b', { REGISTRY: 'from.b' }), sts({ env: envFrom })), undefined);
    expect(model.read.registry).toMatchObject({ value: 'from.b', source: 'env' });
    expect(model.read.suffix).toMatchObject({ value: '-a', source: 'env' });
    // UBI_ONLY "false" from envFrom with a suffix: set (IsSet), so the operator refuses to start
    expect(() => operatorModel(docs(withUbi, sts({ env: envFrom, args: ['manager'] })), undefined)).toThrow(
      /refuses to start/,
    );
  });

  it('unseen: an envFrom, a --config ConfigMap applied separately, an unfollowable mount; vouching clears each', () => {
    const envFrom = '        envFrom:\n        - configMapRef: {name: gone}\n';
    const m = operatorModel(
      docs(
        sts({
          env: envFrom,
          args: ['manager', '--config=/conf/eck.yaml'],
          mounts: mount,
          volumes: volume('elsewhere'),
        }),
      ),
      undefined,
    );
    expect([...m.uncertain.keys()].sort()).toEqual([
      'container-registry',
      'container-repository',
      'container-suffix',
      'ubi-only',
    ]);
    expect(m.uncertain.get('ubi-only')!.map((u) => u.id)).toEqual(['ConfigMap/gone', 'ConfigMap/elsewhere']);
    expect(
      operatorModel(
        docs(
          sts({
            env: envFrom,
            args: ['manager', '--config=/conf/eck.yaml'],
            mounts: mount,
            volumes: volume('elsewhere'),
          }),
        ),
        undefined,
        ['ConfigMap/gone', 'ConfigMap/elsewhere'],
      ).uncertain.size,
    ).toBe(0);
    // A flag is the highest source: nothing unseen can change it
    expect(
      operatorModel(docs(sts({ env: envFrom, args: ['manager', '--container-registry=r'] })), undefined).uncertain.has(
        'container-registry',
      ),
    ).toBe(false);
    const noMount = operatorModel(docs(sts({ args: ['manager', '--config=/etc/op.yaml'] })), undefined);
    expect(noMount.uncertain.get('container-suffix')!.map((u) => u.id)).toEqual(['file:/etc/op.yaml']);
  });

  it('a --config file read as JSON (viper goes by the extension) is refused', () => {
    expect(() =>
      operatorModel(
        docs(
          cm('op', '{}', 'eck.json'),
          sts({ args: ['manager', '--config=/conf/eck.json'], mounts: mount, volumes: volume('op') }),
        ),
        undefined,
      ),
    ).toThrow(/as json.*only as YAML/);
  });
});

describe('unseen: a valueFrom field reference', () => {
  it('is named env/NAME, and a flag above it settles the setting', () => {
    const fieldRef =
      '        env:\n        - name: CONTAINER_SUFFIX\n          valueFrom:\n            fieldRef: {fieldPath: metadata.name}\n';
    const m = operatorModel(docs(sts({ env: fieldRef })), undefined);
    expect(m.uncertain.get('container-suffix')!.map((u) => u.id)).toEqual(['env/CONTAINER_SUFFIX']);
    expect(m.uncertain.has('container-registry')).toBe(false);
    expect(
      operatorModel(docs(sts({ env: fieldRef, args: ['manager', '--container-suffix=-x'] })), undefined).uncertain.size,
    ).toBe(0);
  });
});

describe('flags as pflag parses them', () => {
  it('--ubi-only=yes stops the operator (strconv.ParseBool refuses it): an error naming the flag', () => {
    // ECK v3.5.0 cmd/manager/main.go: cmd.Flags().Bool(operator.UBIOnlyFlag, …) — pflag's boolValue.Set is strconv.ParseBool
    expect(() => operatorModel(docs(sts({ args: ['manager', '--ubi-only=yes'] })), undefined)).toThrow(
      /--ubi-only=yes is not a boolean/,
    );
    expect(operatorModel(docs(sts({ args: ['manager', '--ubi-only=1'] })), undefined).read.ubiOnly?.value).toBe(true);
  });
});

// eck-airgap models one operator per stream: a second manager container is refused, naming each (one-operator.ts).
describe('one operator per stream', () => {
  const named = (name: string, args: string[]) => sts({ args }).replace('name: elastic-operator', `name: ${name}`);

  it('two managers: an InputError naming both, whatever their settings', () => {
    for (const second of [
      ['manager', '--ubi-only=false'],
      ['manager', '--ubi-only'],
    ]) {
      const run = () =>
        operatorModel(docs(named('eck-a', ['manager', '--ubi-only']), named('eck-b', second)), undefined);
      expect(run).toThrow(InputError);
      expect(run).toThrow(
        /holds 2 ECK operators \(document 1: StatefulSet elastic-system\/eck-a; document 2: StatefulSet elastic-system\/eck-b\)/,
      );
    }
  });

  it('many managers: the first ten named, the rest counted', () => {
    const many = Array.from({ length: 12 }, (_, i) => named(`eck-${i}`, ['manager']));
    const run = () => operatorModel(docs(...many), undefined);
    expect(run).toThrow(
      /holds 12 ECK operators \(document 1: StatefulSet elastic-system\/eck-0; .*document 10: StatefulSet elastic-system\/eck-9; and 2 more\)/,
    );
    expect(run).not.toThrow(/eck-10/);
  });

  it('one manager, reached once, is the model', () => {
    const model = operatorModel(docs(named('eck-a', ['manager', '--ubi-only']), cm('other', 'x: y')), undefined);
    expect(model.manager?.where).toBe('document 1: StatefulSet elastic-system/eck-a');
    expect(model.read.ubiOnly?.value).toBe(true);
  });

  it('mayHoldManager: the text names eck-operator, or has an escape that could spell it', () => {
    expect(mayHoldManager('image: docker.elastic.co/eck/eck-operator:3.5.0')).toBe(true);
    expect(mayHoldManager('image: "docker.elastic.co/eck/\\x65ck-operator:3.5.0"')).toBe(true);
    expect(mayHoldManager('image: "docker.elastic.co/eck/\\u0065ck-operator:3.5.0"')).toBe(true);
    expect(mayHoldManager('image: "docker.elastic.co/eck/eck-\\\n  operator:3.5.0"')).toBe(true);
    expect(mayHoldManager('kind: Kibana\nspec:\n  version: 8.15.0\n')).toBe(false);
    expect(mayHoldManager('data:\n  re: "\\\\d+\\t"\n')).toBe(false);
  });
});
