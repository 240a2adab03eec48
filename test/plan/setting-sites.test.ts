// The plan's operator-setting sites (src/plan/setting-sites.ts), one kind at a time: each with the value the operator
// reads before render, after, and how render writes it. Facts from ECK's source at v3.5.0:
// - pkg/controller/common/operator/flags.go: the flags `container-registry`, `container-repository`,
//   `container-suffix`, `ubi-only`, `config`;
// - cmd/manager/main.go (Command, PreRunE): viper.SetEnvKeyReplacer("-" → "_"), BindPFlags, AutomaticEnv (no prefix:
//   CONTAINER_REGISTRY), then ReadInConfig of --config — flags over env over the file;
// - cmd/manager/main.go: "must not combine ubi-only and container-suffix" when a suffix is set and ubi-only IsSet.
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { operatorOfRelease } from '../../src/analysis/read-release.js';
import { pullsFromAfterRender, pullsFromNow } from '../../src/operator/operator-model.js';
import { planSites } from '../../src/plan/plan-stream.js';
import type { SettingSite } from '../../src/plan/setting-sites.js';
import { readStream } from '../../src/stream/read-stream.js';

const MIRROR = 'harbor.corp/elastic';

function settingSites(
  text: string,
  options: { write?: boolean; suffix?: string; repository?: string } = {},
): { sites: readonly SettingSite[]; warnings: string[] } {
  const parsed = readStream({ text, file: 'test.yaml' }).parsed;
  const operator = operatorOfRelease(parsed, undefined);
  const settings = {
    registry: MIRROR,
    operatorRepository: 'eck',
    sourceRegistries: ['docker.elastic.co'],
    mirrors: {},
    ...(options.suffix !== undefined ? { suffix: options.suffix } : {}),
    ...(options.repository !== undefined ? { repository: options.repository } : {}),
  };
  const write = options.write ?? true;
  const warnings: string[] = [];
  const plan = planSites(parsed, {
    container: write ? pullsFromAfterRender(operator, settings) : pullsFromNow(operator),
    ...(write ? { mirror: settings } : {}),
    writeDefaults: write,
    releaseFrom: operator.releaseFrom,
    warn: (w) => warnings.push(w),
    operator,
    writeSettings: write,
  });
  return { sites: plan.settings, warnings };
}

function manager(container: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: elastic-operator, namespace: elastic-system}
spec:
  template:
    spec:
      containers:
      - name: manager
        image: docker.elastic.co/eck/eck-operator:3.5.0
${container}${extra}`;
}

const CONFIGMAP = `---
apiVersion: v1
kind: ConfigMap
metadata: {name: elastic-operator, namespace: elastic-system}
data:
  eck.yaml: |-
    container-registry: docker.elastic.co
    log-verbosity: 0
`;

const MOUNTED = `        args: [manager, --config=/conf/eck.yaml]
        volumeMounts: [{name: conf, mountPath: /conf, readOnly: true}]
      volumes:
      - name: conf
`;

/** The text a site's writes put in place of their scalars (replace writes only). */
function replaced(site: SettingSite): string[] {
  return site.writes.flatMap((w) => (w.how === 'replace' ? [w.text] : []));
}

describe('plan: operator setting sites', () => {
  it('a manager flag: read before, the mirror after, the flag scalar replaced (inline and separate forms)', () => {
    const { sites } = settingSites(
      manager('        args: [manager, --container-registry=docker.elastic.co, --container-repository, old]\n'),
      { repository: 'team' },
    );
    const [registry, repository] = sites;
    expect(registry).toMatchObject({
      kind: 'setting-flag',
      keys: ['container-registry'],
      field: '--container-registry',
      before: 'docker.elastic.co',
      after: MIRROR,
    });
    expect(replaced(registry!)).toEqual([`--container-registry=${MIRROR}`]);
    // `--container-repository old`: the value is its own argument, and only it is replaced.
    expect(repository).toMatchObject({ kind: 'setting-flag', before: 'old', after: 'team' });
    expect(replaced(repository!)).toEqual(['team']);
  });

  it('--ubi-only=false with a suffix wanted: the flag becomes the suffix (the operator refuses both set)', () => {
    const { sites } = settingSites(
      manager('        args: [manager, --ubi-only=false, --container-registry=r.example]\n'),
      {
        suffix: '-custom',
      },
    );
    const ubi = sites.find((s) => s.field === '--ubi-only')!;
    expect(ubi).toMatchObject({ kind: 'setting-flag', keys: ['ubi-only', 'container-suffix'], before: 'false' });
    expect(replaced(ubi)).toEqual(['--container-suffix=-custom']);
  });

  it('an env entry (AutomaticEnv, `-` → `_`): its value scalar replaced; an empty one is unset and left', () => {
    const { sites } = settingSites(
      manager(`        args: [manager]
        env:
        - {name: CONTAINER_REGISTRY, value: docker.elastic.co}
        - {name: CONTAINER_REPOSITORY, value: ""}
`),
    );
    const registry = sites.find((s) => s.field === 'env CONTAINER_REGISTRY')!;
    expect(registry).toMatchObject({ kind: 'setting-env', before: 'docker.elastic.co', after: MIRROR });
    expect(replaced(registry)).toEqual([MIRROR]);
    const repository = sites.find((s) => s.field === 'env CONTAINER_REPOSITORY')!;
    expect(repository).toMatchObject({ before: '', after: '', writes: [] });
  });

  it('no source sets the registry: the flag is added to the args (or args written, `manager` first)', () => {
    const withArgs = settingSites(manager('        args: [manager]\n')).sites;
    const added = withArgs.find((s) => s.kind === 'setting-added-flags')!;
    expect(added).toMatchObject({ field: 'args', before: '', after: `--container-registry=${MIRROR}` });
    expect(added.writes).toEqual([
      expect.objectContaining({ how: 'append', items: [`--container-registry=${MIRROR}`] }),
    ]);
    const noArgs = settingSites(manager('        ports: [{containerPort: 9443}]\n')).sites;
    const written = noArgs.find((s) => s.kind === 'setting-added-flags')!;
    expect(written.writes).toEqual([
      expect.objectContaining({ how: 'add-args', items: ['manager', `--container-registry=${MIRROR}`] }),
    ]);
  });

  it('the --config file from a ConfigMap key: edited with the changes it needs; nothing added to the args', () => {
    const { sites } = settingSites(manager(MOUNTED, '        configMap: {name: elastic-operator}\n') + CONFIGMAP);
    const config = sites.find((s) => s.kind === 'setting-config')!;
    expect(config).toMatchObject({
      field: 'data["eck.yaml"]',
      keys: ['container-registry'],
      before: 'docker.elastic.co',
      after: MIRROR,
    });
    expect(config.writes).toEqual([
      expect.objectContaining({ how: 'config', changes: new Map([['container-registry', MIRROR]]) }),
    ]);
    expect(sites.some((s) => s.kind === 'setting-added-flags')).toBe(false);
  });

  it('the --config file from a Secret (data, base64): re-encoded text that says the mirror', () => {
    const config = Buffer.from('container-registry: docker.elastic.co\n').toString('base64');
    const secret = `---
apiVersion: v1
kind: Secret
metadata: {name: operator-conf, namespace: elastic-system}
data:
  eck.yaml: ${config}
`;
    const { sites } = settingSites(manager(MOUNTED, '        secret: {secretName: operator-conf}\n') + secret);
    const site = sites.find((s) => s.kind === 'setting-config')!;
    expect(site.field).toBe('data["eck.yaml"]');
    const [text] = replaced(site);
    expect(Buffer.from(text!, 'base64').toString('utf8')).toBe(`container-registry: ${MIRROR}\n`);
  });

  it('a source the stream does not hold (envFrom): an unseen site naming it and what it may set', () => {
    const { sites } = settingSites(
      manager(`        args: [manager]
        envFrom: [{configMapRef: {name: operator-env}}]
`),
    );
    const unseen = sites.filter((s) => s.kind === 'setting-unseen');
    expect(unseen).toHaveLength(1);
    expect(unseen[0]).toMatchObject({ field: 'ConfigMap/operator-env', writes: [] });
    expect(unseen[0]!.keys).toEqual(['container-registry', 'container-repository', 'container-suffix', 'ubi-only']);
    // The mirror wins through a flag (flags are above the environment).
    expect(sites.find((s) => s.kind === 'setting-added-flags')?.after).toBe(`--container-registry=${MIRROR}`);
  });

  it('another container passing the operator flags (no manager): its flags follow the mirror', () => {
    const text = `apiVersion: batch/v1
kind: Job
metadata: {name: tool}
spec:
  template:
    spec:
      containers:
      - name: tool
        image: docker.elastic.co/eck/eck-diagnostics:1.0.0
        args: [--container-registry, docker.elastic.co]
`;
    const [flag] = settingSites(text).sites;
    expect(flag).toMatchObject({ kind: 'setting-flag', before: 'docker.elastic.co', after: MIRROR });
    expect(replaced(flag!)).toEqual([MIRROR]);
  });

  it('without writing (check): every site reads as it is, nothing to write', () => {
    const { sites } = settingSites(
      manager(MOUNTED, '        configMap: {name: elastic-operator}\n') +
        CONFIGMAP.replace('    log-verbosity: 0\n', '') +
        '',
      { write: false },
    );
    expect(sites.length).toBeGreaterThan(0);
    for (const site of sites) {
      expect(site.writes).toEqual([]);
      expect(site.after).toBe(site.before);
    }
  });

  it('the plan walks once: the image sites of the same stream are unchanged by the setting sites', () => {
    const text = manager('        args: [manager]\n');
    const parsed = readStream({ text, file: 't.yaml' }).parsed;
    const operator = operatorOfRelease(parsed, undefined);
    const base = { container: pullsFromNow(operator), writeDefaults: false, releaseFrom: 'x', warn: () => {} };
    const without = planSites(parsed, base);
    const withOperator = planSites(parsed, { ...base, operator });
    expect(without.settings).toEqual([]);
    expect(withOperator.images.map((s) => [s.kind, s.after])).toEqual(without.images.map((s) => [s.kind, s.after]));
    expect(withOperator.images.map((s) => s.kind)).toEqual(['operator-image']);
    expect(parseDocument(text).errors).toEqual([]);
  });
});
