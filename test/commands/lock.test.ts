// The images lock without a registry: the lock file read (bounded, checked, errors with file and line), render
// --lock from the flag, the environment and the config file, the sidecar containers it writes (named as ECK's
// operator names them) and what it refuses, check --lock. The real CLI as a process; the registry side (verify
// --lock-output, drift) and Helm are in test/e2e/helm-lock.test.ts.
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const D = (c: string): string => `sha256:${c.repeat(64)}`;
const REG = 'my.registry:5000';

function lockText(entries: [image: string, digest: string][]): string {
  return (
    [
      'apiVersion: eck-airgap/v1',
      'kind: ImagesLock',
      'images:',
      ...entries.flatMap(([image, digest]) => [
        `  - image: "${image}"`,
        '    source: null',
        `    digest: "${digest}"`,
        '    platforms:',
        '      - platform: linux/amd64',
        `        digest: "${D('f')}"`,
      ]),
    ].join('\n') + '\n'
  );
}

const LOCK = lockText([
  [`${REG}/elasticsearch/elasticsearch:8.16.1`, D('a')],
  [`${REG}/beats/metricbeat:8.16.1`, D('b')],
  [`${REG}/beats/filebeat:8.16.1`, D('c')],
  [`${REG}/beats/heartbeat:8.16.1`, D('d')],
  [`${REG}/kibana/kibana:8.16.1`, D('e')],
]);

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'eck-airgap-lock-'));
}

function withLock(text = LOCK): { cwd: string; lock: string } {
  const cwd = dir();
  const lock = join(cwd, 'images.lock.yaml');
  writeFileSync(lock, text);
  return { cwd, lock };
}

const ES = `apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata: {name: es, namespace: ns}
spec:
  version: 8.16.1
  monitoring:
    metrics: {elasticsearchRefs: [{name: mon}]}
    logs: {elasticsearchRefs: [{name: mon}]}
  nodeSets:
  - name: a
    count: 1
  - name: b
    podTemplate:
      spec:
        containers:
        - name: filebeat
          resources: {}
        - name: metricbeat
          image: docker.elastic.co/beats/metricbeat:8.16.1
  - name: c
    podTemplate: {spec: {}}
`;

type Container = { name: string; image?: string };
const containersOf = (nodeSet: { podTemplate?: { spec?: { containers?: Container[] } } }): Container[] =>
  nodeSet.podTemplate?.spec?.containers ?? [];

describe('render --lock', () => {
  it('pins spec.image (defaulted) and every sidecar, per nodeSet, keeping a container the user wrote; pull secrets in the same pod template', async () => {
    const { cwd, lock } = withLock();
    const r = await runCli(['--registry', REG, '--lock', lock, '--pull-secret', 'regcred', '-'], { input: ES, cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const es = parse(r.stdout);
    expect(es.spec.image).toBe(`${REG}/elasticsearch/elasticsearch:8.16.1@${D('a')}`);
    const [a, b, c] = es.spec.nodeSets;
    const sidecars = [
      { name: 'metricbeat', image: `${REG}/beats/metricbeat:8.16.1@${D('b')}` },
      { name: 'filebeat', image: `${REG}/beats/filebeat:8.16.1@${D('c')}` },
    ];
    expect(containersOf(a)).toEqual(sidecars);
    expect(containersOf(c)).toEqual(sidecars);
    // The user's filebeat gets the pinned image and keeps its settings; their metricbeat image is moved and pinned as a container.
    expect(containersOf(b)).toEqual([{ name: 'filebeat', resources: {}, image: sidecars[1]!.image }, sidecars[0]]);
    for (const nodeSet of [a, b, c]) expect(nodeSet.podTemplate.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(r.stderr).toMatch(/1 spec\.image set, .*pull secrets added to 3 pod templates/);
  });

  it('a pinned release rendered again, with the lock or without, comes out byte for byte the same', async () => {
    const { cwd, lock } = withLock();
    const once = await runCli(['--registry', REG, '--lock', lock, '-q', '-'], { input: ES, cwd });
    expect(once.exitCode, once.stderr).toBe(0);
    const twice = await runCli(['--registry', REG, '--lock', lock, '-q', '-'], { input: once.stdout, cwd });
    expect(twice.exitCode, twice.stderr).toBe(0);
    expect(twice.stdout).toBe(once.stdout);
    const plain = await runCli(['--registry', REG, '-q', '-'], { input: once.stdout, cwd });
    expect(plain.stdout).toBe(once.stdout);
  });

  it('a Beat: the operator names its sidecars metrics-monitoring-sidecar / logs-monitoring-sidecar (ECK v3.5.0 pkg/controller/beat/common/pod.go)', async () => {
    const { cwd, lock } = withLock();
    const beat = `apiVersion: beat.k8s.elastic.co/v1beta1\nkind: Beat\nmetadata: {name: hb, namespace: ns}\nspec:\n  type: heartbeat\n  version: 8.16.1\n  monitoring:\n    metrics: {elasticsearchRefs: [{name: mon}]}\n    logs: {elasticsearchRefs: [{name: mon}]}\n  deployment: {replicas: 1}\n`;
    const r = await runCli(['--registry', REG, '--lock', lock, '-'], { input: beat, cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const out = parse(r.stdout);
    expect(out.spec.image).toBe(`${REG}/beats/heartbeat:8.16.1@${D('d')}`);
    expect(out.spec.deployment.podTemplate.spec.containers).toEqual([
      { name: 'metrics-monitoring-sidecar', image: `${REG}/beats/metricbeat:8.16.1@${D('b')}` },
      { name: 'logs-monitoring-sidecar', image: `${REG}/beats/filebeat:8.16.1@${D('c')}` },
    ]);
  });

  it('from the environment (ECK_AIRGAP_LOCK) and from the config file (lock:)', async () => {
    const { cwd, lock } = withLock();
    const kibana =
      'apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata: {name: kb}\nspec:\n  version: 8.16.1\n  image: docker.elastic.co/kibana/kibana:8.16.1\n';
    const pinned = `image: ${REG}/kibana/kibana:8.16.1@${D('e')}`;
    const env = await runCli(['--registry', REG, '-'], { input: kibana, cwd, env: { ECK_AIRGAP_LOCK: lock } });
    expect(env.exitCode, env.stderr).toBe(0);
    expect(env.stdout).toContain(pinned);
    writeFileSync(join(cwd, 'eck-airgap.yaml'), `registry: ${REG}\nlock: images.lock.yaml\n`);
    const file = await runCli(['-'], { input: kibana, cwd });
    expect(file.exitCode, file.stderr).toBe(0);
    expect(file.stdout).toContain(pinned);
    // And without a lock: no digest.
    const none = await runCli(['--registry', REG, '-'], { input: kibana, cwd: dir() });
    expect(none.stdout).toContain(`image: ${REG}/kibana/kibana:8.16.1\n`);
  });

  it('an image the lock does not hold: exit 1 naming each one, nothing on stdout', async () => {
    const { cwd, lock } = withLock(lockText([[`${REG}/elasticsearch/elasticsearch:8.16.1`, D('a')]]));
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: docker.elastic.co/beats/auditbeat:8.16.1}\n';
    const r = await runCli(['--registry', REG, '--lock', lock, '-'], { input: `${ES}---\n${pod}`, cwd });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `${REG}/beats/metricbeat:8.16.1 (document 1: Elasticsearch ns/es, spec.monitoring.metrics): not in the lock`,
    );
    expect(r.stderr).toContain(
      `${REG}/beats/filebeat:8.16.1 (document 1: Elasticsearch ns/es, spec.monitoring.logs): not in the lock`,
    );
    expect(r.stderr).toMatch(
      /beats\/auditbeat:8\.16\.1 \(.*document 2.*spec\.containers\[0\]\.image\): not in the lock/,
    );
    expect(r.stderr).toContain('nothing was written');
  });

  it('--no-set-default-images with --lock: the default the operator would pull by tag cannot be pinned, exit 1', async () => {
    const { cwd, lock } = withLock();
    const kibana =
      'apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata: {name: kb}\nspec:\n  version: 8.16.1\n';
    const r = await runCli(['--registry', REG, '--lock', lock, '--no-set-default-images', '-'], { input: kibana, cwd });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      "the operator's default image (document 1: Kibana kb, spec.image): not written (setDefaultImages is false)",
    );
  });

  it('an image named by digest alone: kept when the lock holds it (image: name@digest in the lock), refused otherwise', async () => {
    const { cwd, lock } = withLock(
      `${LOCK}  - image: "${REG}/beats/auditbeat@${D('8')}"\n    source: null\n    digest: "${D('8')}"\n    platforms: []\n`,
    );
    const pod = (digest: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: "docker.elastic.co/beats/auditbeat@${digest}"}\n`;
    const ok = await runCli(['--registry', REG, '--lock', lock, '-q', '-'], { input: pod(D('8')), cwd });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`image: "${REG}/beats/auditbeat@${D('8')}"`);
    const bad = await runCli(['--registry', REG, '--lock', lock, '-q', '-'], { input: pod(D('6')), cwd });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain(
      `${REG}/beats/auditbeat@${D('6')} (document 1: Pod p, spec.containers[0].image): pinned to ${D('6')}, a digest the lock does not hold for it`,
    );
    const wrong = withLock(
      `${LOCK}  - image: "${REG}/beats/auditbeat@${D('8')}"\n    source: null\n    digest: "${D('7')}"\n    platforms: []\n`,
    );
    const mismatch = await runCli(['--registry', REG, '--lock', wrong.lock, '-'], {
      input: pod(D('8')),
      cwd: wrong.cwd,
    });
    expect(mismatch.exitCode).toBe(1);
    expect(mismatch.stderr).toMatch(
      /line 36: images\[5\]: .*auditbeat@sha256:8+ is named by its digest, but the lock says sha256:7+/,
    );
  });

  it('an image already pinned to a digest the lock does not hold is refused', async () => {
    const { cwd, lock } = withLock();
    const kibana = `apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata: {name: kb}\nspec:\n  version: 8.16.1\n  image: docker.elastic.co/kibana/kibana:8.16.1@${D('9')}\n`;
    const r = await runCli(['--registry', REG, '--lock', lock, '-'], { input: kibana, cwd });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`pinned to ${D('9')}, a digest the lock does not hold for it (the lock has ${D('e')})`);
  });
});

describe('the lock file: read bounded, checked, every problem with the file and line', () => {
  const kibana = 'apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata: {name: kb}\nspec:\n  version: 8.16.1\n';
  const cases: [string, string, RegExp][] = [
    ['not YAML', 'apiVersion: eck-airgap/v1\nkind: [\n', /Lock file .*images\.lock\.yaml, line \d+: not valid YAML/],
    [
      'another apiVersion',
      LOCK.replace('eck-airgap/v1', 'eck-airgap/v2'),
      /line 1: apiVersion: expected eck-airgap\/v1/,
    ],
    ['a bad digest', LOCK.replace(D('c'), 'sha256:123'), /line 18: images\[2\]\.digest: not a sha256 digest/],
    [
      'an image with a digest',
      LOCK.replace(`${REG}/kibana/kibana:8.16.1`, `${REG}/kibana/kibana:8.16.1@${D('1')}`),
      /line 28: images\[4\]\.image: not an image reference name\[:tag\]/,
    ],
    [
      'an unknown key',
      LOCK.replace('    source: null\n', '    source: null\n    colour: blue\n'),
      /line 4: images\[0\]: Unrecognized key: "colour"/,
    ],
    [
      'an image locked twice',
      lockText([
        [`${REG}/a:1`, D('a')],
        [`${REG}/a:1`, D('b')],
      ]),
      /line 10: my\.registry:5000\/a:1 is locked twice/,
    ],
  ];
  for (const [name, text, message] of cases) {
    it(`${name}: exit 1, named with file and line, nothing on stdout`, async () => {
      const { cwd, lock } = withLock(text);
      const r = await runCli(['--registry', REG, '--lock', lock, '-'], { input: kibana, cwd });
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(lock);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('refuses a directory, a symbolic link, a file over the size cap, a missing file', async () => {
    const cwd = dir();
    mkdirSync(join(cwd, 'd'));
    writeFileSync(join(cwd, 'real.yaml'), LOCK);
    symlinkSync(join(cwd, 'real.yaml'), join(cwd, 'link.yaml'));
    writeFileSync(join(cwd, 'big.yaml'), '');
    truncateSync(join(cwd, 'big.yaml'), 5 * 1024 * 1024);
    const expectations: [string, RegExp][] = [
      [
        'd',
        /lock file .*\/d: not a regular file \(a directory\); it must be a regular file; give the lock file verify/,
      ],
      ['link.yaml', /lock file .*link\.yaml: a symbolic link; give the file it points to/],
      ['big.yaml', /lock file .*big\.yaml: 5242880 bytes, more than the 4 MiB such a file may have/],
      ['absent.yaml', /lock file .*absent\.yaml: no such file/],
    ];
    for (const [file, message] of expectations) {
      const r = await runCli(['--registry', REG, '--lock', join(cwd, file), '-'], { input: kibana, cwd });
      expect(r.exitCode, file).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
    const ok = await runCli(['--registry', REG, '--lock', join(cwd, 'real.yaml'), '-'], { input: kibana, cwd });
    expect(ok.exitCode, ok.stderr).toBe(0);
  });
});

describe('check --lock', () => {
  it('passes on a pinned render without --registry; names each unpinned use (sidecars included) and each digest the lock lacks', async () => {
    const { cwd, lock } = withLock();
    const rendered = await runCli(['--registry', REG, '--lock', lock, '-q', '-'], { input: ES, cwd });
    expect(rendered.exitCode, rendered.stderr).toBe(0);
    const ok = await runCli(['check', '--lock', lock, '-'], { input: rendered.stdout, cwd });
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/check passed: all 7 image uses are pinned/);

    const plain = await runCli(['--registry', REG, '-q', '-'], { input: ES, cwd });
    const bad = await runCli(['check', '--lock', lock, '-'], { input: plain.stdout, cwd });
    expect(bad.exitCode).toBe(1);
    const lines = bad.stdout.trim().split('\n');
    expect(lines).toContain(
      `${REG}/elasticsearch/elasticsearch:8.16.1 (not pinned by digest): Elasticsearch ns/es, spec.image (explicit) [document 1]`,
    );
    expect(
      lines.some((l) =>
        l.startsWith(
          'docker.elastic.co/beats/filebeat:8.16.1 (not pinned by digest): Elasticsearch ns/es, spec.monitoring.logs',
        ),
      ),
    ).toBe(true);

    const foreign = rendered.stdout.replace(`@${D('a')}`, `@${D('7')}`);
    const wrong = await runCli(['check', '--lock', lock, '-'], { input: foreign, cwd });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stdout).toContain(
      `(pinned to ${D('7')}, a digest the lock does not hold for ${REG}/elasticsearch/elasticsearch)`,
    );
  });

  it('a platform digest the lock holds counts as pinned (a pod may pull one platform by digest)', async () => {
    const { cwd, lock } = withLock();
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: "${REG}/kibana/kibana:8.16.1@${D('f')}"}\n`;
    const r = await runCli(['check', '--lock', lock, '-'], { input: pod, cwd });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
  });

  it('with the registry given too, an image from elsewhere is named for both reasons once', async () => {
    const { cwd, lock } = withLock();
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: "docker.io/library/busybox:1"}\n';
    const r = await runCli(['check', '--registry', REG, '--lock', lock, '-'], { input: pod, cwd });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(
      'docker.io/library/busybox:1 (not pinned by digest): Pod p, spec.containers[0].image (container) [document 1]\n',
    );
  });
});

describe('a sidecar the user names in every pod template, with an image of its own, is that image (not the default)', () => {
  it('check and images list the container image, not the operator default sidecar', async () => {
    // ECK v3.5.0 pkg/controller/common/defaults/pod_template.go WithContainers + container/defaulter.go WithImage:
    // the pod template's image is kept for a container of the sidecar's name.
    const kibana = `apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata: {name: kb}\nspec:\n  version: 8.16.1\n  image: ${REG}/kibana/kibana:8.16.1\n  monitoring:\n    metrics: {elasticsearchRefs: [{name: mon}]}\n  podTemplate:\n    spec:\n      containers:\n      - name: metricbeat\n        image: ${REG}/beats/metricbeat:8.16.1\n`;
    const r = await runCli(['check', '--registry', REG, '-'], { input: kibana });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/all 2 image uses pull from/);
    const other = kibana.replace('name: metricbeat', 'name: my-metricbeat');
    const off = await runCli(['check', '--registry', REG, '-'], { input: other });
    expect(off.exitCode).toBe(1);
    expect(off.stdout).toContain(
      'docker.elastic.co/beats/metricbeat:8.16.1 (docker.elastic.co): Kibana kb, spec.monitoring.metrics',
    );
  });
});

describe('the lock under Argo CD: named by the Application, it must be inside the source directory', () => {
  function app(): string {
    const cwd = dir();
    mkdirSync(join(cwd, 'templates'));
    writeFileSync(join(cwd, 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 0.1.0\n');
    writeFileSync(
      join(cwd, 'templates', 'kb.yaml'),
      'apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata: {name: kb}\nspec:\n  version: 8.16.1\n',
    );
    return cwd;
  }

  it("ARGOCD_ENV_ECK_AIRGAP_LOCK or lock: in the Application's config file pointing outside: exit 2, the file not read", async () => {
    const cwd = app();
    const outside = withLock().lock;
    const env = await runCli(['argocd', 'generate'], {
      cwd,
      env: { ARGOCD_ENV_ECK_AIRGAP_REGISTRY: REG, ARGOCD_ENV_ECK_AIRGAP_LOCK: outside, HELM_BIN: '/nonexistent/helm' },
    });
    expect(env.exitCode).toBe(2);
    expect(env.stdout).toBe('');
    expect(env.stderr).toContain(
      `The lock file "${outside}" is an absolute path; it must be a file inside the Application's source directory`,
    );
    writeFileSync(join(cwd, 'eck-airgap.yaml'), `registry: ${REG}\nlock: ../x/images.lock.yaml\n`);
    const file = await runCli(['argocd', 'generate'], { cwd, env: { HELM_BIN: '/nonexistent/helm' } });
    expect(file.exitCode).toBe(2);
    expect(file.stderr).toContain('The lock file "../x/images.lock.yaml" leads out of the directory');
  });

  it("the sidecar's own ECK_AIRGAP_LOCK is the administrator's: trusted where it is, and the release is pinned", async () => {
    const { helmBin } = await import('../support/helm.js');
    const cwd = app();
    const { lock } = withLock();
    const r = await runCli(['argocd', 'generate'], {
      cwd,
      env: { ECK_AIRGAP_REGISTRY: REG, ECK_AIRGAP_LOCK: lock, HELM_BIN: helmBin(3), ARGOCD_APP_NAME: 'app' },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`image: ${REG}/kibana/kibana:8.16.1@${D('e')}`);
  });
});

describe('verify --lock-output: where it writes is checked before the mirror is asked', () => {
  it('a missing directory or a directory as the file: exit 2, nothing contacted', async () => {
    const cwd = dir();
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: docker.elastic.co/kibana/kibana:8.16.1}\n';
    // 127.0.0.1:9 (discard) would be unreachable: exit 2 shows verify stopped before asking it.
    const missing = await runCli(
      ['verify', '--registry', '127.0.0.1:9', '--plain-http', '--lock-output', join(cwd, 'no', 'lock.yaml'), '-'],
      { input: pod, cwd },
    );
    expect(missing.exitCode).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain(
      `--lock-output ${join(cwd, 'no', 'lock.yaml')}: ${join(cwd, 'no')} is not a directory.`,
    );
    const isDir = await runCli(['verify', '--registry', '127.0.0.1:9', '--plain-http', '--lock-output', cwd, '-'], {
      input: pod,
      cwd,
    });
    expect(isDir.exitCode).toBe(2);
    expect(isDir.stderr).toContain(`--lock-output ${cwd}: it is a directory`);
  });
});
