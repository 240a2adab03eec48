// test/support/cli.ts is the tests' one CLI runner: its options do what they say (each run asserts what the CLI
// saw), and no test file runs the CLI another way (execa/spawn on the launcher, the fuzz adapter).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, repoRoot, runCli, runCliBytes, startCli, tempFile } from '../support/cli.js';

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: docker.elastic.co/kibana/kibana:8.16.1\n';

describe('runCli', () => {
  it('the clean environment drops ECK_AIRGAP_*, ARGOCD_ENV_* and HELM_* of the parent, keeps PATH', () => {
    process.env['ECK_AIRGAP_REGISTRY'] = 'leaked.registry';
    process.env['HELM_PLUGINS'] = '/leaked';
    try {
      const env = cleanEnv({ EXTRA: '1' });
      expect(env['ECK_AIRGAP_REGISTRY']).toBeUndefined();
      expect(env['HELM_PLUGINS']).toBeUndefined();
      expect(env['PATH']).toBe(process.env['PATH']);
      expect(env['EXTRA']).toBe('1');
    } finally {
      delete process.env['ECK_AIRGAP_REGISTRY'];
      delete process.env['HELM_PLUGINS'];
    }
  });

  it('input on a pipe, stdin from a file, no stdin at all; the exit code returned, never thrown', async () => {
    const piped = await runCli(['--registry', 'my.registry', '-q'], { input: POD });
    expect(piped.exitCode, piped.stderr).toBe(0);
    expect(piped.stdout).toContain('image: my.registry/kibana/kibana:8.16.1');
    const fromFile = await runCli(['--registry', 'my.registry', '-q'], { stdinFile: tempFile('in.yaml', POD) });
    expect(fromFile.stdout).toBe(piped.stdout);
    const unknown = await runCli(['--no-such-flag']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.timedOut).toBe(false);
  });

  it('pipes: /dev/fd/3 is a pipe with a writer, as bash gives for <(…), and its text is not left in the environment', async () => {
    const r = await runCli(['-c', '/dev/fd/3', '-q', '-'], { input: POD, pipes: ['registry: fd.registry\n'] });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('image: fd.registry/kibana/kibana:8.16.1');
    const env = await runCli([], { command: ['sh', '-c', 'env; cat /dev/fd/3'], pipes: ['piped text'], bareEnv: true });
    expect(env.stdout).toContain('piped text');
    expect(env.stdout).not.toMatch(/TEST_PIPE_3/);
  });

  it('stdoutFile, tty, timeout, env, bareEnv, command and node', async () => {
    const full = await runCli(['--registry', 'my.registry', '-q'], { input: POD, stdoutFile: '/dev/full' });
    expect(full.exitCode).toBe(2);
    expect(full.stderr).toMatch(/ENOSPC/);
    const tty = await runCli(['--registry', 'my.registry'], { tty: true, timeout: 30_000 });
    expect(tty.exitCode).toBe(2);
    expect(tty.stdout).toMatch(/stdin is a terminal/);
    const slow = await runCli([], { command: ['sleep', '30'], timeout: 200 });
    expect(slow.timedOut).toBe(true);
    expect(slow.exitCode).toBe(-1);
    const withEnv = await runCli(['-q', '-'], { input: POD, env: { ECK_AIRGAP_REGISTRY: 'env.registry' } });
    expect(withEnv.stdout).toContain('image: env.registry/kibana/kibana:8.16.1');
    const bare = await runCli([], { command: ['sh', '-c', 'env'], bareEnv: true, env: { ONLY: 'this' } });
    expect(
      bare.stdout
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l) && !/^(PWD|SHLVL|_)=/.test(l))
        .sort(),
    ).toEqual(['ONLY=this', `PATH=${process.env['PATH']}`]);
    const bundle = await runCliBytes(['--version'], {
      command: [process.execPath, join(repoRoot, 'dist/eck-airgap.mjs')],
    });
    expect(bundle.stdout.toString()).toMatch(/^\d+\.\d+\.\d+\n$/);
    const onNode = await runCli(['version'], { node: process.execPath, bareEnv: true, env: { PATH: '/usr/bin:/bin' } });
    expect(onNode.stdout).toContain(`Node.js ${process.version}`);
  });

  it('startCli: the pid and stderr while it runs, then the result', async () => {
    const child = startCli(['--registry', 'my.registry', '-'], { input: POD, timeout: 30_000 });
    expect(child.pid).toBeGreaterThan(0);
    let seen = '';
    child.stderr.on('data', (chunk: Buffer) => (seen += chunk.toString('utf8')));
    const r = await child.result;
    expect(seen).toBe(r.stderr);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 image moved/);
  });
});

/** The .ts files under test/ (only *.test.ts with tests), relative to the repository. */
function walkTests(tests = true): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(tests ? '.test.ts' : '.ts')) files.push(relative(repoRoot, path));
    }
  };
  walk(join(repoRoot, 'test'));
  return files;
}

describe('one runner', () => {
  it('no test file runs the CLI but through test/support/cli.ts', () => {
    const files = walkTests(false).map((name) => join(repoRoot, name));
    expect(files.length).toBeGreaterThan(50);
    const offenders: string[] = [];
    for (const file of files) {
      const name = relative(repoRoot, file);
      if (name === join('test', 'support', 'cli.ts')) continue;
      const text = readFileSync(file, 'utf8');
      const found =
        /\b(execa|execaSync|spawn|spawnSync|execFile|execFileSync)\(\s*(cliPath|files\.executable|join\(repoRoot, 'eck-airgap'\))/.exec(
          text,
        ) ?? /scripts\/fuzz\/run-cli/.exec(text);
      if (found) offenders.push(`${name}: ${found[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it('vitest.unit.config.ts lists only in-process tests: none imports the CLI runner, Helm, a registry or the release', async () => {
    const { unitTests } = await import('../../vitest.unit.config.js');
    const matcher = (pattern: string): RegExp =>
      new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}$`);
    const patterns = unitTests.map(matcher);
    const listed = walkTests().filter((name) => patterns.some((p) => p.test(name)));
    expect(listed.length).toBeGreaterThan(20);
    const outOfProcess =
      /from '(\.\.?\/)+(support\/(cli|helm|registry|hostile-registry|release|cmp-harness|cosign)|robustness\/cli-contract)\.js'|from 'execa'/;
    expect(listed.filter((name) => outOfProcess.test(readFileSync(join(repoRoot, name), 'utf8')))).toEqual([]);
  });
});
