// One vocabulary for registry access in `mirror` and `verify` (issue 25): --plain-http, --ca-file, --authfile,
// --registries-conf and --platform, as flags, environment variables and config-file keys; mirror translating them to
// skopeo's options, skopeo's own spellings still accepted and refused when they disagree. Real docker-registry
// processes (plain HTTP; TLS from an openssl CA with htpasswd Basic auth) and the real skopeo.
import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import {
  authFile,
  makePki,
  missingTools,
  pushImage,
  registriesConf,
  remoteDigest,
  removeTempDirs,
  startRegistry,
  tempDir,
  toolsPresent,
  writeOciImage,
  type Pki,
  type Registry,
} from '../support/registry.js';

const pod = (...images: string[]): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers:\n${images.map((image, i) => `    - name: c${i}\n      image: ${image}\n`).join('')}`;

const KIBANA = 'docker.elastic.co/kibana/kibana:8.16.1';
const BEAT = 'docker.elastic.co/beats/filebeat:8.16.1';

/** The private CA directories mirror makes for skopeo (removed after each run). */
const caDirs = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('eck-airgap-ca-'));

describe('mirror and verify: registry access spellings that disagree are refused (exit 2, one paragraph)', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    [
      '--plain-http with --dest-tls-verify=true',
      ['--plain-http', '--dest-tls-verify=true'],
      {},
      /--plain-http .* and --dest-tls-verify=true disagree: .*Give one of them/,
    ],
    [
      'ECK_AIRGAP_PLAIN_HTTP=false with --dest-tls-verify=false',
      ['--dest-tls-verify=false'],
      { ECK_AIRGAP_PLAIN_HTTP: 'false' },
      /--plain-http=false .* and --dest-tls-verify=false disagree/,
    ],
    [
      '--ca-file with --dest-cert-dir',
      ['--ca-file', '/etc/hostname', '--dest-cert-dir', '/tmp'],
      {},
      /--ca-file \/etc\/hostname .* and --dest-cert-dir \/tmp both name the mirror's CA: give one/,
    ],
  ];
  // should the refusal ever regress, skopeo reaches a closed loopback port, never docker.elastic.co
  const nowhere = join(tempDir('nowhere'), 'registries.conf');
  writeFileSync(nowhere, '[[registry]]\nprefix = "docker.elastic.co"\nlocation = "127.0.0.1:9"\n');
  for (const [name, args, env, message] of cases) {
    it(name, async () => {
      const r = await runCli(['mirror', '--registry', '127.0.0.1:9', '--registries-conf', nowhere, ...args, '-'], {
        input: pod(KIBANA),
        env,
      });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('a config file platform that is not OS/ARCH is refused naming the key, for mirror and verify alike', async () => {
    const dir = tempDir('conf');
    writeFileSync(join(dir, 'eck-airgap.yaml'), 'registry: my.registry\nplatforms: [linux]\n');
    for (const command of ['mirror', 'verify']) {
      const r = await runCli([command, '-'], { input: pod(KIBANA), cwd: dir });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/platforms\.0: not a platform \(expected OS\/ARCH/);
    }
  });

  it('the registry access flags are mirror and verify options, not render options', async () => {
    const mirror = await runCli(['mirror', '--help']);
    const verify = await runCli(['verify', '--help']);
    for (const flag of ['--plain-http', '--ca-file', '--authfile', '--registries-conf', '--platform']) {
      expect(mirror.stdout, flag).toContain(flag);
      expect(verify.stdout, flag).toContain(flag);
    }
    expect(mirror.stdout).toMatch(/--dest-tls-verify <bool>\s+skopeo's own/);
    const render = await runCli(['--registry', 'my.registry', '--plain-http', '-'], { input: pod(KIBANA) });
    expect(render.exitCode).toBe(2);
    expect(render.stderr).toMatch(/unknown option '--plain-http'/);
    const valued = await runCli(['--registry', 'my.registry', '--plain-http=no', '-'], { input: pod(KIBANA) });
    expect(valued.exitCode).toBe(2);
    expect(valued.stderr).toMatch(/unknown option '--plain-http'/);
  });
});

describe.skipIf(!toolsPresent)(
  `mirror and verify with one vocabulary against real registries${toolsPresent ? '' : ` — SKIPPED: missing ${missingTools.join(', ')}`}`,
  () => {
    let source: Registry;
    let plain: Registry;
    let secured: Registry;
    let pki: Pki;
    let conf: string;
    let auth: string;
    const kibana = writeOciImage('kibana 8.16.1 (registry access)');
    const beat = writeOciImage('filebeat 8.16.1 (registry access)');
    const USER = { user: 'robot', password: 'pw' };

    beforeAll(async () => {
      pki = makePki();
      [source, plain, secured] = await Promise.all([
        startRegistry(),
        startRegistry(),
        startRegistry({ tls: pki, basic: USER }),
      ]);
      await pushImage(kibana, source, 'kibana/kibana', '8.16.1');
      await pushImage(beat, source, 'beats/filebeat', '8.16.1');
      conf = registriesConf(source);
      auth = authFile({ [secured.host]: USER });
    });

    afterAll(async () => {
      await Promise.all([source?.stop(), plain?.stop(), secured?.stop()]);
      removeTempDirs();
    });

    it('mirror --plain-http copies to a plain-HTTP mirror; verify with the very same flags finds it all', async () => {
      const flags = ['--registry', plain.host, '--plain-http', '--registries-conf', conf, '--platform', 'linux/arm64'];
      const m = await runCli(['mirror', ...flags, '-'], { input: pod(KIBANA) });
      expect(m.exitCode, m.stderr).toBe(0);
      expect(m.stderr).toMatch(/1 images? to .*: 1 copied, 0 already there, 0 failed/);
      expect(await remoteDigest(`${plain.host}/kibana/kibana:8.16.1`)).toBe(kibana.digest);
      const v = await runCli(['verify', ...flags, '-'], { input: pod(KIBANA) });
      expect(v.exitCode, v.stderr).toBe(0);
      expect(v.stderr).toMatch(/all 1 image present on .*\(platforms linux\/arm64\)/);
    });

    it('mirror --ca-file trusts a TLS mirror whose CA folder also holds ca.key (skopeo sees only the CA); verify with the same flags succeeds', async () => {
      const before = caDirs();
      const flags = [
        '--registry',
        secured.host,
        '--ca-file',
        pki.caCert, // next to ca.key and server.key: as a cert dir, skopeo wants ca.cert for ca.key
        '--authfile',
        auth,
        '--registries-conf',
        conf,
      ];
      const m = await runCli(['mirror', ...flags, '-'], { input: pod(KIBANA) });
      expect(m.exitCode, m.stderr).toBe(0);
      expect(m.stderr).not.toMatch(/missing client certificate/);
      expect(m.stderr).toMatch(/1 copied, 0 already there, 0 failed/);
      expect(caDirs()).toEqual(before); // the private CA directory is removed after the run
      const v = await runCli(['verify', ...flags, '-'], { input: pod(KIBANA) });
      expect(v.exitCode, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/kibana\/kibana:8\.16\.1\s+present/);
      // the old way, for the record: skopeo's own --dest-cert-dir pointed at that folder fails as it did
      const old = await runCli(
        [
          'mirror',
          '--registry',
          secured.host,
          '--dest-cert-dir',
          pki.dir,
          '--authfile',
          auth,
          '--registries-conf',
          conf,
          '-',
        ],
        { input: pod(BEAT) },
      );
      expect(old.exitCode).toBe(1);
      expect(old.stderr).toMatch(/missing client certificate/);
    });

    it('the config file and the environment give the same settings (plainHttp, platforms; ECK_AIRGAP_CA_FILE, _AUTHFILE, _REGISTRIES_CONF)', async () => {
      const dir = tempDir('conf');
      const file = join(dir, 'settings.yaml');
      writeFileSync(
        file,
        `registry: ${plain.host}\nplainHttp: true\nregistriesConf: ${conf}\nplatforms:\n  - linux/amd64\n`,
      );
      const m = await runCli(['mirror', '-c', file, '-'], { input: pod(BEAT) });
      expect(m.exitCode, m.stderr).toBe(0);
      expect(m.stderr).toMatch(/1 copied, 0 already there, 0 failed/);
      const v = await runCli(['verify', '-c', file, '-'], { input: pod(BEAT) });
      expect(v.exitCode, v.stderr).toBe(0);
      expect(v.stderr).toMatch(/\(platforms linux\/amd64\)/);

      const env = {
        ECK_AIRGAP_REGISTRY: secured.host,
        ECK_AIRGAP_CA_FILE: pki.caCert,
        ECK_AIRGAP_AUTHFILE: auth,
        ECK_AIRGAP_REGISTRIES_CONF: conf,
        ECK_AIRGAP_PLATFORMS: 'linux/amd64,linux/arm64',
      };
      const me = await runCli(['mirror', '-'], { input: pod(BEAT), env });
      expect(me.exitCode, me.stderr).toBe(0);
      expect(me.stderr).toMatch(/1 copied, 0 already there, 0 failed/);
      const ve = await runCli(['verify', '-'], { input: pod(BEAT), env });
      expect(ve.exitCode, ve.stderr).toBe(0);
      expect(ve.stderr).toMatch(/\(platforms linux\/amd64, linux\/arm64\)/);
    });

    it('mirror --platform fails an image without that platform, as verify reports it (every platform is still copied)', async () => {
      const flags = ['--registry', plain.host, '--plain-http', '--registries-conf', conf, '--platform', 'linux/s390x'];
      const m = await runCli(['mirror', ...flags, '-'], { input: pod(KIBANA) });
      expect(m.exitCode).toBe(1);
      expect(m.stderr).toMatch(/kibana:8\.16\.1.*does not have every platform asked for \(--platform linux\/s390x\)/);
      const v = await runCli(['verify', ...flags, '-'], { input: pod(KIBANA) });
      expect(v.exitCode).toBe(1);
      expect(v.stdout).toMatch(/kibana\/kibana:8\.16\.1\s+platform missing/);
    });

    it('mirror --to-dir --platform judges the layout it writes the same way (an index without the platform fails)', async () => {
      const dir = join(tempDir('carry'), 'images');
      const base = ['mirror', '--to-dir', dir, '--registries-conf', conf];
      const bad = await runCli([...base, '--platform', 'linux/s390x', '-'], { input: pod(KIBANA) });
      expect(bad.exitCode).toBe(1);
      expect(bad.stderr).toMatch(
        /does not have every platform asked for \(--platform linux\/s390x\): platform missing/,
      );
      expect(bad.stderr).toMatch(/the carry is NOT complete/);
      const good = await runCli([...base, '--platform', 'linux/arm64', '--platform', 'linux/amd64', '-'], {
        input: pod(KIBANA),
      });
      expect(good.exitCode, good.stderr).toBe(0);
      expect(good.stderr).toMatch(/the carry is complete/);
    });
  },
);
