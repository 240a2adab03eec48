// `eck-airgap template`'s Helm argument vector (typed values as --flag=value, positionals after --) and how a
// failed Helm is reported, through the real CLI.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helmFailure } from '../../src/helm/run-helm.js';
import { helmTemplateArgs, terminalTemplateArgs } from '../../src/helm/template-args.js';
import { repoRoot, runCli } from '../support/cli.js';

const temp = mkdtempSync(join(tmpdir(), 'eck-airgap-template-unit-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('helmTemplateArgs', () => {
  it('writes every typed value as one --flag=value, and the positionals after --', () => {
    expect(
      helmTemplateArgs({
        chart: './chart',
        releaseName: 'rel',
        namespace: '-n',
        kubeVersion: '1.31.0',
        apiVersions: ['v1'],
        valuesFiles: ['--post-renderer=/bin/sh'],
        set: ['a=--output-dir=/tmp'],
      }),
    ).toEqual([
      'template',
      '--namespace=-n',
      '--kube-version=1.31.0',
      '--api-versions=v1',
      '--values=--post-renderer=/bin/sh',
      '--set=a=--output-dir=/tmp',
      '--',
      'rel',
      './chart',
    ]);
  });

  it('refuses a release name Helm would refuse, and a chart that starts with -', () => {
    expect(() => helmTemplateArgs({ chart: '.', releaseName: '--post-renderer=/bin/sh' })).toThrow(
      /Release name "--post-renderer=\/bin\/sh" is not one Helm accepts/,
    );
    expect(() => helmTemplateArgs({ chart: '.', releaseName: 'a'.repeat(54) })).toThrow(
      /54 characters long; Helm accepts at most 53/,
    );
    expect(() => helmTemplateArgs({ chart: '--output-dir=/tmp' })).toThrow(/cannot be empty or start with "-"/);
  });
});

describe('terminalTemplateArgs (eck-airgap template CHART -- [NAME] [helm flags])', () => {
  it('reads a first argument that is not a flag as the release name, and passes the flags before --', () => {
    expect(terminalTemplateArgs('./chart', ['rel', '-n', 'ns', '-f', 'v.yaml'])).toEqual([
      'template',
      '-n',
      'ns',
      '-f',
      'v.yaml',
      '--',
      'rel',
      './chart',
    ]);
    expect(terminalTemplateArgs('./chart', ['-n', 'ns'])).toEqual(['template', '-n', 'ns', '--', './chart']);
    expect(terminalTemplateArgs('./chart', [])).toEqual(['template', '--', './chart']);
    expect(() => terminalTemplateArgs('./chart', ['Bad_Name'])).toThrow(/Release name "Bad_Name"/);
  });
});

describe('helmFailure', () => {
  it('names the signal that killed Helm, or its exit code', () => {
    expect(helmFailure({ signal: 'SIGKILL', exitCode: undefined, stderr: '' })).toBe(
      'helm was killed by signal SIGKILL',
    );
    expect(helmFailure({ signal: 'SIGTERM', stderr: 'half a message\n' })).toBe(
      'half a message (helm was killed by signal SIGTERM)',
    );
    expect(helmFailure({ exitCode: 3, stderr: '' })).toBe('helm exited with code 3');
    expect(helmFailure({ exitCode: 1, stderr: 'Error: boom\n' })).toBe('Error: boom');
    expect(helmFailure({ timedOut: true })).toBe('helm timed out');
  });
});

describe('eck-airgap template with a Helm that is killed', () => {
  it('says which signal, exits 1 and prints nothing on stdout', async () => {
    const helm = join(temp, 'helm-killed');
    writeFileSync(helm, '#!/bin/sh\nkill -KILL $$\n');
    chmodSync(helm, 0o755);
    const result = await runCli([
      'template',
      '--registry',
      'my.registry',
      '--helm',
      helm,
      join(repoRoot, 'charts-test', 'argocd', 'plain'),
      '--',
      'rel',
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('eck-airgap: helm template failed: helm was killed by signal SIGKILL\n');
  });

  it('refuses a release name Helm would refuse before running Helm (exit 2)', async () => {
    const result = await runCli([
      'template',
      '--registry',
      'my.registry',
      '--helm',
      join(temp, 'no-such-helm'),
      '.',
      '--',
      'Bad_Name',
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^eck-airgap: Release name "Bad_Name" is not one Helm accepts/);
  });
});
