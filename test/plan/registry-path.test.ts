// `--registry HOST[:PORT]/PATH…` (a Harbor / Artifactory / Nexus project): the operator prefixes its container
// registry as it is — pkg/controller/common/container/container.go ImageRepository
// `fmt.Sprintf("%s/%s%s:%s", containerRegistry, …)` (v2.10.0–v3.5.0) — so every name, the operator's own image
// included, lies under the path. The host keeps its DNS bounds; path segments are OCI repository path components.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFile, readCase, runCli } from '../support/cli.js';

const REG = 'harbor.corp:8443/elastic/eck';
const STACK = readCase('stack.yaml');
const OPERATOR = readCase('operator.yaml');

describe('--registry with a path', () => {
  it('images: every target under the path, the operator image too; sources unchanged', async () => {
    const r = await runCli(['images', '--registry', REG, caseFile('operator.yaml'), caseFile('stack.yaml')]);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines)
      expect(line, line).toMatch(new RegExp(`^docker\\.elastic\\.co/\\S+ -> ${REG.replace(/\./g, '\\.')}/\\S+$`));
    expect(r.stdout).toContain(`docker.elastic.co/eck/eck-operator:3.5.0 -> ${REG}/eck/eck-operator:3.5.0\n`);
    // Same pairs as without the path, targets prefixed.
    const plain = await runCli([
      'images',
      '--registry',
      'harbor.corp:8443',
      caseFile('operator.yaml'),
      caseFile('stack.yaml'),
    ]);
    expect(r.stdout).toBe(plain.stdout.replaceAll(' -> harbor.corp:8443/', ` -> ${REG}/`));
  });

  it('render writes the path into spec.image and the operator configuration; images and check agree on the result', async () => {
    const input = `${OPERATOR}---\n${STACK}`;
    const rendered = await runCli(['--registry', REG, '-q'], { input });
    expect(rendered.exitCode, rendered.stderr).toBe(0);
    expect(rendered.stdout).toContain(`container-registry: ${REG}\n`);
    expect(rendered.stdout).toMatch(new RegExp(`image: "?${REG.replace(/\./g, '\\.')}/eck/eck-operator:3\\.5\\.0`));
    expect(rendered.stdout).toMatch(new RegExp(`image: ${REG.replace(/\./g, '\\.')}/elasticsearch/elasticsearch:`));
    expect(rendered.stdout).not.toMatch(/docker\.elastic\.co\/(elasticsearch|kibana|eck)\//);
    const check = await runCli(['check', '--registry', REG, '--allow', 'docker.io'], { input: rendered.stdout });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    // The rendered stream lists the same pairs (mirror names mapped back through the path).
    const before = await runCli(['images', '--registry', REG], { input });
    const after = await runCli(['images', '--registry', REG], { input: rendered.stdout });
    expect(after.stdout).toBe(before.stdout);
    // Rendering again changes nothing.
    expect((await runCli(['--registry', REG, '-q'], { input: rendered.stdout })).stdout).toBe(rendered.stdout);
  });

  it('from the environment, Argo CD parameter and config file alike', async () => {
    const viaEnv = await runCli(['images'], { input: STACK, env: { ECK_AIRGAP_REGISTRY: REG } });
    const viaArgo = await runCli(['images'], { input: STACK, env: { ARGOCD_ENV_ECK_AIRGAP_REGISTRY: REG } });
    const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-regpath-'));
    writeFileSync(join(dir, 'eck-airgap.yaml'), `registry: ${REG}\n`);
    const viaFile = await runCli(['images'], { input: STACK, cwd: dir });
    for (const r of [viaEnv, viaArgo, viaFile]) {
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain(` -> ${REG}/elasticsearch/elasticsearch:`);
    }
    expect(viaArgo.stdout).toBe(viaEnv.stdout);
    expect(viaFile.stdout).toBe(viaEnv.stdout);
  });

  it('refuses what is not host[:port][/path]: bad path components, an empty segment, host bounds (exit 2)', async () => {
    for (const bad of [
      'harbor.corp/Elastic',
      'harbor.corp/',
      'harbor.corp//x',
      'harbor.corp/-x',
      `${'a'.repeat(64)}.corp/elastic`,
      'https://harbor.corp/elastic',
      'harbor.corp:70000/x',
    ]) {
      const r = await runCli(['images', '--registry', bad], { input: STACK });
      expect(r.exitCode, bad).toBe(2);
      expect(r.stdout, bad).toBe('');
      expect(r.stderr, bad).toMatch(/--registry.*not a registry host \(.*optional \/path/);
    }
  });
});
