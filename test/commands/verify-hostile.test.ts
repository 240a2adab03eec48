// `eck-airgap verify` against a hostile registry (test/support/hostile-registry.ts): what a real registry will not
// do on demand. Every "present" must be earned by bytes read and hashed; every lie, trickle, huge index, bad realm,
// bad Location or bad token ends in a status or a one-paragraph error (exit 1; 2 for bad usage), never exit 3 or a
// hang. The real CLI as a process, each run bounded in time (runCli's timeout); nothing beyond 127.0.0.1.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makePki, tools } from '../support/registry.js';
import {
  answer,
  image,
  index,
  OCI_INDEX,
  OCI_MANIFEST,
  serve,
  sha256,
  startHostile,
  trickle,
  type HostileRegistry,
} from '../support/hostile-registry.js';
import { pod } from '../support/manifests.js';
import { runCli } from '../support/cli.js';

const KIBANA = 'docker.elastic.co/kibana/kibana:8.16.1';
const scratch = mkdtempSync(join(tmpdir(), 'eck-airgap-verify-hostile-'));

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** verify on `registry` as a real process, bounded: a run past `limitMs` fails the test (killed, exitCode -1). */
async function verify(
  registry: string,
  args: string[] = [],
  options: { input?: string; limitMs?: number; env?: Record<string, string> } = {},
): Promise<Run> {
  const r = await runCli(['verify', '--registry', registry, '--plain-http', ...args, '-'], {
    input: options.input ?? pod(KIBANA),
    timeout: options.limitMs ?? 20_000,
    bareEnv: true,
    env: { HOME: scratch, ...options.env },
  });
  return { exitCode: r.timedOut ? -1 : r.exitCode, stdout: r.stdout, stderr: r.stderr, ms: r.ms };
}

/** One paragraph per cause, no stack trace, no internal-bug exit. */
function expectClean(r: Run, exitCode: 1 | 2): void {
  expect(r.exitCode, r.stderr).toBe(exitCode);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error|bug/i);
  if (exitCode === 2) expect(r.stdout).toBe('');
}

let servers: HostileRegistry[] = [];
const start = async (...args: Parameters<typeof startHostile>): Promise<HostileRegistry> => {
  const s = await startHostile(...args);
  servers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const amd = image({ os: 'linux', architecture: 'amd64' });
const arm = image({ os: 'linux', architecture: 'arm64' });
const multi = index([
  { digest: amd.digest, platform: { os: 'linux', architecture: 'amd64' } },
  { digest: arm.digest, platform: { os: 'linux', architecture: 'arm64' } },
]);

describe('the hostile registry tells the truth when asked to (so a failure below is the lie, not the set-up)', () => {
  it('an honest multi-arch image is present (exit 0); the digest printed is the sha256 of the index bytes served', async () => {
    const reg = await start(
      serve({ '8.16.1': { body: multi, type: OCI_INDEX }, a: { body: amd.manifest }, b: { body: arm.manifest } }),
    );
    const r = await verify(reg.host, ['-o', 'json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const [result] = JSON.parse(r.stdout) as { status: string; digest: string; platforms: { status: string }[] }[];
    expect(result!.status).toBe('present');
    expect(result!.digest).toBe(sha256(multi));
    expect(result!.platforms.map((p) => p.status)).toEqual(['present', 'present']);
    expect(r.stderr).toMatch(/all 1 image present/);
  });
});

describe('verify hashes what it reads', () => {
  it('a tag whose bytes are not the digest announced (Docker-Content-Digest) is an invalid answer naming both', async () => {
    const other = image({ os: 'linux', architecture: 's390x' });
    const reg = await start((_req, res) => answer(res, other.manifest, { digest: amd.digest }));
    const r = await verify(reg.host);
    expectClean(r, 1);
    expect(r.stdout).toMatch(/kibana:8\.16\.1\s+invalid answer/);
    expect(r.stderr).toContain(amd.digest);
    expect(r.stderr).toContain(other.digest);
    expect(r.stderr).toMatch(/announced .* \(Docker-Content-Digest\) but sent bytes hashing to/);
  });

  it('a pinned image answered with other bytes (header agreeing with the bytes) is an invalid answer', async () => {
    const reg = await start((_req, res) => answer(res, arm.manifest));
    const r = await verify(reg.host, [], { input: pod(`${KIBANA}@${amd.digest}`) });
    expectClean(r, 1);
    expect(r.stderr).toContain(`asked for ${amd.digest}, the registry sent bytes hashing to ${arm.digest}`);
  });

  it('an index child answered with other bytes is an invalid answer, not present', async () => {
    const reg = await start((req, res) => {
      if (req.url?.endsWith('/8.16.1')) return answer(res, multi, { type: OCI_INDEX });
      return answer(res, amd.manifest); // the amd64 manifest for every digest
    });
    const r = await verify(reg.host, ['--platform', 'linux/arm64']);
    expectClean(r, 1);
    expect(r.stdout).toMatch(/invalid answer/);
    expect(r.stderr).toContain(`asked for ${arm.digest}`);
  });

  it('the reported digest is that of the bytes received, also without a Docker-Content-Digest header', async () => {
    const reg = await start((_req, res) => answer(res, amd.manifest, { digest: null }));
    const r = await verify(reg.host);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`present\\s+${amd.digest}`));
  });

  it('a config blob that does not hash to its digest does not prove a platform', async () => {
    const reg = await start(
      serve(
        { '8.16.1': { body: amd.manifest } },
        { [amd.configDigest]: JSON.stringify({ os: 'linux', architecture: 'amd64', x: 1 }) },
      ),
    );
    const r = await verify(reg.host, ['--platform', 'linux/amd64']);
    expectClean(r, 1);
    expect(r.stderr).toMatch(/\(blob\): the registry sent bytes hashing to sha256:/);
  });
});

describe('only a real OCI / Docker manifest or index counts as present', () => {
  const cases: [string, string, string, RegExp][] = [
    ['200 {} to everything', '{}', 'application/json', /not an OCI or Docker image manifest or index|schemaVersion 2/],
    ['a JSON list', '[]', OCI_MANIFEST, /a list, not a JSON object/],
    ['not JSON', 'hello', OCI_MANIFEST, /not JSON/],
    [
      '"manifests": 5',
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: 5 }),
      OCI_INDEX,
      /"manifests" is a number, not a list/,
    ],
    [
      '"manifests": [null]',
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [null] }),
      OCI_INDEX,
      /index entry 0 is null/,
    ],
    [
      'an entry with a digest that is a path',
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          { mediaType: 'x', size: 1, digest: '../../../etc/passwd', platform: { os: 'linux', architecture: 'amd64' } },
        ],
      }),
      OCI_INDEX,
      /index entry 0 has no valid digest/,
    ],
    [
      'a manifest without layers',
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: 'x', size: 1, digest: amd.configDigest },
      }),
      OCI_MANIFEST,
      /"layers" is missing/,
    ],
    [
      'a schema 1 manifest',
      JSON.stringify({ schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [] }),
      'application/vnd.docker.distribution.manifest.v1+prettyjws',
      /schemaVersion 2/,
    ],
  ];
  for (const [name, body, type, message] of cases) {
    it(`${name}: invalid answer (exit 1), never present or exit 3`, async () => {
      const reg = await start((_req, res) => answer(res, body, { type }));
      const r = await verify(reg.host);
      expectClean(r, 1);
      expect(r.stdout).toMatch(/kibana:8\.16\.1\s+invalid answer\s+-/);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/present on/);
    });
  }

  const missing: [string, string, string[]][] = [
    ['an empty index', index([]), []],
    [
      'an index of attestations only',
      index([
        {
          digest: amd.digest,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
        },
      ]),
      [],
    ],
    [
      'an index with no entry for the wanted platform',
      index([{ digest: amd.digest, platform: { os: 'linux', architecture: 'amd64' } }]),
      ['--platform', 'linux/arm64'],
    ],
  ];
  for (const [name, body, args] of missing) {
    it(`${name}: platform missing`, async () => {
      const reg = await start(serve({ '8.16.1': { body, type: OCI_INDEX }, a: { body: amd.manifest } }));
      const r = await verify(reg.host, args);
      expectClean(r, 1);
      expect(r.stdout).toMatch(/kibana:8\.16\.1\s+platform missing/);
    });
  }
});

describe('deadlines and bounds', () => {
  it('a manifest trickled a byte a second ends at --timeout (a deadline, not an idle timeout)', async () => {
    const reg = await start((_req, res) => trickle(res));
    const r = await verify(reg.host, ['--timeout', '2']);
    expectClean(r, 1);
    expect(r.stdout).toMatch(/unreachable/);
    expect(r.stderr).toMatch(/no complete answer within 2 s/);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('a registry that accepts and never answers ends at --timeout', async () => {
    const reg = await start(() => undefined);
    const r = await verify(reg.host, ['--timeout', '1']);
    expectClean(r, 1);
    expect(r.stderr).toMatch(/no complete answer within 1 s/);
    expect(r.ms).toBeLessThan(8000);
  });

  it('the token fetch is inside the same deadline: a trickling token server ends at --timeout', async () => {
    const reg = await start((req, res) => {
      if (req.url?.startsWith('/token')) return trickle(res, { 'content-type': 'application/json' });
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${reg.host}/token",service="x"` });
      res.end();
    });
    const r = await verify(reg.host, ['--timeout', '2']);
    expectClean(r, 1);
    expect(r.stderr).toMatch(/no complete answer within 2 s/);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('an endless body stops at the size cap; an announced huge one is not read', async () => {
    const endless = await start((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      pump();
    });
    const r1 = await verify(endless.host);
    expectClean(r1, 1);
    expect(r1.stderr).toMatch(/larger than the 8388608 bytes read/);
    const announced = await start((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': String(1024 ** 3) });
      res.write('{');
    });
    const r2 = await verify(announced.host);
    expectClean(r2, 1);
    expect(r2.stderr).toMatch(/an answer of 1073741824 bytes, more than the 8388608 read/);
  });

  it('an index past the documented cap (1000 entries) is refused with one request, not followed', async () => {
    const entries = Array.from({ length: 5000 }, (_, i) => ({
      digest: sha256(`child ${i}`),
      platform: { os: 'linux', architecture: `arch${i}` },
    }));
    const reg = await start(serve({ '8.16.1': { body: index(entries), type: OCI_INDEX } }));
    const r = await verify(reg.host);
    expectClean(r, 1);
    expect(r.stderr).toMatch(/the index lists 5000 entries, more than the 1000 eck-airgap verify follows/);
    expect(reg.requests.filter((q) => q.path.includes('/manifests/'))).toHaveLength(1);
  });

  it('duplicate entries are fetched once; many distinct children are fetched a few at a time', async () => {
    const dup = await start(
      serve({
        '8.16.1': {
          body: index(
            Array.from({ length: 900 }, () => ({
              digest: amd.digest,
              platform: { os: 'linux', architecture: 'amd64' },
            })),
          ),
          type: OCI_INDEX,
        },
        a: { body: amd.manifest },
      }),
    );
    const r1 = await verify(dup.host);
    expect(r1.exitCode, r1.stderr).toBe(0);
    expect(dup.requests.filter((q) => q.path.endsWith(amd.digest))).toHaveLength(1);

    const children = Array.from({ length: 200 }, (_, i) => image({ os: 'linux', architecture: `arch${i}` }));
    const manifests: Record<string, { body: string; type?: string }> = {
      '8.16.1': {
        body: index(
          children.map((c, i) => ({ digest: c.digest, platform: { os: 'linux', architecture: `arch${i}` } })),
        ),
        type: OCI_INDEX,
      },
    };
    children.forEach((c, i) => (manifests[`c${i}`] = { body: c.manifest }));
    const many = await start((req, res, server) => setTimeout(() => serve(manifests)(req, res, server), 5));
    const r2 = await verify(many.host);
    expect(r2.exitCode, r2.stderr).toBe(0);
    expect(many.requests).toHaveLength(201);
    expect(many.maxInFlight).toBeGreaterThan(1);
    expect(many.maxInFlight).toBeLessThanOrEqual(4);
  });
});

/** A TCP server on 127.0.0.1 that does `onSocket` with each connection (raw bytes, no HTTP). */
async function rawServer(onSocket: (socket: Socket) => void): Promise<{ host: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const raw = {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push({ ...raw, port: 0, requests: [], maxInFlight: 0 });
  return raw;
}

describe('answers below HTTP', () => {
  it('a TLS handshake that never completes (HTTPS, no --plain-http) ends at --timeout', async () => {
    const raw = await rawServer(() => undefined);
    const start = Date.now();
    const r = await runCli(['verify', '--registry', raw.host, '--timeout', '1', '-'], {
      input: pod(KIBANA),
      timeout: 15_000,
      bareEnv: true,
      env: { HOME: scratch },
    });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/no complete answer within 1 s/);
    expect(Date.now() - start).toBeLessThan(10_000);
  });

  it("garbage instead of HTTP, and a header past Node's limit, are unreachable (exit 1), not a crash", async () => {
    const garbage = await rawServer((socket) => socket.end('HELLO THERE\r\n\r\n'));
    const r1 = await verify(garbage.host);
    expectClean(r1, 1);
    expect(r1.stdout).toMatch(/unreachable/);
    const big = await rawServer((socket) => socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`));
    const r2 = await verify(big.host);
    expectClean(r2, 1);
    expect(r2.stdout).toMatch(/unreachable/);
  });

  it('a connection cut in the middle of a body is unreachable', async () => {
    const cut = await rawServer((socket) => {
      socket.once('data', () =>
        socket.end(
          `HTTP/1.1 200 OK\r\nContent-Type: ${OCI_MANIFEST}\r\nContent-Length: 1000\r\n\r\n{"schemaVersion": 2`,
        ),
      );
    });
    const r = await verify(cut.host);
    expectClean(r, 1);
    expect(r.stdout).toMatch(/unreachable/);
  });
});

describe('no crash on any registry answer', () => {
  const realms: [string, string, RegExp][] = [
    ['/token', 'a relative realm', /token realm "\/token" is not an absolute URL/],
    ['::x', 'a realm that is no URL', /token realm "::x" is not an absolute URL/],
    ['http://', 'a realm without a host', /token realm "http:\/\/" is not an absolute URL/],
    ['file:///etc/passwd', 'a file: realm', /token realm "file:\/\/\/etc\/passwd" is not HTTP\(S\)/],
  ];
  for (const [realm, name, message] of realms) {
    it(`${name} (${realm}): invalid answer, exit 1`, async () => {
      const reg = await start((_req, res) => {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm}",service="x"` });
        res.end();
      });
      const r = await verify(reg.host);
      expectClean(r, 1);
      expect(r.stdout).toMatch(/invalid answer/);
      expect(r.stderr).toMatch(message);
    });
  }

  it('a token holding CR/LF is not sent as a header: invalid answer', async () => {
    const reg = await start((req, res) => {
      if (req.url?.startsWith('/token'))
        return answer(res, JSON.stringify({ token: 'abc\r\nX-Injected: 1' }), {
          type: 'application/json',
          digest: null,
        });
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${reg.host}/token",service="x"` });
      res.end();
    });
    const r = await verify(reg.host);
    expectClean(r, 1);
    expect(r.stderr).toMatch(/sent a token holding characters a header cannot carry/);
    expect(reg.requests.some((q) => 'x-injected' in q.headers)).toBe(false);
  });

  it('a token server answering {"token": 5} or no JSON: invalid answer', async () => {
    for (const body of ['{"token": 5}', 'nope']) {
      const reg = await start((req, res) => {
        if (req.url?.startsWith('/token')) return answer(res, body, { type: 'application/json', digest: null });
        res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${reg.host}/token"` });
        res.end();
      });
      const r = await verify(reg.host);
      expectClean(r, 1);
      expect(r.stderr).toMatch(/sent no (token|JSON)/);
    }
  });

  it('Location: http://[::1 is an invalid answer; a redirect to another origin is not followed', async () => {
    const broken = await start((_req, res) => {
      res.writeHead(302, { location: 'http://[::1' });
      res.end();
    });
    const r1 = await verify(broken.host);
    expectClean(r1, 1);
    expect(r1.stderr).toMatch(/redirected to "http:\/\/\[::1", which is not a URL/);

    const elsewhere = await start(serve({ '8.16.1': { body: amd.manifest } }), '127.0.0.2');
    const redirecting = await start((req, res) => {
      res.writeHead(307, { location: `http://${elsewhere.host}${req.url}` });
      res.end();
    });
    const r2 = await verify(redirecting.host);
    expectClean(r2, 1);
    expect(r2.stderr).toMatch(/redirected to http:\/\/127\.0\.0\.2:\d+, another host/);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('a bad Docker-Content-Digest header (not a digest) is an invalid answer', async () => {
    const reg = await start((_req, res) => answer(res, amd.manifest, { digest: 'md5:zzz' }));
    const r = await verify(reg.host);
    expectClean(r, 1);
    expect(r.stderr).toMatch(/announced "md5:zzz" \(Docker-Content-Digest\), not a digest/);
  });
});

describe('registry text is printed with control characters escaped', () => {
  it('escape sequences and newlines in platform names cannot forge an "all present" line (text and JSON)', async () => {
    const forged = {
      os: 'linux\u001b[2J',
      architecture: 'amd64\neck-airgap: all 1 image present on my.registry.\n\u009b31m',
    };
    const body = index([{ digest: amd.digest, platform: forged }]);
    const reg = await start(serve({ '8.16.1': { body, type: OCI_INDEX }, a: { body: amd.manifest } }));
    const text = await verify(reg.host, ['--platform', 'linux/arm64']);
    expectClean(text, 1);
    expect(text.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text.stderr).not.toMatch(/^eck-airgap: all/m);
    expect(text.stderr).toContain('linux\\e[2J/amd64\\neck-airgap: all 1 image present');

    const json = await verify(reg.host, ['-o', 'json']);
    expect(json.exitCode, json.stderr).toBe(0); // the (odd) platform's manifest is there and real
    expect(json.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(json.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const parsed = JSON.parse(json.stdout) as { platforms: { platform: string }[] }[];
    expect(parsed[0]!.platforms[0]!.platform).toBe(`${forged.os}/${forged.architecture}`); // same value, escaped in transit
  });
});

describe.skipIf(!tools.openssl)('over HTTPS (an openssl CA; skipped without openssl)', () => {
  it('--ca-file as a file and as a pipe <(…) are read; the lie is still caught; without the CA, TLS is not trusted', async () => {
    const pki = makePki();
    const other = image({ os: 'linux', architecture: 'ppc64le' });
    const reg = await start((_req, res) => answer(res, other.manifest, { digest: amd.digest }), '127.0.0.1', {
      cert: pki.serverCert,
      key: pki.serverKey,
    });
    const base = ['verify', '--registry', reg.host, '--timeout', '5'];
    const file = await runCli([...base, '--ca-file', pki.caCert, '-'], { input: pod(KIBANA), timeout: 20_000 });
    expect(file.exitCode, file.stderr).toBe(1);
    expect(file.stdout).toMatch(/invalid answer/);
    expect(file.stderr).toContain(
      `announced ${amd.digest} (Docker-Content-Digest) but sent bytes hashing to ${other.digest}`,
    );
    // --ca-file <(cat CA): a pipe with a writer
    const piped = await runCli([...base, '--ca-file', '/dev/fd/3', '-'], {
      input: pod(KIBANA),
      pipes: [readFileSync(pki.caCert, 'utf8')],
      timeout: 20_000,
    });
    expect(piped.stderr).toContain('but sent bytes hashing to');
    const untrusted = await runCli([...base, '-'], { input: pod(KIBANA), timeout: 20_000 });
    expect(untrusted.exitCode).toBe(1);
    expect(untrusted.stderr).toMatch(/TLS certificate not trusted [\s\S]*What to try: give its CA with --ca-file/);
  });
});
