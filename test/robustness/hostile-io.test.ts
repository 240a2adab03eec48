// Issue 15, round 2: user input never ends in exit 3 or a stack trace, accepted settings always render to output
// the next run accepts, and registries are compared as registries (case-insensitive, :443 is the default port).
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/cli.js';
import { deployment, rejects, renders } from './cli-contract.js';

const ES = 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3';
const scratch = mkdtempSync(join(tmpdir(), 'eck-airgap-hostile-io-'));

describe('inputs that are not files', () => {
  it('stdin is a directory: exit 1, one line, nothing on stdout', async () => {
    const r = await runCli(['--registry', 'my.registry'], { stdinFile: scratch });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^eck-airgap: Cannot read stdin: it is a directory\./);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('-c naming a FIFO (no writer): refused at once with exit 2, not a hang', async () => {
    const fifo = join(scratch, 'config.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = await runCli(['-c', fifo, '-'], { input: deployment('d', ES), timeout: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/config file .*config\.fifo: not a regular file/);
  });

  it('FILE arguments: a FIFO is read as a pipe; a device is refused (exit 1); /dev/null is an empty stream', async () => {
    const fifo = join(scratch, 'input.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A writer comes to the FIFO while eck-airgap reads it (as `<(helm template …)` does).
    const piped = startCli(['--registry', 'my.registry', '-q', fifo], { timeout: 20_000 });
    await writeFile(fifo, deployment('d', ES)); // opens once the CLI has opened its end
    const pipedRun = await piped.result;
    expect(pipedRun.exitCode, pipedRun.stderr).toBe(0);
    expect(pipedRun.stdout).toContain('image: my.registry/elasticsearch/elasticsearch:8.15.3');

    const device = await runCli(['--registry', 'my.registry', '/dev/zero']);
    expect(device.exitCode).toBe(1);
    expect(device.stdout).toBe('');
    expect(device.stderr).toMatch(/Cannot read \/dev\/zero: it is a device or socket/);

    const empty = await runCli(['--registry', 'my.registry', '-q', '/dev/null']);
    expect(empty.exitCode).toBe(0);
    expect(empty.stdout).toBe('');
  });

  it('an alias bomb in the config file: exit 2 naming the file', async () => {
    const lines = ['registry: my.registry', 'a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const file = join(scratch, 'bomb.yaml');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await runCli(['-c', file, '-'], { input: deployment('d', ES) });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Config file .*bomb\.yaml: its aliases expand to too many values/);
  });
});

describe('stdout that cannot be written', () => {
  it('> /dev/full: one paragraph on stderr, exit 2, no stack trace or bundled source', async () => {
    const r = await runCli(['--registry', 'my.registry', '-q'], {
      input: deployment('d', ES),
      stdoutFile: '/dev/full',
    });
    expect(r.exitCode).toBe(2);
    const stderr = r.stderr;
    expect(stderr).toMatch(/^eck-airgap: cannot write the output to stdout: no space left on device \(ENOSPC\)\./);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  for (const args of [
    ['--help'],
    ['images', '--registry', 'my.registry', '-q', '-'],
    ['check', '--registry', 'my.registry', '-'],
  ]) {
    it(`${args[0]} > /dev/full: one paragraph, exit 2`, async () => {
      const r = await runCli(args, { input: deployment('d', ES), stdoutFile: '/dev/full' });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/eck-airgap: cannot write the output to stdout: no space left on device/);
      expect(r.stderr).not.toMatch(/\n\s+at |node:events/);
    });
  }
});

describe('registry lengths: what is accepted renders to what is accepted', () => {
  it('a 307-character host is refused as a setting (exit 2)', async () => {
    const host = `${Array(5).fill('a'.repeat(60)).join('.')}.io`;
    expect(host).toHaveLength(307);
    const r = await runCli(['--registry', host, '-'], { input: deployment('d', ES) });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--registry.*not a registry host/);
  });

  it('a label longer than 63 characters is refused', async () => {
    const r = await runCli(['--registry', `${'a'.repeat(64)}.io`, '-'], { input: deployment('d', ES) });
    expect(r.exitCode).toBe(2);
  });

  it('a 253-character host: the moved name would outgrow 255 characters, so exit 1 naming the image', async () => {
    const host = `${Array(3).fill('a'.repeat(62)).join('.')}.${'a'.repeat(61)}.io`;
    expect(host).toHaveLength(253);
    const message = await rejects(deployment('d', ES), ['--registry', host]);
    expect(message).toMatch(
      /elasticsearch:8\.15\.3 would be .* on the mirror: a name of \d+ characters, more than the 255/,
    );
  });

  it('the longest host that fits renders, and its output renders again unchanged', async () => {
    const host = `${Array(3).fill('a'.repeat(63)).join('.')}.io`;
    const out = await renders(deployment('d', ES), ['--registry', host]);
    expect(out).toContain(`${host}/elasticsearch/elasticsearch:8.15.3`);
    expect(await renders(out, ['--registry', host])).toBe(out);
  });
});

describe('registries compared as registries', () => {
  it('DOCKER.ELASTIC.CO and docker.elastic.co:443 are the source registry; the mirror with :443 is the mirror', async () => {
    const input = [
      'DOCKER.ELASTIC.CO/elasticsearch/elasticsearch:8.15.3',
      'docker.elastic.co:443/kibana/kibana:8.15.3',
      'Mirror.Example:443/x/y:1',
    ]
      .map((image, i) => deployment(`d${i}`, image))
      .join('---\n');
    const out = await renders(input, ['--registry', 'mirror.example']);
    expect(out).toContain('image: mirror.example/elasticsearch/elasticsearch:8.15.3');
    expect(out).toContain('image: mirror.example/kibana/kibana:8.15.3');
    expect(out).toContain('image: Mirror.Example:443/x/y:1');
    const check = await runCli(['check', '--registry', 'mirror.example', '-'], { input: out });
    expect(check.stderr).toMatch(/check passed/);
    expect(check.exitCode).toBe(0);
  });
});
