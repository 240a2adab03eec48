import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pushImage,
  registriesConf,
  removeTempDirs,
  remoteDigest,
  startRegistry,
  tempDir,
  toolsPresent,
  writeOciImage,
  type Registry,
  type WrittenImage,
} from '../support/registry.js';
import { itHasRegistryTools } from '../support/registry.js';
import { caseFile, readCase, runCli } from '../support/cli.js';

const OPERATOR = caseFile('operator.yaml');
const STACK = caseFile('stack.yaml');
const HEARTBEAT_DIGEST = 'sha256:4b5e9ce0b2a8a6b5b4b0a2f8f0d4a7c1e3b9d2f6a8c0e4b7d1f3a5c9e2b6d8f0';

interface Entry {
  source: string;
  target: string;
  usedBy: { kind: string; namespace: string | null; name: string | null; field: string; reason: string }[];
}

async function json(args: string[], input?: string): Promise<Entry[]> {
  const r = await runCli(
    ['images', '--registry', 'my.registry', '-o', 'json', ...args],
    input === undefined ? {} : { input },
  );
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Entry[];
}

const bySource = (list: Entry[], source: string): Entry => {
  const found = list.find((e) => e.source === source);
  if (!found) throw new Error(`${source} not listed; got ${list.map((e) => e.source).join(', ')}`);
  return found;
};

describe('eck-airgap images: sources of images', () => {
  it('lists the hand-written expectation for operator + stack, sorted, each once, nginx named on stderr as not covered', async () => {
    const r = await runCli(['images', '--registry', 'my.registry', OPERATOR, STACK]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(readCase('stack.images.txt'));
    expect(r.stderr).toMatch(
      /not covered[^\n]*\n\s+nginx:1\.27\.3 \(docker\.io\), 1 use:\n\s+Deployment observability\/tools, spec\.template\.spec\.containers\[0\]\.image \(container\) \[[^\]]*stack\.yaml: document 4/,
    );
    expect(r.stdout).not.toContain('nginx');
    expect(r.stdout).not.toContain('apm-server'); // a ConfigMap value is data
  });

  it('says why each image is pulled: explicit, operator default, monitoring sidecar, operator, container', async () => {
    const list = await json([OPERATOR, STACK]);
    const es = bySource(list, 'docker.elastic.co/elasticsearch/elasticsearch:8.16.1');
    expect(es.usedBy).toEqual(
      expect.arrayContaining([
        {
          kind: 'Elasticsearch',
          namespace: 'observability',
          name: 'quickstart',
          field: 'spec.image',
          reason: 'operator-default',
        },
        {
          kind: 'Elasticsearch',
          namespace: 'observability',
          name: 'quickstart',
          field: 'spec.nodeSets[0].podTemplate.spec.initContainers[0].image',
          reason: 'container',
        },
        {
          kind: 'Job',
          namespace: 'observability',
          name: 'preflight',
          field: 'spec.template.spec.containers[0].image',
          reason: 'container',
        },
      ]),
    );
    expect(bySource(list, 'docker.elastic.co/kibana/kibana:8.16.1').usedBy[0]).toMatchObject({
      reason: 'explicit',
      field: 'spec.image',
    });
    expect(bySource(list, 'docker.elastic.co/beats/metricbeat:8.16.1').usedBy).toEqual([
      {
        kind: 'Elasticsearch',
        namespace: 'observability',
        name: 'quickstart',
        field: 'spec.monitoring.metrics.elasticsearchRefs',
        reason: 'monitoring-sidecar',
      },
    ]);
    expect(bySource(list, 'docker.elastic.co/beats/filebeat:8.16.1').usedBy[0]).toMatchObject({
      reason: 'monitoring-sidecar',
    });
    expect(bySource(list, 'docker.elastic.co/eck/eck-operator:3.5.0')).toMatchObject({
      target: 'my.registry/eck/eck-operator:3.5.0',
      usedBy: [{ kind: 'StatefulSet', namespace: 'elastic-system', name: 'elastic-operator', reason: 'operator' }],
    });
    expect(bySource(list, 'docker.elastic.co/logstash/logstash:8.16.1').usedBy[0]).toMatchObject({
      kind: 'Logstash',
      reason: 'operator-default',
    });
  });

  it('keeps digests on sources and targets', async () => {
    const list = await json([STACK]);
    expect(bySource(list, `docker.elastic.co/beats/heartbeat:8.16.1@${HEARTBEAT_DIGEST}`).target).toBe(
      `my.registry/beats/heartbeat:8.16.1@${HEARTBEAT_DIGEST}`,
    );
  });

  it('names sources by the upstream path, suffix and tag, targets after repository flattening (UBI mode)', async () => {
    const list = await json(['--ubi-only', '--repository', 'elastic', STACK]);
    expect(bySource(list, 'docker.elastic.co/elasticsearch/elasticsearch-ubi:8.16.1').target).toBe(
      'my.registry/elastic/elasticsearch-ubi:8.16.1',
    );
    expect(bySource(list, 'docker.elastic.co/beats/metricbeat-ubi:8.16.1').target).toBe(
      'my.registry/elastic/metricbeat-ubi:8.16.1',
    );
    // an explicit image keeps its own name; only its registry and path move
    expect(bySource(list, 'docker.elastic.co/kibana/kibana:8.16.1').target).toBe('my.registry/elastic/kibana:8.16.1');
  });

  it('reads repository and UBI mode from the operator ConfigMap when the configuration leaves them unset', async () => {
    const withConfig = readCase('operator.yaml').replace(
      'container-registry: docker.elastic.co',
      'container-registry: docker.elastic.co\n    ubi-only: true\n    container-repository: team',
    );
    const list = await json(['-', STACK], withConfig);
    expect(bySource(list, 'docker.elastic.co/logstash/logstash-ubi:8.16.1').target).toBe(
      'my.registry/team/logstash-ubi:8.16.1',
    );
  });

  it('lists Docker Hub images covered by a mirrors entry, with their normalized names', async () => {
    const list = await json(['--mirror', 'docker.io=my.registry/dockerhub', STACK]);
    expect(bySource(list, 'docker.io/library/nginx:1.27.3').target).toBe('my.registry/dockerhub/library/nginx:1.27.3');
  });

  it('gives the same list for raw and for already-rendered output (mirror names mapped back to upstream names)', async () => {
    for (const extra of [
      [],
      ['--ubi-only', '--repository', 'elastic'],
      ['--mirror', 'docker.io=my.registry/dockerhub'],
    ]) {
      const raw = await runCli(['images', '--registry', 'my.registry', ...extra, OPERATOR, STACK]);
      const rendered = await runCli(['render', '-q', '--registry', 'my.registry', ...extra, OPERATOR, STACK]);
      expect(rendered.exitCode, rendered.stderr).toBe(0);
      const mirrors = extra[0] === '--mirror' ? extra : [];
      const again = await runCli(['images', '--registry', 'my.registry', ...mirrors, '-'], { input: rendered.stdout });
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stdout, `options ${extra.join(' ')}`).toBe(raw.stdout);
      expect(raw.stdout.length).toBeGreaterThan(0);
    }
  });

  it('--with-diagnostics adds the support-diagnostics image and prints the eck-diagnostics flags', async () => {
    const r = await runCli([
      'images',
      '--registry',
      'my.registry',
      '--image-pull-secret',
      'regcred',
      '--with-diagnostics',
      OPERATOR,
      STACK,
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'docker.elastic.co/eck-dev/support-diagnostics:9.3.1 -> my.registry/eck-dev/support-diagnostics:9.3.1\n',
    );
    expect(r.stderr).toContain(
      'eck-diagnostics --diagnostic-image my.registry/eck-dev/support-diagnostics:9.3.1 --image-pull-secrets regcred -o elastic-system -r observability',
    );
    const custom = await runCli([
      'images',
      '--registry',
      'my.registry',
      '--with-diagnostics=docker.elastic.co/eck-dev/support-diagnostics:8.4.3',
      '-o',
      'json',
      STACK,
    ]);
    const list = JSON.parse(custom.stdout) as Entry[];
    expect(bySource(list, 'docker.elastic.co/eck-dev/support-diagnostics:8.4.3').usedBy).toEqual([
      { kind: 'eck-diagnostics', field: '--diagnostic-image', reason: 'diagnostics' },
    ]);
    expect(custom.stderr).not.toContain('--image-pull-secrets');
  });
});

describe('eck-airgap images: output formats', () => {
  it('skopeo: a skopeo sync source file grouped by source registry, exact tags, digests for pinned images', async () => {
    const r = await runCli([
      'images',
      '--registry',
      'my.registry',
      '--mirror',
      'docker.io=my.registry/dockerhub',
      '-o',
      'skopeo',
      OPERATOR,
      STACK,
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^# Images to copy into the mirror/);
    const file = parse(r.stdout) as Record<string, { images: Record<string, string[]> }>;
    expect(Object.keys(file)).toEqual(['docker.elastic.co', 'docker.io']);
    expect(file['docker.elastic.co']!.images).toEqual({
      'beats/filebeat': ['8.16.1'],
      'beats/heartbeat': [HEARTBEAT_DIGEST],
      'beats/metricbeat': ['8.16.1'],
      'eck/eck-operator': ['3.5.0'],
      'elasticsearch/elasticsearch': ['8.16.1'],
      'kibana/kibana': ['8.16.1'],
      'logstash/logstash': ['8.16.1'],
    });
    expect(file['docker.io']!.images).toEqual({ 'library/nginx': ['1.27.3'] });
    expect(r.stdout).not.toContain('images-by-tag-regex');
    expect(r.stderr).toContain('several directories');
  });

  it('skopeo: an untagged image is listed as latest (an empty list would copy every tag); one DEST when repository flattens', async () => {
    const input =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: docker.elastic.co/elasticsearch/elasticsearch\n';
    const r = await runCli(['images', '--registry', 'my.registry', '--repository', 'elastic', '-o', 'skopeo', '-'], {
      input,
    });
    const file = parse(r.stdout) as Record<string, { images: Record<string, string[]> }>;
    expect(file['docker.elastic.co']!.images['elasticsearch/elasticsearch']).toEqual(['latest']);
    expect(r.stdout).toContain(
      '# Copy with: skopeo sync --all --src yaml --dest docker THIS-FILE my.registry/elastic\n',
    );
  });

  it('script: POSIX sh with a header, set -eu, one skopeo copy --all per image; passes sh -n', async () => {
    const r = await runCli(['images', '--registry', 'my.registry', '-o', 'script', OPERATOR, STACK]);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('#!/bin/sh');
    expect(lines[1]).toMatch(/^# .*eck-airgap images/);
    expect(lines).toContain('set -eu');
    expect(lines.filter((l) => l.startsWith('skopeo copy --all docker://'))).toHaveLength(7);
    expect(lines).toContain(
      'skopeo copy --all docker://docker.elastic.co/eck/eck-operator:3.5.0 docker://my.registry/eck/eck-operator:3.5.0',
    );
    // skopeo refuses tag+digest: the pinned source is copied by digest, to the target's tag
    expect(lines).toContain(
      `skopeo copy --all docker://docker.elastic.co/beats/heartbeat@${HEARTBEAT_DIGEST} docker://my.registry/beats/heartbeat:8.16.1`,
    );

    const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-skopeo-'));
    const script = join(dir, 'mirror.sh');
    writeFileSync(script, r.stdout);
    const syntax = await execa('sh', ['-n', script], { reject: false });
    expect(syntax.exitCode, String(syntax.stderr)).toBe(0);
  });
  it('text is the default; an unknown --output is a usage error (exit 2, nothing on stdout)', async () => {
    const r = await runCli(['images', '--registry', 'my.registry', '-o', 'yaml', STACK]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--output yaml: unknown format; use one of text, json, skopeo, script/);
  });

  it('needs a registry (exit 2), and reports bad input like render (exit 1)', async () => {
    const none = await runCli(['images', STACK]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/No registry given/);
    const bad = await runCli(['images', '--registry', 'my.registry', '-'], {
      input:
        'apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata: {name: kb, namespace: ns}\nspec: {count: 1}\n',
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/Kibana ns\/kb: cannot compute the operator's image: spec\.version is missing/);
  });
});

// -o script and -o skopeo run by the real skopeo against real registries: a stand-in for docker.elastic.co (through
// a registries.conf in $HOME/.config/containers, which skopeo reads by itself) and a mirror; every image render
// points at must then be on the mirror, with the upstream digest.
describe('eck-airgap images: -o script and -o skopeo with the real skopeo land images where render points', () => {
  itHasRegistryTools('test/commands/images.test.ts (real skopeo)', 'docker-registry and skopeo');
  if (!toolsPresent) return;

  let source: Registry;
  let mirror: Registry;
  let home: string;
  const pushed: Record<string, WrittenImage> = {};
  const STACK_MIRROR = caseFile('../mirror/stack.yaml');
  let heartbeat: WrittenImage;
  let stream: string;

  beforeAll(async () => {
    [source, mirror] = await Promise.all([startRegistry(), startRegistry()]);
    const upstream: [string, string][] = [
      ['eck/eck-operator', '3.5.0'],
      ['elasticsearch/elasticsearch', '8.16.1'],
      ['kibana/kibana', '8.16.1'],
      ['beats/elastic-agent', '8.16.1'],
      ['beats/metricbeat', '8.16.1'],
      ['beats/filebeat', '8.16.1'],
    ];
    for (const [path, tag] of upstream) {
      pushed[path] = writeOciImage(`${path}:${tag} for images`);
      await pushImage(pushed[path]!, source, path, tag);
    }
    heartbeat = writeOciImage('heartbeat pinned');
    await pushImage(heartbeat, source, 'beats/heartbeat', '8.16.1');
    // a Pod pinned by tag and digest: skopeo copies it by digest, to the target's tag
    stream =
      readFileSync(STACK_MIRROR, 'utf8') +
      `---\napiVersion: v1\nkind: Pod\nmetadata: {name: probe, namespace: elastic-stack}\nspec:\n  containers:\n    - name: heartbeat\n      image: docker.elastic.co/beats/heartbeat:8.16.1@${heartbeat.digest}\n`;
    home = tempDir('home');
    mkdirSync(join(home, '.config', 'containers'), { recursive: true });
    const conf =
      readFileSync(registriesConf(source), 'utf8') + `\n[[registry]]\nlocation = "${mirror.host}"\ninsecure = true\n`;
    writeFileSync(join(home, '.config', 'containers', 'registries.conf'), conf);
  });

  afterAll(async () => {
    await Promise.all([source?.stop(), mirror?.stop()]);
    removeTempDirs();
  });

  /** Every image value in render's output for the same settings, plus the sidecars images lists (the operator names those). */
  async function renderedImages(args: string[]): Promise<string[]> {
    const rendered = await runCli(['render', '-q', '--registry', mirror.host, ...args, '-'], { input: stream });
    expect(rendered.exitCode, rendered.stderr).toBe(0);
    const values = [...rendered.stdout.matchAll(/^\s*(?:-\s+)?image:\s*"?([^"\s]+)"?\s*$/gm)].map((m) => m[1]!);
    const listed = await runCli(['images', '--registry', mirror.host, ...args, '-'], { input: stream });
    const sidecars = listed.stdout
      .split('\n')
      .filter((l) => /beats\/(metricbeat|filebeat)/.test(l))
      .map((l) => l.split(' -> ')[1]!);
    expect(values.length).toBeGreaterThanOrEqual(5);
    expect(sidecars).toHaveLength(2);
    return [...new Set([...values, ...sidecars])];
  }

  async function expectOnMirror(images: string[]): Promise<void> {
    for (const image of images) {
      const ref = image.replace(/:[^:/@]+@sha256:/, '@sha256:');
      const digest = await remoteDigest(ref);
      expect(digest, `${image} on the mirror`).toMatch(/^sha256:/);
      // the upstream image by its last path element (repository flattening keeps only that)
      const name = /\/([^/:@]+)[:@][^/]*$/.exec(ref)?.[1];
      const path = Object.keys(pushed).find((p) => p.endsWith(`/${name}`));
      const expected = name === 'heartbeat' ? heartbeat.digest : pushed[path!]?.digest;
      expect(expected, image).toMatch(/^sha256:/);
      expect(digest, image).toBe(expected);
    }
    const v = await runCli(
      [
        'verify',
        '--registry',
        mirror.host,
        '--plain-http',
        '--platform',
        'linux/amd64',
        '--platform',
        'linux/arm64',
        '-',
      ],
      { input: stream },
    );
    expect(v.exitCode, v.stderr + v.stdout).toBe(0);
  }

  it('script: run with the real skopeo, every image lands where render points (tag and pinned digest)', async () => {
    const r = await runCli(['images', '--registry', mirror.host, '-o', 'script', '-'], { input: stream });
    expect(r.exitCode, r.stderr).toBe(0);
    const script = join(tempDir('script'), 'mirror.sh');
    writeFileSync(script, r.stdout);
    const run = await execa('sh', [script], { env: { HOME: home }, reject: false });
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const images = await renderedImages([]);
    expect(images).toContain(`${mirror.host}/beats/heartbeat:8.16.1@${heartbeat.digest}`);
    expect(images).toContain(`${mirror.host}/elasticsearch/elasticsearch:8.16.1`);
    await expectOnMirror(images);
  });

  it("script: stops at the first failing copy (set -eu) with skopeo's reason", async () => {
    const missing = stream.replace(
      'image: "docker.elastic.co/eck/eck-operator:3.5.0"',
      'image: "docker.elastic.co/beats/auditbeat:0.0.1"',
    );
    const r = await runCli(['images', '--registry', mirror.host, '--repository', 'stops', '-o', 'script', '-'], {
      input: missing,
    });
    const script = join(tempDir('script'), 'mirror.sh');
    writeFileSync(script, r.stdout);
    // auditbeat sorts first and is not on the source: the script stops there and copies nothing else
    expect(r.stdout.split('\n').find((l) => l.startsWith('skopeo copy'))).toContain('beats/auditbeat:0.0.1');
    const run = await execa('sh', [script], { env: { HOME: home }, reject: false });
    expect(run.exitCode).not.toBe(0);
    expect(String(run.stderr)).toMatch(/manifest unknown|not found/i);
    expect(await remoteDigest(`${mirror.host}/stops/elastic-agent:8.16.1`)).toBeUndefined();
  });

  it('skopeo: the sync file, with repository set, lands every image where render points (one skopeo sync)', async () => {
    const args = ['--repository', 'elastic', '--operator-repository', 'elastic'];
    const r = await runCli(['images', '--registry', mirror.host, ...args, '-o', 'skopeo', '-'], { input: stream });
    expect(r.exitCode, r.stderr).toBe(0);
    const command = /^# Copy with: (skopeo sync .*)$/m.exec(r.stdout)?.[1];
    expect(command).toBe(`skopeo sync --all --src yaml --dest docker THIS-FILE ${mirror.host}/elastic`);
    const file = join(tempDir('sync'), 'images.yaml');
    writeFileSync(file, r.stdout);
    const words = command!.split(' ').map((w) => (w === 'THIS-FILE' ? file : w));
    const run = await execa(words[0]!, [...words.slice(1, -1), '--dest-tls-verify=false', words.at(-1)!], {
      env: { HOME: home },
      reject: false,
    });
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const images = await renderedImages(args);
    expect(images).toContain(`${mirror.host}/elastic/eck-operator:3.5.0`);
    expect(images).toContain(`${mirror.host}/elastic/kibana:8.16.1`);
    await expectOnMirror(images);
  });
});
