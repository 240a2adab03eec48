// The launcher ./eck-airgap: the start-up snapshot and the bundle give the same output, stdin arrives intact
// whether it is a pipe or a file, symlinks and other working directories work, and a snapshot built for another
// node is not used.
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe('launcher', () => {
  it('was built with a start-up snapshot for this node', () => {
    const built = readFileSync(join(repoRoot, 'dist/eck-airgap.blob.node'), 'utf8').split('\n');
    expect(built).toContain(process.execPath);
  });

  it('gives the same output from the snapshot and from the bundle, stdin a file or a pipe', async () => {
    const snapshotFile = await viaShell(cliPath, 'file');
    const snapshotPipe = await viaShell(cliPath, 'pipe');
    const bundle = await viaShell(cliPath, 'file', { ECK_AIRGAP_NO_SNAPSHOT: '1' });
    expect(snapshotFile).toContain('image: my.registry/elasticsearch/elasticsearch:8.16.1');
    expect(snapshotFile).toContain('"my.registry/eck/eck-operator:3.5.0"');
    expect(snapshotPipe).toBe(snapshotFile);
    expect(bundle).toBe(snapshotFile);
  });

  it('works through a symlink from another working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-link-'));
    const link = join(dir, 'eck-airgap');
    symlinkSync(cliPath, link);
    expect(await viaShell(link, 'pipe')).toBe(await viaShell(cliPath, 'pipe'));
  });

  it('falls back to the bundle when the snapshot was built for another node', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'eck-airgap-copy-'));
    cpSync(join(repoRoot, 'eck-airgap'), join(copy, 'eck-airgap'));
    cpSync(join(repoRoot, 'dist'), join(copy, 'dist'), { recursive: true });
    // A blob that is not a snapshot at all: used, it would make node fail; the launcher must not use it.
    writeFileSync(join(copy, 'dist/eck-airgap.blob'), 'not a snapshot');
    writeFileSync(join(copy, 'dist/eck-airgap.blob.node'), '/nonexistent/node\n');
    expect(await viaShell(join(copy, 'eck-airgap'), 'file')).toBe(await viaShell(cliPath, 'file'));
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
