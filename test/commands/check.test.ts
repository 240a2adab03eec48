import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFile, readCase, runCli, sharedFixtures } from '../support/cli.js';

const OPERATOR = caseFile('operator.yaml');
const STACK = caseFile('stack.yaml');

async function render(args: string[], files: string[]): Promise<string> {
  const r = await runCli(['render', '-q', ...args, ...files]);
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout;
}

describe('eck-airgap check: raw streams', () => {
  it('fails on raw chart output, listing each offender with its resource, field path and reason on stdout (exit 1)', async () => {
    const r = await runCli(['check', '--registry', 'my.registry', OPERATOR, STACK]);
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain(
      'docker.elastic.co/elasticsearch/elasticsearch:8.16.1 (docker.elastic.co): Elasticsearch observability/quickstart, spec.image (operator-default) ' +
        `[${STACK}: document 1 (stack/templates/elasticsearch.yaml)]`,
    );
    expect(r.stdout).toMatch(
      /^docker\.elastic\.co\/beats\/metricbeat:8\.16\.1 \(docker\.elastic\.co\): Elasticsearch observability\/quickstart, spec\.monitoring\.metrics\.elasticsearchRefs \(monitoring-sidecar\)/m,
    );
    expect(r.stdout).toMatch(
      /^docker\.elastic\.co\/eck\/eck-operator:3\.5\.0 .*StatefulSet elastic-system\/elastic-operator, spec\.template\.spec\.containers\[0\]\.image \(operator\)/m,
    );
    expect(r.stdout).toMatch(/^nginx:1\.27\.3 \(docker\.io\): Deployment observability\/tools/m);
    expect(r.stdout).not.toContain('apm-server');
    expect(r.stderr).toMatch(/check failed: \d+ of \d+ image uses would be pulled from outside my\.registry/);
  });
});

describe('eck-airgap check: rendered streams', () => {
  it('passes once rendered, with nginx mirrored: defaults and sidecars follow the ConfigMap render pointed at the mirror', async () => {
    const rendered = await render(
      ['--registry', 'my.registry', '--mirror', 'docker.io=my.registry/dockerhub'],
      [OPERATOR, STACK],
    );
    const r = await runCli(['check', '--registry', 'my.registry', '--mirror', 'docker.io=my.registry/dockerhub', '-'], {
      input: rendered,
    });
    expect(r.stderr).toMatch(/check passed/);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('a Docker Hub nginx is an offender unless mirrored or allowed', async () => {
    const rendered = await render(['--registry', 'my.registry'], [OPERATOR, STACK]);
    const r = await runCli(['check', '--registry', 'my.registry', '-'], { input: rendered });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(
      `nginx:1.27.3 (docker.io): Deployment observability/tools, spec.template.spec.containers[0].image (container) [document 6 (stack/templates/tools.yaml)]\n`,
    );
    const allowed = await runCli(['check', '--registry', 'my.registry', '--allow', 'docker.io', '-'], {
      input: rendered,
    });
    expect(allowed.exitCode).toBe(0);
  });

  it('catches what a post-renderer never saw: a hook Job left on docker.elastic.co', async () => {
    const rendered = await render(
      ['--registry', 'my.registry', '--mirror', 'docker.io=my.registry/dockerhub'],
      [OPERATOR, STACK],
    );
    const hook = readCase('stack.yaml')
      .split('---\n')
      .find((d) => d.includes('helm.sh/hook'))!;
    const r = await runCli(['check', '--registry', 'my.registry', '--mirror', 'docker.io=my.registry/dockerhub', '-'], {
      input: `${rendered}---\n${hook}`,
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^docker\.elastic\.co\/elasticsearch\/elasticsearch:8\.16\.1 \(docker\.elastic\.co\): Job observability\/preflight, spec\.template\.spec\.containers\[0\]\.image \(container\)/,
      ),
    ]);
  });

  it('a ConfigMap that still points the operator at docker.elastic.co makes defaults and sidecars offenders', async () => {
    const rendered = await render(
      ['--registry', 'my.registry', '--mirror', 'docker.io=my.registry/dockerhub'],
      [OPERATOR, STACK],
    );
    const stale = rendered.replace('container-registry: my.registry', 'container-registry: docker.elastic.co');
    // drop the spec.image render wrote, so the operator's default applies again
    const noImages = stale
      .replace(/^  image: my\.registry\/(elasticsearch|logstash)\/\S+\n/gm, '')
      .replace(/^      image: my\.registry\/logstash\/\S+\n/gm, '');
    const r = await runCli(['check', '--registry', 'my.registry', '--mirror', 'docker.io=my.registry/dockerhub', '-'], {
      input: noImages,
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(
      /^docker\.elastic\.co\/elasticsearch\/elasticsearch:8\.16\.1 .*spec\.image \(operator-default\)/m,
    );
    expect(r.stdout).toMatch(/^docker\.elastic\.co\/beats\/filebeat:8\.16\.1 .*\(monitoring-sidecar\)/m);
  });
});

describe('eck-airgap check: operator-less streams', () => {
  it('assumes the operator pulls from docker.elastic.co: defaults and sidecars are offenders', async () => {
    const rendered = await render(
      ['--registry', 'my.registry', '--no-set-default-images', '--mirror', 'docker.io=my.registry/dockerhub'],
      [STACK],
    );
    const r = await runCli(['check', '--registry', 'my.registry', '--mirror', 'docker.io=my.registry/dockerhub', '-'], {
      input: rendered,
    });
    expect(r.exitCode).toBe(1);
    const reasons = r.stdout
      .trim()
      .split('\n')
      .map((l) => /\(([a-z-]+)\) \[/.exec(l)?.[1]);
    expect(new Set(reasons)).toEqual(new Set(['operator-default', 'monitoring-sidecar']));
    expect(r.stdout).toContain(
      'docker.elastic.co/logstash/logstash:8.16.1 (docker.elastic.co): Logstash observability/ingest, spec.image (operator-default)',
    );
  });

  it('--operator-registry says where the operator in the cluster pulls from', async () => {
    const rendered = await render(
      ['--registry', 'my.registry', '--no-set-default-images', '--mirror', 'docker.io=my.registry/dockerhub'],
      [STACK],
    );
    const r = await runCli(
      [
        'check',
        '--registry',
        'my.registry',
        '--operator-registry',
        'my.registry',
        '--mirror',
        'docker.io=my.registry/dockerhub',
        '-',
      ],
      {
        input: rendered,
      },
    );
    expect(r.stdout).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('spec.image written by render is not enough: sidecars still come from the operator, docker.elastic.co by default', async () => {
    const rendered = await render(
      ['--registry', 'my.registry', '--mirror', 'docker.io=my.registry/dockerhub'],
      [STACK],
    );
    const r = await runCli(['check', '--registry', 'my.registry', '--mirror', 'docker.io=my.registry/dockerhub', '-'], {
      input: rendered,
    });
    expect(r.exitCode).toBe(1);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0])
        .sort(),
    ).toEqual(['docker.elastic.co/beats/filebeat:8.16.1', 'docker.elastic.co/beats/metricbeat:8.16.1']);
    const told = await runCli(
      [
        'check',
        '--registry',
        'my.registry',
        '--operator-registry',
        'my.registry',
        '--mirror',
        'docker.io=my.registry/dockerhub',
        '-',
      ],
      { input: rendered },
    );
    expect(told.exitCode).toBe(0);
  });
});

describe('eck-airgap check: usage', () => {
  it('exit 2 without a mirror or --allow, and for a bad --allow / --operator-registry', async () => {
    for (const args of [
      ['check', STACK],
      ['check', '--registry', 'my.registry', '--allow', 'not a host', STACK],
      ['check', '--registry', 'my.registry', '--operator-registry', 'https://x', STACK],
    ]) {
      const r = await runCli(args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^eck-airgap: /);
    }
  });

  it('--allow alone is enough to run', async () => {
    const r = await runCli(['check', '--allow', 'docker.elastic.co', '--allow', 'docker.io', OPERATOR, STACK]);
    expect(r.exitCode).toBe(0);
  });
});

describe('eck-airgap check over ../shared upstream fixtures', () => {
  const present = existsSync(sharedFixtures);
  if (!present) {
    it.skip('upstream check suite — SKIPPED: ../shared/fixtures/eck-upstream not present', () => {});
    return;
  }
  const files: string[] = [];
  for (const tag of readdirSync(sharedFixtures)) {
    const helm3 = join(sharedFixtures, tag, 'helm3');
    if (!existsSync(helm3)) continue;
    for (const f of readdirSync(helm3)) if (f.endsWith('.yaml')) files.push(join(helm3, f));
    for (const f of readdirSync(join(helm3, 'stack'))) files.push(join(helm3, 'stack', f));
  }

  it('every upstream Helm 3 output fails raw and passes once rendered (Docker Hub allowed)', async () => {
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const raw = await runCli(['check', '--registry', 'my.registry', '--allow', 'docker.io', file]);
      expect(raw.exitCode, `${file}: ${raw.stderr}`).toBe(1);
      expect(raw.stdout).toMatch(/\(docker\.elastic\.co\)/);
      const rendered = await render(['--registry', 'my.registry'], [file]);
      const after = await runCli(['check', '--registry', 'my.registry', '--allow', 'docker.io', '-'], {
        input: rendered,
      });
      expect(after.exitCode, `${file}: ${after.stdout}${after.stderr}`).toBe(0);
    }
    // three CLI processes per fixture file, one after the other: a busy machine needs more than the default 60 s
  }, 300_000);

  it('images lists the same pairs for raw and rendered upstream stack output', async () => {
    for (const file of files.filter((f) => f.includes('/stack/'))) {
      const raw = await runCli(['images', '--registry', 'my.registry', file]);
      expect(raw.exitCode, raw.stderr).toBe(0);
      expect(raw.stdout).toMatch(/^docker\.elastic\.co\//);
      const rendered = await render(['--registry', 'my.registry'], [file]);
      expect(rendered.length, file).toBeGreaterThan(0);
      const again = await runCli(['images', '--registry', 'my.registry', '-'], { input: rendered });
      expect(again.stdout, `${file}: ${again.stderr}`).toBe(raw.stdout);
    }
    // three CLI processes per fixture file, one after the other (as above): a busy machine needs more than 60 s
  }, 300_000);
});
