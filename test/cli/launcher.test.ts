// The launcher ./eck-airgap: the CLI it runs (the CommonJS build with its V8 code cache) gives the same bytes as the
// standalone ES module bundle, with the cache, without it, and with a cache made for another build; stdin arrives
// intact whether it is a pipe or a file; symlinks and other working directories work; `--version` alone (answered
// before anything is loaded) says what commander says.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliPath, repoRoot } from '../support/cli.js';

const sample = readFileSync(join(repoRoot, 'scripts/build/snapshot-check.yaml'), 'utf8');
const args = ['--registry', 'my.registry', '--pull-secret', 'regcred', '-q'];

async function viaShell(launcher: string, redirect: 'file' | 'pipe', env: Record<string, string> = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-launcher-'));
  const input = join(dir, 'in.yaml');
  writeFileSync(input, sample);
  const command = redirect === 'file' ? `"$0" "$@" < "${input}"` : `cat "${input}" | "$0" "$@"`;
  const result = await execa('sh', ['-c', command, launcher, ...args], { cwd: dir, env, reject: false });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return String(result.stdout);
}

/** A copy of the launcher and dist/, to break on purpose. */
function copyOfBuild(): string {
  const copy = mkdtempSync(join(tmpdir(), 'eck-airgap-copy-'));
  cpSync(join(repoRoot, 'eck-airgap'), join(copy, 'eck-airgap'));
  cpSync(join(repoRoot, 'dist'), join(copy, 'dist'), { recursive: true });
  return copy;
}

const cacheFile = 'dist/eck-airgap-cli.js.cache';

describe('launcher', () => {
  it('uses the code cache the build made (this node takes it)', async () => {
    const result = await execa(cliPath, args, { input: sample, env: { ECK_AIRGAP_DEBUG: '1' }, reject: false });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('image: my.registry/elasticsearch/elasticsearch:8.16.1');
  });

  it('gives the same bytes as the standalone ES module bundle, stdin a file or a pipe', async () => {
    const launcherFile = await viaShell(cliPath, 'file');
    const launcherPipe = await viaShell(cliPath, 'pipe');
    const bundle = await execa(process.execPath, [join(repoRoot, 'dist/eck-airgap.mjs'), ...args], { input: sample });
    expect(launcherFile).toContain('image: my.registry/elasticsearch/elasticsearch:8.16.1');
    expect(launcherFile).toContain('"my.registry/eck/eck-operator:3.5.0"');
    expect(launcherPipe).toBe(launcherFile);
    expect(String(bundle.stdout)).toBe(launcherFile);
  });

  it('compiles from source, with the same bytes, when the cache is missing or was made for another build', async () => {
    const expected = await viaShell(cliPath, 'file');
    const missing = copyOfBuild();
    rmSync(join(missing, cacheFile));
    const stale = copyOfBuild();
    // A cache for another build of the bundle: another stamp in its header. Used, it would run foreign bytecode.
    const bytes = readFileSync(join(stale, cacheFile));
    bytes.write('0'.repeat(32), 0, 'latin1');
    writeFileSync(join(stale, cacheFile), bytes);
    const corrupt = copyOfBuild();
    // The right stamp but data V8 does not take (as a cache made by another node): V8 rejects it.
    const header = readFileSync(join(corrupt, cacheFile)).subarray(0, 64);
    writeFileSync(join(corrupt, cacheFile), Buffer.concat([header, Buffer.alloc(4096, 7)]));
    for (const [copy, state] of [[missing, 'absent'], [stale, 'stale'], [corrupt, 'rejected']] as const) {
      expect(await viaShell(join(copy, 'eck-airgap'), 'file')).toBe(expected);
      const debug = await execa(join(copy, 'eck-airgap'), args, { input: sample, env: { ECK_AIRGAP_DEBUG: '1' }, reject: false });
      expect(debug.stderr).toContain(`code cache ${state}`);
      expect(String(debug.stdout)).toBe(expected);
    }
  });

  it('works with V8 flags in NODE_OPTIONS (V8 then refuses the cache; the start-up snapshot failed with exit 14)', async () => {
    const expected = await viaShell(cliPath, 'file');
    const env = { NODE_OPTIONS: '--max-old-space-size=3072', ECK_AIRGAP_DEBUG: '1' };
    const result = await execa(cliPath, args, { input: sample, env, reject: false });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('code cache rejected');
    expect(String(result.stdout)).toBe(expected);
  });

  it('answers --version alone as commander answers it, from the launcher and from the bundle', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const viaCommander = await execa(cliPath, ['--registry', 'my.registry', '--version'], { reject: false });
    expect(viaCommander.exitCode).toBe(0);
    expect(viaCommander.stdout).toBe(version);
    for (const command of [[cliPath, '--version'], [cliPath, '-V'], [process.execPath, join(repoRoot, 'dist/eck-airgap.mjs'), '--version'], [process.execPath, join(repoRoot, 'dist/eck-airgap.cjs'), '-V']]) {
      const result = await execa(command[0]!, command.slice(1), { stripFinalNewline: false, reject: false });
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${version}\n`);
    }
  });

  it('works through a symlink from another working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-link-'));
    const link = join(dir, 'eck-airgap');
    symlinkSync(cliPath, link);
    expect(await viaShell(link, 'pipe')).toBe(await viaShell(cliPath, 'pipe'));
  });

  it('says how to build when dist/ is missing', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'eck-airgap-unbuilt-'));
    cpSync(join(repoRoot, 'eck-airgap'), join(copy, 'eck-airgap'));
    const result = await execa(join(copy, 'eck-airgap'), ['--registry', 'my.registry'], { input: sample, reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/not built yet: run "npm ci"/);
  });
});
