// What the real skopeo (1.9.3 here) prints for each failure cause eck-airgap names, against the real
// docker-registry on 127.0.0.1 (test/support/registry.ts: TLS with an openssl CA, htpasswd, a Bearer token server)
// and, for what docker-registry will not do (a 403), the small hostile server. Each case's stderr is classified
// with src/registry/failure-cause.ts, which must give the cause the case is about; with ECK_AIRGAP_CAPTURE=1 the
// normalised lines (time stamps, ports and temporary paths replaced) are written to
// test/registry/fixtures/skopeo-1.9.3-causes.json, which test/registry/failure-cause.unit.test.ts reads offline.
//
// DNS: a host that cannot resolve is asked for inside a network namespace with nothing but a loopback that is down
// (`unshare --net`, root): the resolver of /etc/resolv.conf cannot be reached, so the lookup fails at once and no
// packet leaves the machine (a `.invalid` name alone would still be sent to that resolver, which is not on
// 127.0.0.0/8 here: checked with strace, Go's resolver skips only `.onion`). skopeo's "no such host" is captured
// in a network and mount namespace whose resolv.conf names a DNS server on 127.0.0.1 answering NXDOMAIN.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyText } from '../../src/registry/failure-cause.js';
import { startHostile, type HostileRegistry } from '../support/hostile-registry.js';
import {
  authFile,
  makePki,
  missingTools,
  pushImage,
  removeTempDirs,
  startRegistry,
  startTokenServer,
  tempDir,
  tools,
  toolsPresent,
  writeOciImage,
  type Pki,
  type Registry,
  type TokenServer,
  type WrittenImage,
} from '../support/registry.js';

export const FIXTURE = join(import.meta.dirname, 'fixtures', 'skopeo-1.9.3-causes.json');

const canUnshare =
  process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true'], { stdio: 'ignore' }).status === 0;

interface Case {
  name: string;
  kind: string;
  args: string[];
  stderr: string;
}

describe.runIf(toolsPresent)(
  `skopeo's own words for each failure cause${toolsPresent ? '' : ` — SKIPPED: missing ${missingTools.join(', ')}`}`,
  () => {
    const USER = { user: 'robot', password: 'pw' };
    const WRONG = { user: 'robot', password: 'wrong' };
    let plain: Registry;
    let tls: Registry;
    let mismatchDns: Registry;
    let mismatchIp: Registry;
    let expired: Registry;
    let basic: Registry;
    let bearer: Registry;
    let stopped: Registry;
    let forbidden: HostileRegistry;
    let tokens: TokenServer;
    let pki: Pki;
    let pkiDns: Pki;
    let pkiIp: Pki;
    let pkiExpired: Pki;
    let image: WrittenImage;
    let home: string;
    const cases: Case[] = [];
    /** Placeholder ports, one per registry, so the fixture reads alike on every run. */
    const ports = new Map<string, string>();
    const tmp = tempDir('capture-root');

    beforeAll(async () => {
      pki = makePki();
      pkiDns = makePki({ san: 'DNS:registry.other.test' });
      pkiIp = makePki({ san: 'IP:127.0.0.2' });
      pkiExpired = makePki({ expired: true });
      tokens = await startTokenServer(USER.user, USER.password);
      [plain, tls, mismatchDns, mismatchIp, expired, basic, bearer, stopped] = await Promise.all([
        startRegistry(),
        startRegistry({ tls: pki }),
        startRegistry({ tls: pkiDns }),
        startRegistry({ tls: pkiIp }),
        startRegistry({ tls: pkiExpired }),
        startRegistry({ basic: USER }),
        startRegistry({ token: tokens }),
        startRegistry(),
      ]);
      await stopped.stop();
      forbidden = await startHostile((_req, res) => {
        res
          .writeHead(403, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}');
      });
      image = writeOciImage('capture');
      await pushImage(image, plain, 'x/y', '1');
      await pushImage(image, basic, 'x/y', '1', ['--dest-creds', `${USER.user}:${USER.password}`]);
      await pushImage(image, bearer, 'x/y', '1', ['--dest-creds', `${USER.user}:${USER.password}`]);
      [plain, tls, mismatchDns, mismatchIp, expired, basic, bearer, stopped].forEach((r, i) =>
        ports.set(r.host, `127.0.0.1:${5001 + i}`),
      );
      ports.set(forbidden.host, '127.0.0.1:5009');
      ports.set(new URL(tokens.realm).host, '127.0.0.1:5010');
      home = tempDir('capture-home');
      mkdirSync(join(home, 'run'));
    });

    afterAll(async () => {
      await Promise.all([plain, tls, mismatchDns, mismatchIp, expired, basic, bearer].map((r) => r?.stop()));
      await forbidden?.close();
      await tokens?.close();
      if (process.env.ECK_AIRGAP_CAPTURE === '1' && cases.length > 0) {
        const skopeo = spawnSync(tools.skopeo!, ['--version'], { encoding: 'utf8' }).stdout.trim();
        const ordered = cases.sort((a, b) => a.name.localeCompare(b.name));
        writeFileSync(
          FIXTURE,
          `${JSON.stringify(
            {
              captured: `${skopeo}, docker-registry 2.8 (Debian), by test/registry/skopeo-causes.test.ts with ECK_AIRGAP_CAPTURE=1; time stamps, ports and temporary paths normalised`,
              cases: ordered,
            },
            null,
            2,
          )}\n`,
        );
      }
      removeTempDirs();
    });

    const normalise = (text: string): string => {
      let t = text
        .replace(/time="[^"]+"/g, 'time="TIME"')
        .replace(/current time \S+ is after/g, 'current time NOW is after');
      for (const [real, fixed] of ports) t = t.split(real).join(fixed);
      return t
        .split(tmp)
        .join('/tmp/capture')
        .replace(/\/tmp\/eck-airgap-[\w-]+/g, '/tmp/capture');
    };

    /**
     * `offline`: skopeo in a network namespace with nothing but a loopback that is down. `nxdomain`: in a network and
     * mount namespace whose /etc/resolv.conf (bind-mounted there only) names 127.0.0.1, where a small DNS server
     * answers every query with NXDOMAIN, as a site's resolver does for a name it does not know.
     */
    function wrapped(args: string[], network: 'online' | 'offline' | 'nxdomain'): string[] {
      if (network === 'online') return [tools.skopeo!, ...args];
      if (network === 'offline') return ['unshare', '--net', tools.skopeo!, ...args];
      const dir = tempDir('nxdomain');
      writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
      writeFileSync(
        join(dir, 'nx.cjs'),
        [
          "const s = require('node:dgram').createSocket('udp4');",
          "s.on('message', (m, r) => { const o = Buffer.from(m); o[2] = 0x81 | (m[2] & 1); o[3] = 0x83; o.writeUInt16BE(0, 6); o.writeUInt16BE(0, 8); o.writeUInt16BE(0, 10); s.send(o, r.port, r.address); });",
          "s.bind(53, '127.0.0.1', () => require('node:fs').writeFileSync(process.argv[2], 'up'));",
        ].join('\n'),
      );
      const script = [
        'ip link set lo up',
        `mount --bind "$0/resolv.conf" /etc/resolv.conf`,
        `"$1" "$0/nx.cjs" "$0/up" & i=0; while [ ! -e "$0/up" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done`,
        'shift 1; "$@"; rc=$?; kill $! 2>/dev/null; exit $rc',
      ].join('\n');
      return ['unshare', '--net', '--mount', 'sh', '-c', script, dir, process.execPath, tools.skopeo!, ...args];
    }

    async function run(
      name: string,
      kind: string,
      args: string[],
      offline: boolean | 'nxdomain' = false,
    ): Promise<void> {
      const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_RUNTIME_DIR: join(home, 'run') };
      const [file, ...rest] = wrapped(args, offline === 'nxdomain' ? 'nxdomain' : offline ? 'offline' : 'online');
      const started = Date.now();
      const r = await execa(file!, rest, { reject: false, env, extendEnv: false, timeout: 60_000, stdin: 'ignore' });
      expect(r.exitCode, `${name}: ${r.stderr}`).not.toBe(0);
      // every cause fails fast (no retry loop, no DNS timeout)
      expect(Date.now() - started, name).toBeLessThan(30_000);
      const stderr = normalise(String(r.stderr));
      cases.push({ name, kind, args: args.map(normalise), stderr });
      expect(classifyText(stderr).kind, `${name}: ${stderr}`).toBe(kind);
    }

    const inspect = (host: string, ...extra: string[]): string[] => [
      'inspect',
      '--raw',
      ...extra,
      `docker://${host}/x/y:1`,
    ];
    const copy = (host: string, ...extra: string[]): string[] => [
      'copy',
      '--all',
      '--preserve-digests',
      '--quiet',
      ...extra,
      `oci:${image.layout}:latest`,
      `docker://${host}/x/y:2`,
    ];

    it('TLS: a CA this machine does not trust', async () => {
      await run('tls-unknown-ca inspect', 'tls-unknown-ca', inspect(tls.host));
      await run('tls-unknown-ca copy', 'tls-unknown-ca', copy(tls.host));
    });

    it('TLS: a certificate for another name (a CA cannot help)', async () => {
      await run('tls-host-name dns inspect', 'tls-host-name', inspect(mismatchDns.host, '--cert-dir', pkiDns.certDir));
      await run('tls-host-name dns copy', 'tls-host-name', copy(mismatchDns.host, '--dest-cert-dir', pkiDns.certDir));
      await run('tls-host-name ip inspect', 'tls-host-name', inspect(mismatchIp.host, '--cert-dir', pkiIp.certDir));
    });

    it('TLS: an expired certificate', async () => {
      await run('tls-expired inspect', 'tls-expired', inspect(expired.host, '--cert-dir', pkiExpired.certDir));
      await run('tls-expired copy', 'tls-expired', copy(expired.host, '--dest-cert-dir', pkiExpired.certDir));
    });

    it('HTTPS asked of a plain-HTTP registry', async () => {
      await run('http-vs-https inspect', 'http-vs-https', inspect(plain.host));
      await run('http-vs-https copy', 'http-vs-https', copy(plain.host));
    });

    it('credentials refused (Basic and Bearer) and no credentials at all', async () => {
      const wrong = authFile({ [basic.host]: WRONG, [bearer.host]: WRONG });
      await run(
        'credentials basic inspect',
        'unauthorized',
        inspect(basic.host, '--tls-verify=false', '--authfile', wrong),
      );
      await run(
        'credentials basic copy',
        'unauthorized',
        copy(basic.host, '--dest-tls-verify=false', '--authfile', wrong),
      );
      await run(
        'credentials bearer inspect',
        'unauthorized',
        inspect(bearer.host, '--tls-verify=false', '--authfile', wrong),
      );
      await run(
        'credentials bearer copy',
        'unauthorized',
        copy(bearer.host, '--dest-tls-verify=false', '--authfile', wrong),
      );
      await run('no credentials basic inspect', 'unauthorized', inspect(basic.host, '--tls-verify=false'));
      await run('no credentials basic copy', 'unauthorized', copy(basic.host, '--dest-tls-verify=false'));
      await run('no credentials bearer inspect', 'unauthorized', inspect(bearer.host, '--tls-verify=false'));
      await run('no credentials bearer copy', 'unauthorized', copy(bearer.host, '--dest-tls-verify=false'));
    });

    it('not found, connection refused, access denied (403)', async () => {
      await run('not-found inspect', 'not-found', [
        'inspect',
        '--raw',
        '--tls-verify=false',
        `docker://${plain.host}/x/none:1`,
      ]);
      await run('connection-refused inspect', 'connection-refused', inspect(stopped.host, '--tls-verify=false'));
      await run('connection-refused copy', 'connection-refused', copy(stopped.host, '--dest-tls-verify=false'));
      await run('denied inspect', 'denied', inspect(forbidden.host, '--tls-verify=false'));
      await run('denied copy', 'denied', copy(forbidden.host, '--dest-tls-verify=false'));
    });

    it.skipIf(!canUnshare)(
      `a host that cannot be resolved, with no network at all${canUnshare ? '' : ' — SKIPPED: needs root and unshare --net'}`,
      async () => {
        await run(
          'dns docker.elastic.co inspect',
          'dns',
          ['inspect', '--raw', 'docker://docker.elastic.co/x/y:1'],
          true,
        );
        await run('dns invalid copy', 'dns', copy('registry.invalid'), true);
        await run(
          'dns no such host inspect',
          'dns',
          ['inspect', '--raw', 'docker://docker.elastic.co/x/y:1'],
          'nxdomain',
        );
      },
    );

    it.skipIf(process.env.ECK_AIRGAP_CAPTURE === '1')(
      'the fixture the unit test reads holds every case captured here',
      () => {
        const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { cases: Case[] };
        for (const c of cases) expect(fixture.cases.map((f) => f.name)).toContain(c.name);
      },
    );
  },
);
