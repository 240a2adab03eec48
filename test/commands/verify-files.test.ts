// The files verify reads (--authfile, --ca-file, the config file) and where credentials go: auth-file keys matched
// by whole host name and whole path segments (never by string prefix), wrong types as one-paragraph usage errors
// naming the file (never exit 3, never the secret), and every file read bounded (src/io/read-bounded.ts): a device,
// a 1 GiB file, a FIFO without a writer end at once or within the bounded wait; `--authfile <(…)` still works.
// The real CLI against the hostile registry of test/support/hostile-registry.ts (here honest, checking Basic auth).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCredentials, normalizeKey } from '../../src/registry/auth-file.js';
import { answer, image, startHostile, type HostileRegistry } from '../support/hostile-registry.js';
import { runCli } from '../support/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'eck-airgap-verify-files-'));
const POD =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: docker.elastic.co/kibana/kibana:8.16.1\n';
const SECRET = 'pw-s3cret-Zq9';
const basic = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');

function file(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

/** A sparse file of `size` bytes (no disk used). */
function sparse(name: string, size: number): string {
  const path = join(scratch, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

async function run(
  args: string[],
  limitMs = 20_000,
): Promise<{ exitCode: number; stdout: string; stderr: string; ms: number }> {
  const r = await runCli(args, { input: POD, timeout: limitMs, bareEnv: true, env: { HOME: scratch } });
  return { exitCode: r.timedOut ? -1 : r.exitCode, stdout: r.stdout, stderr: r.stderr, ms: r.ms };
}

/** exit 2, nothing on stdout, one paragraph (one line) on stderr, no stack trace, the secret nowhere. */
function expectUsage(r: { exitCode: number; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.exitCode, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toContain(SECRET);
  expect(r.stderr).not.toContain(basic('robot', SECRET));
}

let reg: HostileRegistry;
const amd = image();
beforeAll(async () => {
  reg = await startHostile((req, res) => {
    if (req.headers.authorization !== `Basic ${basic('robot', SECRET)}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' });
      return res.end();
    }
    answer(res, amd.manifest);
  });
});
afterAll(() => reg?.close());

const verifyArgs = (...more: string[]): string[] => ['verify', '--registry', reg.host, '--plain-http', ...more, '-'];

describe('auth-file keys: whole host names, whole path segments', () => {
  it('look-alikes of Docker Hub are their own hosts, not docker.io; Docker Hub keys in their usual spellings are', () => {
    const lookalike = file(
      'lookalike.json',
      JSON.stringify({
        auths: {
          'index.docker.io.attacker.test': { auth: basic('evil', 'x') },
          'registry-1.docker.io.evil.test/v1/': { auth: basic('evil2', 'x') },
        },
      }),
    );
    const lookup = loadCredentials(lookalike, {});
    expect(lookup('docker.io', 'library/nginx')).toBeUndefined();
    expect(lookup('index.docker.io.attacker.test')?.username).toBe('evil');
    for (const key of ['https://index.docker.io/v1/', 'index.docker.io', 'registry-1.docker.io', 'DOCKER.IO']) {
      const hub = file('hub.json', JSON.stringify({ auths: { [key]: { auth: basic('hub', 'x') } } }));
      expect(loadCredentials(hub, {})('docker.io', 'library/nginx')?.username, key).toBe('hub');
    }
    expect(normalizeKey('index.docker.io.attacker.test/team')).toBe('index.docker.io.attacker.test/team');
    expect(normalizeKey('https://My.Registry:5000/team/')).toBe('my.registry:5000/team');
  });

  it('a path entry applies to whole segments only: HOST/kib is not HOST/kibana; HOST/kibana is', async () => {
    const partial = file(
      'partial.json',
      JSON.stringify({ auths: { [`${reg.host}/kib`]: { auth: basic('robot', SECRET) } } }),
    );
    const r1 = await run(verifyArgs('--authfile', partial));
    expect(r1.exitCode, r1.stderr).toBe(1);
    expect(r1.stdout).toMatch(/unauthorized/);
    const whole = file(
      'whole.json',
      JSON.stringify({ auths: { [`${reg.host}/kibana`]: { auth: basic('robot', SECRET) } } }),
    );
    const r2 = await run(verifyArgs('--authfile', whole));
    expect(r2.exitCode, r2.stderr).toBe(0);
    expect(r2.stdout + r2.stderr).not.toContain(SECRET);
  });

  it('a host that merely starts like the registry (same address, a longer port) gets nothing', async () => {
    const longer = file(
      'longer.json',
      JSON.stringify({
        auths: {
          [`${reg.host}1`]: { auth: basic('robot', SECRET) },
          [`${reg.host}.attacker.test`]: { auth: basic('robot', SECRET) },
        },
      }),
    );
    const r = await run(verifyArgs('--authfile', longer));
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/wants a user name and password \(Basic\); none found/);
  });
});

describe('auth files of the wrong shape: one-paragraph usage error naming the file (exit 2, never 3), no secret', () => {
  const cases: [string, unknown, RegExp][] = [
    [
      '"auth": 12345',
      { auths: { 'my.registry': { auth: 12345 } } },
      /the entry auths\["my\.registry"\] has an "auth" that is a number, not a string/,
    ],
    ['"auth": []', { auths: { 'my.registry': { auth: [] } } }, /has an "auth" that is a list/],
    ['"auths": []', { auths: [] }, /"auths" is a list, not an object/],
    ['"auths": "x"', { auths: 'x' }, /"auths" is a string, not an object/],
    [
      'an entry that is a string',
      { auths: { 'my.registry': SECRET } },
      /the entry auths\["my\.registry"\] is a string, not an object/,
    ],
    [
      '"username": 5',
      { auths: { 'my.registry': { username: 5, password: SECRET } } },
      /has a "username" that is a number/,
    ],
    [
      '"password": {}',
      { auths: { 'my.registry': { username: 'robot', password: {} } } },
      /has a "password" that is an object/,
    ],
    ['a top-level list', [1, 2], /not a valid auth file \(a list, not an object\)/],
    [
      '"auth" not base64 of user:password',
      { auths: { 'my.registry': { auth: Buffer.from(SECRET).toString('base64') } } },
      /not base64 of user:password \(its value is not shown\)/,
    ],
    [
      '"auth" whose password holds a newline',
      { auths: { 'my.registry': { auth: basic('robot', `${SECRET}\nx`) } } },
      /holds a control character \(not shown\)/,
    ],
  ];
  for (const [name, content, message] of cases) {
    it(name, async () => {
      const path = file(`bad-${name.replace(/\W+/g, '-')}.json`, JSON.stringify(content));
      const r = await run(verifyArgs('--authfile', path));
      expectUsage(r, message);
      expect(r.stderr).toContain(path);
    });
  }

  it('a default auth file ($REGISTRY_AUTH_FILE) of the wrong shape is named the same way', async () => {
    const path = file('env-auth.json', JSON.stringify({ auths: { x: { auth: 12345 } } }));
    const r = await runCli(verifyArgs(), {
      input: POD,
      timeout: 20_000,
      bareEnv: true,
      env: { HOME: scratch, REGISTRY_AUTH_FILE: path },
    });
    expectUsage(r, /env-auth\.json: the entry auths\["x"\] has an "auth" that is a number/);
  });
});

describe('every file read is bounded (src/io/read-bounded.ts)', () => {
  const huge = (): string => sparse('huge.bin', 1024 ** 3);
  const cases: [string, () => string[], RegExp][] = [
    [
      '--authfile /dev/zero',
      () => verifyArgs('--authfile', '/dev/zero'),
      /--authfile \/dev\/zero: not a regular file \(a device\)/,
    ],
    [
      '--ca-file /dev/zero',
      () => verifyArgs('--ca-file', '/dev/zero'),
      /--ca-file \/dev\/zero: not a regular file \(a device\)/,
    ],
    [
      '--authfile of 1 GiB',
      () => verifyArgs('--authfile', huge()),
      /--authfile .*huge\.bin: 1073741824 bytes, more than the 4 MiB/,
    ],
    [
      '--ca-file of 1 GiB',
      () => verifyArgs('--ca-file', huge()),
      /--ca-file .*huge\.bin: 1073741824 bytes, more than the 8 MiB/,
    ],
    [
      'a config file of 1 GiB',
      () => ['-c', huge(), '--registry', 'my.registry', '-'],
      /Cannot read config file .*huge\.bin: 1073741824 bytes, more than the 1 MiB/,
    ],
    ['--authfile naming a directory', () => verifyArgs('--authfile', scratch), /not a regular file \(a directory\)/],
    [
      '--ca-file that is no PEM',
      () => verifyArgs('--ca-file', file('garbage.pem', 'not a certificate\n')),
      /--ca-file .*garbage\.pem: holds no PEM certificate/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(`${name}: exit 2 at once`, async () => {
      const r = await run(args(), 10_000);
      expectUsage(r, message);
      expect(r.ms).toBeLessThan(8000);
    });
  }

  it('--authfile naming a FIFO nobody writes: exit 2 after the bounded wait (5 s), not a hang', async () => {
    const fifo = join(scratch, 'auth.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = await run(verifyArgs('--authfile', fifo), 20_000);
    expectUsage(r, /--authfile .*auth\.fifo: a FIFO that no one wrote to within 5 s/);
  });

  it('--authfile naming a FIFO whose writer comes a second late is read (the wait for a writer is bounded, not zero)', async () => {
    const fifo = join(scratch, 'late.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const json = JSON.stringify({ auths: { [reg.host]: { auth: basic('robot', SECRET) } } });
    const writer = spawn('sh', ['-c', 'sleep 1; printf %s "$AUTH_JSON" > "$0"', fifo], {
      env: { PATH: process.env.PATH ?? '', AUTH_JSON: json },
      stdio: 'ignore',
    });
    const r = await run(verifyArgs('--authfile', fifo), 20_000);
    writer.kill();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/present/);
  });

  it('the config file: -c <(…) (a pipe with a writer) is read; a FIFO with no writer is refused at once', async () => {
    const piped = await runCli(['-c', '/dev/fd/3', '-'], {
      input: POD,
      pipes: ['registry: my.registry\n'],
      timeout: 20_000,
    });
    expect(piped.exitCode, piped.stderr).toBe(0);
    expect(piped.stdout).toContain('image: my.registry/kibana/kibana:8.16.1');
    const fifo = join(scratch, 'config.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const start = Date.now();
    const r = await run(['-c', fifo, '-'], 20_000);
    expectUsage(r, /Cannot read config file .*config\.fifo: not a regular file \(a pipe \(FIFO\) with no writer\)/);
    expect(Date.now() - start).toBeLessThan(4000);
  });

  it('--authfile <(…) (a pipe with a writer) still works', async () => {
    const json = JSON.stringify({ auths: { [reg.host]: { auth: basic('robot', SECRET) } } });
    // a pipe on /dev/fd/3, as bash's process substitution gives (the JSON in the environment, not in argv)
    const r = await runCli(['verify', '--registry', reg.host, '--plain-http', '--authfile', '/dev/fd/3', '-'], {
      input: POD,
      pipes: [json],
      timeout: 20_000,
      bareEnv: true,
      env: { HOME: scratch },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/present/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });
});
