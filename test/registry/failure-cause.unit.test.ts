// The failure classifier (src/registry/failure-cause.ts) over skopeo 1.9.3's real lines, captured against the
// real docker-registry by test/registry/skopeo-causes.test.ts (ECK_AIRGAP_CAPTURE=1 rewrites the fixture), and over
// the registry client's and Node's own messages as verify prints them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { causeParagraphs } from '../../src/registry/cause-report.js';
import {
  causeOfStatus,
  classifyFailure,
  type Cause,
  type CredentialContext,
} from '../../src/registry/failure-cause.js';

interface Case {
  name: string;
  kind: string;
  args: string[];
  stderr: string;
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'skopeo-1.9.3-causes.json'), 'utf8')) as {
  captured: string;
  cases: Case[];
};
const byName = (name: string): Case => {
  const c = fixture.cases.find((x) => x.name === name);
  if (!c) throw new Error(`no fixture case ${name}`);
  return c;
};

const withFile: CredentialContext = {
  lookup: (host) => (host.startsWith('127.0.0.1:') ? { username: 'robot', file: '/tmp/auth-bad.json' } : undefined),
  files: ['/tmp/auth-bad.json'],
};
const noFile: CredentialContext = {
  lookup: () => undefined,
  files: ['/run/user/0/containers/auth.json', '/root/.docker/config.json'],
};

describe("skopeo 1.9.3's real lines", () => {
  it('the fixture was captured from skopeo 1.9.3 and holds every cause', () => {
    expect(fixture.captured).toMatch(/^skopeo version 1\.9\.3/);
    const kinds = new Set(fixture.cases.map((c) => c.kind));
    for (const k of [
      'tls-unknown-ca',
      'tls-host-name',
      'tls-expired',
      'http-vs-https',
      'unauthorized',
      'dns',
      'connection-refused',
      'not-found',
      'denied',
    ])
      expect(kinds).toContain(k);
  });

  for (const c of fixture.cases) {
    it(`${c.name}: ${c.kind}, naming the registry it failed at`, () => {
      const cause = classifyFailure(c.stderr, 'fallback.example', c.kind === 'unauthorized' ? noFile : undefined);
      const want = c.kind === 'unauthorized' ? 'no-credentials' : c.kind;
      expect(cause.kind).toBe(want);
      const named = /docker:\/\/([^/]+)\/|pinging container registry ([^:\s]+(?::\d+)?)/.exec(c.stderr);
      expect(cause.host).toBe(
        c.name.startsWith('dns docker')
          ? 'docker.elastic.co'
          : c.name.startsWith('dns invalid')
            ? 'registry.invalid'
            : cause.host,
      );
      // skopeo names no host for a token refused on a copy: the caller's fallback (the destination) stands
      if (c.name !== 'credentials bearer copy') expect(cause.host).not.toBe('fallback.example');
      if (named?.[2]) expect(cause.host).toBe(named[2]);
      expect(cause.said).not.toMatch(/time=|level=fatal|msg=/);
    });
  }

  it('a 401 with credentials stored for the host is credentials refused, naming the file and user (never the password)', () => {
    for (const name of ['credentials basic inspect', 'credentials basic copy', 'credentials bearer inspect']) {
      const cause = classifyFailure(byName(name).stderr, '127.0.0.1:5006', withFile);
      expect(cause.kind, name).toBe('credentials-refused');
      expect(cause.detail).toBe('/tmp/auth-bad.json (user robot)');
    }
  });

  it('a 401 with no credentials names the auth files searched', () => {
    const cause = classifyFailure(byName('no credentials bearer inspect').stderr, '', noFile);
    expect(cause).toMatchObject({ kind: 'no-credentials', host: '127.0.0.1:5007' });
    expect(cause.detail).toBe('/run/user/0/containers/auth.json, /root/.docker/config.json');
  });

  it('a host-name mismatch keeps the names the certificate holds', () => {
    expect(classifyFailure(byName('tls-host-name ip inspect').stderr, '').detail).toBe('127.0.0.2');
    expect(classifyFailure(byName('tls-host-name dns inspect').stderr, '').detail).toBe(
      'host names only, no IP address',
    );
  });

  it('HTTPS asked of a plain-HTTP registry says the registry speaks http', () => {
    expect(classifyFailure(byName('http-vs-https copy').stderr, '').detail).toBe('http');
  });

  it('a copy stopped at --timeout is a timeout; anything else is other, with its first meaningful line escaped', () => {
    expect(classifyFailure('no end to the copy in time', 'h', undefined, true).kind).toBe('timeout');
    const other = classifyFailure('time="x" level=fatal msg="something odd \\x1b[31m happened"', 'h');
    expect(other).toMatchObject({ kind: 'other', host: 'h' });
    expect(other.detail).toBe('something odd \\x1b[31m happened');
    expect(other.detail).not.toContain('\u001b');
  });
});

describe("verify's client messages (src/registry/client.ts, http.ts) and Node's errors", () => {
  const cases: [string, string, string][] = [
    ['unreachable', 'h:1: TLS certificate not trusted (unable to verify the first certificate)', 'tls-unknown-ca'],
    [
      'unreachable',
      'h:1: TLS certificate not trusted (self-signed certificate in certificate chain)',
      'tls-unknown-ca',
    ],
    [
      'unreachable',
      "h:1: TLS certificate not trusted (Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: 127.0.0.2)",
      'tls-host-name',
    ],
    ['unreachable', 'h:1: TLS certificate not trusted (certificate has expired)', 'tls-expired'],
    [
      'unreachable',
      'h:1: TLS handshake failed (write EPROTO 40B7…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number)',
      'http-vs-https',
    ],
    ['unreachable', 'h:1: getaddrinfo ENOTFOUND registry.invalid', 'dns'],
    ['unreachable', 'h:1: getaddrinfo EAI_AGAIN registry.invalid', 'dns'],
    ['unreachable', 'h:1: connect ECONNREFUSED 127.0.0.1:1', 'connection-refused'],
    ['unreachable', 'h:1: no complete answer within 5 s (--timeout)', 'timeout'],
    ['missing', 'not found (HTTP 404)', 'not-found'],
    [
      'unauthorized',
      'h:1 refused the user name and password of /tmp/auth-bad.json (user robot)',
      'credentials-refused',
    ],
    ['unauthorized', 'h:1 wants a user name and password (Basic); none found in the auth file', 'no-credentials'],
    ['unauthorized', 'h:1 refused the token (no pull access to x/y for user robot)', 'denied'],
    ['unauthorized', 'HTTP 403', 'denied'],
    [
      'unauthorized',
      'h:1 gives no anonymous pull access to x/y; no credentials found in the auth file a.json',
      'no-credentials',
    ],
    ['unreachable', 'HTTP 400: Client sent an HTTP request to an HTTPS server', 'http-vs-https'],
    ['unreachable', 'HTTP 418', 'other'],
  ];
  for (const [status, detail, kind] of cases)
    it(`${status}: ${detail.slice(0, 60)} → ${kind}`, () => {
      expect(causeOfStatus(status, detail, 'h:1', noFile).kind).toBe(kind);
    });

  it('credentials refused names the auth file and user from the message', () => {
    const c = causeOfStatus(
      'unauthorized',
      'h refused the user name and password of auth-bad.json (user robot)',
      'h',
      noFile,
    );
    expect(c.detail).toBe('auth-bad.json (user robot)');
  });
});

describe('the report: one paragraph per cause and registry (src/registry/cause-report.ts)', () => {
  const cause = (host: string): Cause => ({
    kind: 'tls-unknown-ca',
    host,
    detail: '',
    said: 'x509: certificate signed by unknown authority',
  });

  it('lists the first 20 images and counts the rest; another registry is another paragraph', () => {
    const hits = Array.from({ length: 25 }, (_, i) => ({ image: `docker.elastic.co/x/i${i}:1`, cause: cause('a:1') }));
    const text = causeParagraphs([...hits, { image: 'docker.elastic.co/y:1', cause: cause('b:1') }], 'verify');
    expect(text.match(/What to try:/g)).toHaveLength(2);
    expect(text).toContain('not ready: 25 images: the TLS certificate of a:1');
    expect(text).toContain('    docker.elastic.co/x/i19:1\n    and 5 more\n');
    expect(text).not.toContain('i20:1');
    expect(text).toContain('not ready: docker.elastic.co/y:1: the TLS certificate of b:1');
  });

  it('escapes what a registry or skopeo wrote', () => {
    const text = causeParagraphs(
      [{ image: 'r/x:1', cause: { kind: 'other', host: 'h', detail: 'd', said: 'd' }, note: 'a\u001b[2Jb' }],
      'mirror',
    );
    expect(text).not.toContain('\u001b');
  });
});
