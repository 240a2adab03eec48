// The operator model on its own: which container is the manager, which ConfigMap it reads, each setting's value
// and source by the operator's precedence, and the release.
import { describe, it, expect } from 'vitest';
import { parseDocument } from 'yaml';
import { operatorModel, pullsFromAfterRender, pullsFromNow, releaseOfOperatorImage } from '../../src/operator/operator-model.js';
import { InputError, UsageError } from '../../src/errors.js';

const docs = (...texts: string[]) => texts.map((t, i) => ({ doc: parseDocument(t), label: `document ${i + 1}` }));

function sts(opts: { image?: string; args?: string[]; env?: string; mounts?: string; volumes?: string } = {}): string {
  const args = (opts.args ?? ['manager']).map((a) => `        - "${a}"`).join('\n');
  return `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: elastic-operator\n  namespace: elastic-system\nspec:\n  template:\n    spec:\n      containers:\n      - name: manager\n        image: ${opts.image ?? 'docker.elastic.co/eck/eck-operator:3.5.0'}\n        args:\n${args}\n${opts.env ?? ''}${opts.mounts ?? ''}${opts.volumes ?? ''}`;
}
const cm = (name: string, eck: string, key = 'eck.yaml') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: elastic-system\ndata:\n  ${key}: |\n${eck.replace(/^/gm, '    ')}\n`;
const mount = '        volumeMounts:\n        - name: conf\n          mountPath: /conf\n';
const volume = (name: string, items = '') => `      volumes:\n      - name: conf\n        configMap:\n          name: ${name}\n${items}`;

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
    expect(model.read.registry).toEqual({ value: 'from.file', source: 'config' });
    expect(model.read.repository).toEqual({ value: 'flag', source: 'flag' });
    expect(model.read.suffix).toEqual({ value: '-env', source: 'env' });
    expect(pullsFromNow(model)).toMatchObject({ registry: 'from.file', repository: 'flag', suffix: '-env' });
    expect(pullsFromAfterRender(model, { registry: 'm.io' })).toMatchObject({ registry: 'm.io', repository: 'flag', suffix: '-env' });
    expect(pullsFromAfterRender(model, { registry: 'm.io', repository: 'mine', suffix: '-ubi' })).toMatchObject({ repository: 'mine', suffix: '-ubi' });
  });

  it('the ConfigMap mounted for --config, through items and subPath', () => {
    const other = cm('other', 'container-suffix: -other');
    const mine = cm('mine', 'container-suffix: -mine', 'operator.yaml');
    const items = '          items:\n          - key: operator.yaml\n            path: eck.yaml\n';
    const viaItems = operatorModel(docs(other, mine, sts({ args: ['manager', '--config=/conf/eck.yaml'], mounts: mount, volumes: volume('mine', items) })), undefined);
    // Only `eck.yaml` data keys are operator configurations eck-airgap reads; `mine` keeps it under another key.
    expect(viaItems.config?.name).not.toBe('other');
    const subPath = '        volumeMounts:\n        - name: conf\n          mountPath: /etc/eck.yaml\n          subPath: eck.yaml\n';
    const viaSubPath = operatorModel(docs(cm('other', 'container-suffix: -other'), cm('mine', 'container-suffix: -mine'), sts({ args: ['manager', '--config', '/etc/eck.yaml'], mounts: subPath, volumes: volume('mine') })), undefined);
    expect(viaSubPath.read.suffix?.value).toBe('-mine');
  });

  it('a manager without --config reads no ConfigMap', () => {
    const model = operatorModel(docs(cm('elastic-operator', 'container-suffix: -wolfi'), sts()), undefined);
    expect(model.config).toBeUndefined();
    expect(model.read.suffix).toBeUndefined();
    // Without a manager in the stream, its ConfigMap is the one the stream has.
    expect(operatorModel(docs(cm('elastic-operator', 'container-suffix: -wolfi')), undefined).read.suffix?.value).toBe('-wolfi');
  });

  it('bare --ubi-only, --ubi-only=false, UBI_ONLY env as strconv.ParseBool reads it', () => {
    expect(operatorModel(docs(sts({ args: ['manager', '--ubi-only'] })), undefined).read.ubiOnly).toEqual({ value: true, source: 'flag' });
    expect(operatorModel(docs(sts({ args: ['manager', '--ubi-only=false'] })), undefined).read.ubiOnly).toEqual({ value: false, source: 'flag' });
    const env = (v: string) => operatorModel(docs(sts({ env: `        env:\n        - name: UBI_ONLY\n          value: "${v}"\n` })), undefined).read.ubiOnly;
    expect(env('T')).toEqual({ value: true, source: 'env' });
    expect(env('0')).toEqual({ value: false, source: 'env' });
    expect(env('')).toBeUndefined();
  });

  it('errors: valueFrom, ubi-only with a suffix, eckVersion against the stream', () => {
    const valueFrom = '        env:\n        - name: CONTAINER_REGISTRY\n          valueFrom:\n            configMapKeyRef: {name: x, key: y}\n';
    expect(() => operatorModel(docs(sts({ env: valueFrom })), undefined)).toThrow(InputError);
    expect(() => operatorModel(docs(sts({ env: valueFrom })), undefined)).toThrow(/CONTAINER_REGISTRY/);
    expect(() => operatorModel(docs(sts({ args: ['manager', '--ubi-only=false', '--container-suffix=-wolfi'] })), undefined)).toThrow(InputError);
    expect(() => operatorModel(docs(sts()), '2.16.1')).toThrow(UsageError);
    expect(() => operatorModel(docs(sts()), '2.16.1')).toThrow(/2\.16\.1.*eck-operator:3\.5\.0/);
    expect(operatorModel(docs(sts()), '3.5.0').release.version).toBe('3.5.0');
  });

  it('the release: operator image tag, else eckVersion, else the newest known', () => {
    expect(operatorModel(docs(sts({ image: 'my.reg/eck/eck-operator-ubi:2.16.1' })), undefined).release.version).toBe('2.16.1');
    expect(operatorModel(docs(cm('elastic-operator', 'ubi-only: true')), '2.11.0').release.version).toBe('2.11.0');
    const fallback = operatorModel([], undefined);
    expect(fallback.release.version).toBe('3.5.0');
    expect(fallback.releaseFrom).toMatch(/newest release eck-airgap knows \(3\.5\.0/);
    expect(releaseOfOperatorImage('docker.elastic.co/eck/eck-operator-fips:3.1.0@sha256:' + 'a'.repeat(64))).toBe('3.1.0');
    expect(releaseOfOperatorImage('docker.elastic.co/eck/eck-operator@sha256:' + 'a'.repeat(64))).toBeUndefined();
    expect(releaseOfOperatorImage('docker.elastic.co/eck/eck-operator:latest')).toBeUndefined();
    expect(operatorModel(docs(sts({ image: 'docker.elastic.co/eck/eck-operator:4.0.0' })), undefined).warnings.join()).toMatch(/newer than every release/);
    const digest = operatorModel(docs(sts({ image: 'docker.elastic.co/eck/eck-operator@sha256:' + 'a'.repeat(64) })), undefined);
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
