// The real CLI end to end: fidelity (unchanged documents byte for byte, only changed lines differ), idempotence,
// the report and --quiet, exit codes, malformed YAML and unresolvable resources, empty streams.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineChanges, render, renderOk, runCli, tempFile } from '../support/cli.js';

const service =
  '# Source: chart/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: "svc"   # odd spacing, kept\n  labels: {a: \'b\'}\nspec:\n  ports: [ {port: 80} ]\n';
const es =
  "# Source: chart/templates/es.yaml\napiVersion: elasticsearch.k8s.elastic.co/v1\nkind: Elasticsearch\nmetadata:\n  name: es # a comment\n  namespace: elastic\nspec:\n  version: 8.16.1 # pinned\n  nodeSets:\n  - name: default\n    count: 1\n    podTemplate:\n      spec:\n        containers:\n        - name: elasticsearch\n          image: 'docker.elastic.co/elasticsearch/elasticsearch:8.16.1'\n";
const stream = `---\n${service}---\n${es}...\n---\n# trailing comment only\n`;

describe('fidelity and idempotence', () => {
  it('unchanged documents are byte-identical; in changed ones only changed lines differ, plus inserted lines', async () => {
    const out = await renderOk(stream, ['--image-pull-secret', 'regcred']);
    expect(out.startsWith(`---\n${service}---\n`)).toBe(true);
    expect(out.endsWith('...\n---\n# trailing comment only\n')).toBe(true);
    const { changed, inserted, removed } = lineChanges(stream, out);
    expect(removed).toEqual([]);
    expect(changed).toEqual([
      [
        "          image: 'docker.elastic.co/elasticsearch/elasticsearch:8.16.1'\n",
        "          image: 'my.registry/elasticsearch/elasticsearch:8.16.1'\n",
      ],
    ]);
    expect(inserted).toEqual([
      '  image: my.registry/elasticsearch/elasticsearch:8.16.1\n',
      '        imagePullSecrets:\n',
      '        - name: regcred\n',
    ]);
  });

  it('render(render(x)) == render(x), with every option', async () => {
    for (const args of [
      [],
      ['--image-pull-secret', 'regcred', '--suffix=-ubi'],
      ['--repository', 'team', '--ubi-only'],
      ['--mirror', 'docker.io=my.registry/hub'],
    ]) {
      const once = await renderOk(stream, args);
      expect(await renderOk(once, args), args.join(' ')).toBe(once);
    }
  });

  it('keeps CRLF line breaks and a missing trailing newline', async () => {
    const crlf = es.replace(/\n/g, '\r\n').replace(/\r\n$/, '');
    const out = await renderOk(crlf, ['--image-pull-secret', 'regcred']);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out.endsWith('\r\n')).toBe(false);
    expect(out).toContain('  image: my.registry/elasticsearch/elasticsearch:8.16.1\r\n');
  });

  it('keeps a BOM, directives and the Helm 4 postrender-filename annotation', async () => {
    const input = `\uFEFFapiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'chart/templates/pod.yaml'\n  name: p\nspec:\n  containers:\n  - image: docker.elastic.co/a/b:1\n    name: a\n---\n%YAML 1.2\n---\nkind: Service\n`;
    const out = await renderOk(input);
    expect(out).toBe(input.replace('docker.elastic.co/a/b:1', 'my.registry/a/b:1'));
  });
});

describe('large streams on stdin', () => {
  // Larger than the first read buffer (1 MiB), with multi-byte UTF-8 throughout, so characters straddle every
  // buffer boundary; read from a pipe (grown by doubling) and from a file (sized from fstat) alike.
  const big = Array.from(
    { length: 8000 },
    (_, i) => `---\n# Grüße, 日本語 ✓ ${i}\n${es.replace('name: es #', `name: es-${i} #`)}`,
  ).join('');
  const want = big.replaceAll(
    "'docker.elastic.co/elasticsearch/elasticsearch:8.16.1'",
    "'my.registry/elasticsearch/elasticsearch:8.16.1'",
  );

  it('from a pipe: every document, byte for byte where unchanged', async () => {
    expect(Buffer.byteLength(big)).toBeGreaterThan(3 << 20);
    const out = await renderOk(big, ['-q']);
    expect(out.replace(/^  image: .*\n/gm, '')).toBe(want);
  });

  it('from a file on stdin: the same', async () => {
    const run = await runCli(['--registry', 'my.registry', '-q'], { stdinFile: tempFile('in.yaml', big) });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout.replace(/^  image: .*\n/gm, '')).toBe(want);
  });
});

describe('the report', () => {
  it('goes to stderr with counts, and --quiet / -q silences it', async () => {
    const loud = await render(stream, ['--image-pull-secret', 'regcred']);
    expect(loud.stderr).toMatch(
      /^eck-airgap: 1 image moved, 1 spec\.image set, 0 already on the mirror, 0 left as they were, pull secrets added to 1 pod template\n$/,
    );
    for (const flag of ['--quiet', '-q']) {
      const quiet = await render(stream, ['--image-pull-secret', 'regcred', flag]);
      expect(quiet.stderr).toBe('');
      expect(quiet.stdout).toBe(loud.stdout);
    }
  });
});

describe('empty streams', () => {
  for (const input of ['', '\n', '# only a comment\n', '---\n# a\n---\n', '---']) {
    it(`${JSON.stringify(input)} comes out unchanged, exit 0`, async () => {
      const result = await render(input, ['-q']);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(input);
    });
  }
});

describe('errors', () => {
  it('malformed YAML: exit 1, nothing on stdout, names document number, # Source:, line and column', async () => {
    const bad = `${service}---\n# Source: chart/templates/broken.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels: {a: b\nspec: {}\n`;
    const result = await render(bad);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^eck-airgap: document 2 \(chart\/templates\/broken\.yaml\), line \d+, column \d+: malformed YAML: /,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('names the file when reading files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-cli-'));
    writeFileSync(join(dir, 'bad.yaml'), 'kind: Pod\nspec: [\n');
    const result = await runCli(['--registry', 'r.io', 'bad.yaml'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml: document 1, line \d+, column \d+: malformed YAML/);
  });

  const unresolvable: [string, string, RegExp][] = [
    [
      'no spec.version',
      'apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata:\n  name: kb\n  namespace: ns\nspec:\n  count: 1\n',
      /Kibana ns\/kb: .*spec\.version is missing/,
    ],
    [
      'no spec at all',
      'apiVersion: apm.k8s.elastic.co/v1\nkind: ApmServer\nmetadata:\n  name: apm\n  namespace: ns\n',
      /ApmServer ns\/apm: .*spec\.version is missing/,
    ],
    [
      'unknown Beat type without image',
      'apiVersion: beat.k8s.elastic.co/v1beta1\nkind: Beat\nmetadata:\n  name: b\n  namespace: ns\nspec:\n  type: mybeat\n  version: 8.16.1\n',
      /Beat ns\/b: .*"mybeat".*spec\.image/,
    ],
    [
      'a version that is not one',
      'apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata:\n  name: kb\n  namespace: ns\nspec:\n  version: latest\n',
      /Kibana ns\/kb: .*"latest" is not a valid version/,
    ],
  ];
  for (const [name, input, message] of unresolvable) {
    it(`unresolvable resource (${name}): exit 1 naming kind, namespace and name`, async () => {
      const result = await render(input);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
    });
  }

  it('an unknown Beat type with its own spec.image is fine', async () => {
    const input =
      'apiVersion: beat.k8s.elastic.co/v1beta1\nkind: Beat\nmetadata:\n  name: b\nspec:\n  type: mybeat\n  version: 8.16.1\n  image: docker.elastic.co/me/mybeat:1\n';
    expect(await renderOk(input, ['-q'])).toBe(input.replace('docker.elastic.co/me', 'my.registry/me'));
  });

  it('usage and configuration errors exit 2 with nothing on stdout', async () => {
    for (const args of [
      [],
      ['--registry', 'https://r.io'],
      ['--registry', 'r.io', '--ubi-only', '--suffix=-wolfi'],
      ['--registry', 'r.io', '--no-such-flag'],
    ]) {
      const result = await runCli(args, { input: es });
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^eck-airgap: /);
    }
  });

  it('reads the registry from the environment (both prefixes) and the config file', async () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: docker.elastic.co/a/b:1\n';
    const envs: Record<string, string>[] = [
      { ECK_AIRGAP_REGISTRY: 'env.registry' },
      { ARGOCD_ENV_ECK_AIRGAP_REGISTRY: 'env.registry' },
    ];
    for (const env of envs) {
      const result = await runCli(['-q'], { input: pod, env });
      expect(result.stdout).toContain('image: env.registry/a/b:1');
    }
    const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-cli-'));
    writeFileSync(join(dir, 'eck-airgap.yaml'), 'registry: file.registry\n');
    expect((await runCli(['-q'], { input: pod, cwd: dir })).stdout).toContain('image: file.registry/a/b:1');
    expect(
      (await runCli(['-q'], { input: pod, cwd: dir, env: { ECK_AIRGAP_REGISTRY: 'env.registry' } })).stdout,
    ).toContain('image: env.registry/a/b:1');
    expect(
      (
        await runCli(['-q', '--registry', 'flag.registry'], {
          input: pod,
          cwd: dir,
          env: { ECK_AIRGAP_REGISTRY: 'env.registry' },
        })
      ).stdout,
    ).toContain('image: flag.registry/a/b:1');
  });
});
