// What `check`, `images` and `render --strict` tell a user to add for images on a registry nothing moves: the
// flag that moves them the way the release needs. Docker Hub goes to the folder the README's examples name
// (`dockerhub`); an Elastic image (the operator, a kind table repository) on another registry is moved by
// `--source-registry HOST`, which keeps the repository path the operator's container-registry setting expects,
// where `--mirror HOST=…/quay` would put it below a folder the operator never looks in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../support/cli.js';

const deployment = (images: readonly string[]) =>
  `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: elastic-operator, namespace: elastic-system}
spec:
  template:
    spec:
      containers:
${images.map((image, i) => `        - name: c${i}\n          image: ${image}\n`).join('')}`;

describe('advice for images on a registry nothing moves', () => {
  it("names Docker Hub's folder as the README's mirrors example does (my.registry/dockerhub)", async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain('`docker.io: my.registry/dockerhub`');
    const input = deployment(['nginx:1.27']);
    const check = await runCli(['check', '--registry', 'my.registry'], { input });
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toContain('--mirror docker.io=my.registry/dockerhub (then render again)');
    const images = await runCli(['images', '--registry', 'my.registry'], { input });
    expect(images.exitCode, images.stderr).toBe(0);
    expect(images.stderr).toContain('to copy them add --mirror docker.io=my.registry/dockerhub):');
    // and what it suggests works: the same flag makes check pass on the rendered stream
    const rendered = await runCli(['--registry', 'my.registry', '--mirror', 'docker.io=my.registry/dockerhub'], {
      input,
    });
    expect(rendered.stdout).toContain('image: my.registry/dockerhub/library/nginx:1.27');
  });

  it('suggests --source-registry quay.io for the operator image on quay.io, --mirror for the others', async () => {
    const input = deployment([
      'quay.io/elastic/eck-operator:3.5.0',
      'quay.io/prometheus/node-exporter:v1.8.0',
      'gcr.io/team/side:1',
    ]);
    const check = await runCli(['check', '--registry', 'my.registry'], { input });
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toContain('--source-registry quay.io');
    expect(check.stderr).toContain('--mirror gcr.io=my.registry/gcr');
    expect(check.stderr).not.toContain('quay.io=');
    const images = await runCli(['images', '--registry', 'my.registry'], { input });
    expect(images.exitCode, images.stderr).toBe(0);
    expect(images.stderr).toContain('to copy them add --source-registry quay.io --mirror gcr.io=my.registry/gcr):');
    // what it suggests moves the operator where the operator's settings point (eck/eck-operator on the mirror)
    const rendered = await runCli(['--registry', 'my.registry', '--source-registry', 'quay.io'], { input });
    expect(rendered.exitCode, rendered.stderr).toBe(0);
    expect(rendered.stdout).toContain('image: my.registry/eck/eck-operator:3.5.0');
  });

  it('suggests --source-registry for a kind-table repository on another registry (kibana/kibana-ubi on a host)', async () => {
    const input = deployment(['registry.example.com:5000/kibana/kibana-ubi:8.16.1', 'registry.example.com:5000/x/y:1']);
    const check = await runCli(['check', '--registry', 'my.registry'], { input });
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toContain('--source-registry registry.example.com:5000');
    expect(check.stderr).not.toContain('--mirror registry.example.com');
  });

  it('keeps --mirror for an image that only shares a word with an Elastic one (quay.io/someone/kibana-exporter)', async () => {
    const input = deployment(['quay.io/someone/kibana-exporter:1']);
    const check = await runCli(['check', '--registry', 'my.registry'], { input });
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toContain('--mirror quay.io=my.registry/quay');
    expect(check.stderr).not.toContain('--source-registry');
  });
});
