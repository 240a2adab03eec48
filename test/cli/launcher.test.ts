// The launcher ./eck-airgap: the CLI it runs (the CommonJS chunks with their V8 code caches) gives the same bytes as
// the standalone ES module bundle, with the caches and without one it can use (a chunk is then compiled from
// source); only the chunks a command needs are loaded; stdin arrives
// intact whether it is a pipe or a file; symlinks and other working directories work; `--version` alone (answered
// before anything is loaded) says what commander says.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, emptyDir, repoRoot, runCli, tempFile } from '../support/cli.js';

const sample = readFileSync(join(repoRoot, 'scripts/build/snapshot-check.yaml'), 'utf8');
const args = ['--registry', 'my.registry', '--image-pull-secret', 'regcred', '-q'];

/** The launcher given (a copy, a link) on the sample, stdin a file or a pipe, from a working directory of its own. */
async function viaLauncher(launcher: string, redirect: 'file' | 'pipe'): Promise<string> {
  const stdin = redirect === 'file' ? { stdinFile: tempFile('in.yaml', sample) } : { input: sample };
  const result = await runCli(args, { command: launcher, cwd: emptyDir('eck-airgap-launcher-'), ...stdin });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

/** A copy of the launcher and dist/, to break on purpose. */
function copyOfBuild(): string {
  const copy = mkdtempSync(join(tmpdir(), 'eck-airgap-copy-'));
  cpSync(join(repoRoot, 'eck-airgap'), join(copy, 'eck-airgap'));
  cpSync(join(repoRoot, 'dist'), join(copy, 'dist'), { recursive: true });
  return copy;
}

const cacheFile = 'dist/cli/core.js.cache';

describe('launcher', () => {
  it('uses the code cache the build made (this node takes it)', async () => {
    const result = await runCli(args, { input: sample, env: { ECK_AIRGAP_DEBUG: '1' } });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('image: my.registry/elasticsearch/elasticsearch:8.16.1');
  });

  it('gives the same bytes as the standalone ES module bundle, stdin a file or a pipe', async () => {
    const launcherFile = await viaLauncher(cliPath, 'file');
    const launcherPipe = await viaLauncher(cliPath, 'pipe');
    const bundle = await runCli(args, {
      command: [process.execPath, join(repoRoot, 'dist/eck-airgap.mjs')],
      input: sample,
    });
    expect(bundle.exitCode, bundle.stderr).toBe(0);
    expect(launcherFile).toContain('image: my.registry/elasticsearch/elasticsearch:8.16.1');
    expect(launcherFile).toContain('"my.registry/eck/eck-operator:3.5.0"');
    expect(launcherPipe).toBe(launcherFile);
    expect(bundle.stdout).toBe(launcherFile);
  });

  it('gives the same bytes without a cache it can use: none, one for another build, one from another node, one V8 rejects', async () => {
    const expected = await viaLauncher(cliPath, 'file');
    const missing = copyOfBuild();
    rmSync(join(missing, cacheFile));
    const header = readFileSync(join(repoRoot, cacheFile)).subarray(0, 64).toString('latin1');
    const [stamp, node, arch] = header.trim().split(' ');
    expect(node).toBe(process.version);
    expect(arch).toBe(process.arch);
    /** A copy whose cache has another header (padded to the same 64 bytes) or other data. */
    const withCache = (head: string, data?: Buffer): string => {
      const copy = copyOfBuild();
      const bytes = readFileSync(join(copy, cacheFile));
      writeFileSync(
        join(copy, cacheFile),
        Buffer.concat([Buffer.from(`${head.padEnd(63)}\n`, 'latin1'), data ?? bytes.subarray(64)]),
      );
      return copy;
    };
    // Another build's cache: used, it would run foreign bytecode (V8 compares only the source's length).
    const stale = withCache(`${'0'.repeat(32)} ${node} ${arch}`);
    const otherNode = withCache(`${stamp} v0.0.1 ${arch}`);
    // The right header but data V8 does not take (as with other V8 flags): V8 rejects it, the CLI is compiled from source.
    const rejected = withCache(header.trimEnd(), Buffer.alloc(4096, 7));
    const cases = [
      [missing, 'absent'],
      [stale, 'stale'],
      [otherNode, 'other node'],
      [rejected, 'rejected'],
    ] as const;
    for (const [copy, state] of cases) {
      expect(await viaLauncher(join(copy, 'eck-airgap'), 'file')).toBe(expected);
      const debug = await runCli(args, {
        command: join(copy, 'eck-airgap'),
        input: sample,
        env: { ECK_AIRGAP_DEBUG: '1' },
      });
      // only the chunk whose cache was broken is compiled from source
      expect(debug.stderr).toBe(`eck-airgap: debug: code cache ${state} (${cacheFile}); compiled from source\n`);
      expect(debug.stdout).toBe(expected);
    }
  });

  it('ECK_AIRGAP_CODE_CACHE=off: every chunk compiled from source (what the bench compares with), the same bytes', async () => {
    const expected = await viaLauncher(cliPath, 'file');
    const result = await runCli(args, { input: sample, env: { ECK_AIRGAP_DEBUG: '1', ECK_AIRGAP_CODE_CACHE: 'off' } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(expected);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toContain(`eck-airgap: debug: code cache off (${cacheFile}); compiled from source`);
    expect(
      lines.every((line) =>
        /^eck-airgap: debug: code cache off \(dist\/cli\/[\w.-]+\.js\.cache\); compiled from source$/.test(line),
      ),
    ).toBe(true);
  });

  it('works with V8 flags in NODE_OPTIONS (V8 then refuses the cache; the start-up snapshot failed with exit 14)', async () => {
    const expected = await viaLauncher(cliPath, 'file');
    // --stack-trace-limit is in V8's flag hash on Node 20 and 24 alike: the cache is refused, the chunk compiled
    const env = { NODE_OPTIONS: '--stack-trace-limit=50', ECK_AIRGAP_DEBUG: '1' };
    const result = await runCli(args, { input: sample, env });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('code cache rejected');
    expect(result.stdout).toBe(expected);
    // a heap size in NODE_OPTIONS (common on CI machines): Node 20's V8 refuses the cache, Node 24's takes it
    const heap = await runCli(args, {
      input: sample,
      env: { NODE_OPTIONS: '--max-old-space-size=3072', ECK_AIRGAP_DEBUG: '1' },
    });
    expect(heap.exitCode).toBe(0);
    expect(heap.stdout).toBe(expected);
    // the node on PATH is the one the launcher runs (scripts/test-on-pinned-node.mjs puts another one first)
    const nodeVersion = (await runCli(['version'])).stdout;
    const major = Number(/Node\.js v?(\d+)/.exec(nodeVersion)?.[1]);
    expect(major, nodeVersion).toBeGreaterThanOrEqual(20);
    if (major >= 24) expect(heap.stderr).toBe('');
    else expect(heap.stderr).toContain('code cache rejected');
  });

  it('answers --version alone as commander answers it, from the launcher and from the bundle', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const viaCommander = await runCli(['--registry', 'my.registry', '--version']);
    expect(viaCommander.exitCode).toBe(0);
    expect(viaCommander.stdout).toBe(`${version}\n`);
    for (const [command, flag] of [
      [cliPath, '--version'],
      [cliPath, '-V'],
      [[process.execPath, join(repoRoot, 'dist/eck-airgap.mjs')], '--version'],
      [[process.execPath, join(repoRoot, 'dist/eck-airgap.cjs')], '-V'],
    ] as const) {
      const result = await runCli([flag], { command });
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${version}\n`);
    }
  });

  it('loads only the chunks a command needs: an empty stream or a stream of CRDs never loads the YAML parser', async () => {
    const crd =
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: x.example.com\n';
    for (const input of ['', crd, `${crd}---\n${crd}`]) {
      const result = await runCli(['--registry', 'my.registry', '-q'], { input, env: { ECK_AIRGAP_DEBUG: 'chunks' } });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(input);
      expect(result.stderr).toMatch(/^eck-airgap: debug: chunks loaded: /);
      expect(result.stderr).not.toMatch(/render-stream/);
    }
    const withElastic = await runCli(['--registry', 'my.registry', '-q'], {
      input: sample,
      env: { ECK_AIRGAP_DEBUG: 'chunks' },
    });
    expect(withElastic.stderr).toMatch(/^eck-airgap: debug: chunks loaded: .*render-stream/);
  });

  it('reads named files as it reads stdin (node:fs/promises is imported on demand, inside a script node:vm compiled)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-files-'));
    writeFileSync(join(dir, 'in.yaml'), sample);
    const fromFile = await runCli([...args, join(dir, 'in.yaml')]);
    expect(fromFile.stderr).toBe('');
    expect(fromFile.exitCode).toBe(0);
    expect(fromFile.stdout).toBe(await viaLauncher(cliPath, 'file'));
    const missing = await runCli([...args, join(dir, 'missing.yaml')]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read .*missing\.yaml: no such file\./);
  });

  it('works through a symlink from another working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-link-'));
    const link = join(dir, 'eck-airgap');
    symlinkSync(cliPath, link);
    expect(await viaLauncher(link, 'pipe')).toBe(await viaLauncher(cliPath, 'pipe'));
  });

  it('says how to build when dist/ is missing', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'eck-airgap-unbuilt-'));
    cpSync(join(repoRoot, 'eck-airgap'), join(copy, 'eck-airgap'));
    const result = await runCli(['--registry', 'my.registry'], { command: join(copy, 'eck-airgap'), input: sample });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/not built yet: run "npm ci"/);
  });
});
