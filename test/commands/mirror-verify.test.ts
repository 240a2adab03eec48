// `eck-airgap mirror` and `eck-airgap verify` option by option: usage errors, a failed copy named with skopeo's
// reason and a rerun that copies only what is missing, Docker manifest lists, where credentials go when the token
// realm is on another host, an unreachable mirror. Real docker-registry processes and the real skopeo; the done-when
// scenario is test/e2e/airgap-mirror.test.ts.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authFile,
  pushImage,
  registriesConf,
  removeTempDirs,
  remoteDigest,
  startRegistry,
  startTokenServer,
  tempDir,
  tools,
  toolsPresent,
  writeOciImage,
  type Registry,
  type TokenServer,
  type WrittenImage,
} from '../support/registry.js';
import { itHasRegistryTools } from '../support/registry.js';
import { pod } from '../support/manifests.js';
import { runCli } from '../support/cli.js';

describe('mirror and verify: usage errors (exit 2, nothing on stdout)', () => {
  const cases: [string, string[], RegExp][] = [
    [
      '--to-dir with --from-dir',
      ['mirror', '--registry', 'my.registry', '--to-dir', '/tmp/a', '--from-dir', '/tmp'],
      /--to-dir and --from-dir exclude each other/,
    ],
    [
      '--from-dir with manifest files',
      ['mirror', '--registry', 'my.registry', '--from-dir', '/tmp', 'x.yaml'],
      /--from-dir reads no manifests/,
    ],
    [
      'a TLS flag that is not true/false',
      ['mirror', '--registry', 'my.registry', '--src-tls-verify=maybe', '-'],
      /--src-tls-verify=maybe: expected true or false/,
    ],
    [
      '--jobs 0',
      ['mirror', '--registry', 'my.registry', '--jobs', '0', '-'],
      /--jobs 0: expected a whole number from 1 to 64/,
    ],
    [
      '--skopeo that is not there',
      ['mirror', '--registry', 'my.registry', '--skopeo', '/nonexistent/skopeo', '-'],
      /--skopeo \/nonexistent\/skopeo: not an executable file/,
    ],
    [
      'a missing --registries-conf',
      ['mirror', '--registry', 'my.registry', '--registries-conf', '/nonexistent.conf', '-'],
      /--registries-conf \/nonexistent\.conf: no such file/,
    ],
    ['no registry', ['mirror', '-'], /No registry given/],
    [
      'verify --platform linux',
      ['verify', '--registry', 'my.registry', '--platform', 'linux', '-'],
      // the settings' rule (descriptors.ts), as for ECK_AIRGAP_PLATFORMS and the config file's platforms
      /--platform \(platforms\.0\): not a platform \(expected OS\/ARCH/,
    ],
    [
      'verify -o yaml',
      ['verify', '--registry', 'my.registry', '-o', 'yaml', '-'],
      /--output yaml: unknown format; use text or json/,
    ],
    [
      'verify --timeout soon',
      ['verify', '--registry', 'my.registry', '--timeout', 'soon', '-'],
      /--timeout soon: expected a whole number/,
    ],
    [
      'verify --ca-file missing',
      ['verify', '--registry', 'my.registry', '--ca-file', '/nonexistent.pem', '-'],
      /--ca-file \/nonexistent\.pem: no such file/,
    ],
    [
      'verify --authfile missing',
      ['verify', '--registry', 'my.registry', '--authfile', '/nonexistent.json', '-'],
      /--authfile \/nonexistent\.json: cannot read it/,
    ],
    ['verify unknown flag', ['verify', '--registry', 'my.registry', '--tls-verify=false', '-'], /unknown option/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await runCli(args, { input: pod('docker.elastic.co/kibana/kibana:8.16.1') });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('skopeo missing from PATH is a usage error naming the fix', async () => {
    const bin = tempDir('path');
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = await runCli(['mirror', '--registry', 'my.registry', '-'], {
      input: pod('docker.elastic.co/kibana/kibana:8.16.1'),
      env: { PATH: bin },
    });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/skopeo not found on PATH; install it .* or give --skopeo PATH/);
  });

  it('--from-dir on a directory without eck-airgap-images.json is bad input (exit 1) naming the file', async () => {
    if (!tools.skopeo) return expect(tools.skopeo).toBeUndefined();
    const dir = tempDir('empty');
    const r = await runCli(['mirror', '--registry', 'my.registry', '--from-dir', dir]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `${join(dir, 'eck-airgap-images.json')}: not found; --from-dir needs a directory written by eck-airgap mirror --to-dir`,
    );
  });
});

describe('mirror and verify against real registries: the tools are here, or the suite says it did not run', () => {
  itHasRegistryTools('test/commands/mirror-verify.test.ts');
});

if (toolsPresent) {
  describe('mirror and verify against real registries', () => {
    let source: Registry;
    let mirror: Registry;
    let farRealm: Registry;
    let tokens: TokenServer;
    let conf: string;
    const kibana = writeOciImage('kibana 8.16.1');
    let auditbeat: WrittenImage;
    const USER = { user: 'robot', password: 'pw' };

    beforeAll(async () => {
      tokens = await startTokenServer(USER.user, USER.password, '127.0.0.2');
      [source, mirror, farRealm] = await Promise.all([
        startRegistry(),
        startRegistry(),
        startRegistry({ token: tokens }),
      ]);
      await pushImage(kibana, source, 'kibana/kibana', '8.16.1');
      conf = registriesConf(source);
    });

    afterAll(async () => {
      await Promise.all([source?.stop(), mirror?.stop(), farRealm?.stop()]);
      await tokens?.close();
      removeTempDirs();
    });

    it("a copy that fails is named with skopeo's reason (exit 1); a rerun after the fix copies only what is missing", async () => {
      const input = pod('docker.elastic.co/kibana/kibana:8.16.1', 'docker.elastic.co/beats/auditbeat:8.16.1');
      const args = [
        'mirror',
        '--registry',
        mirror.host,
        '--registries-conf',
        conf,
        '--dest-tls-verify=false',
        '--jobs',
        '2',
        '-',
      ];
      const first = await runCli(args, { input });
      expect(first.exitCode).toBe(1);
      expect(first.stdout).toBe('');
      expect(first.stderr).toMatch(/\[\d\/2\] docker\.elastic\.co\/kibana\/kibana:8\.16\.1 -> .*: copied/);
      expect(first.stderr).toMatch(/2 images to .*: 1 copied, 0 already there, 1 failed/);
      expect(first.stderr).toMatch(
        /failed: docker\.elastic\.co\/beats\/auditbeat:8\.16\.1: .*(manifest unknown|not found)/i,
      );

      auditbeat = writeOciImage('auditbeat 8.16.1');
      await pushImage(auditbeat, source, 'beats/auditbeat', '8.16.1');
      const second = await runCli(args, { input });
      expect(second.exitCode, second.stderr).toBe(0);
      expect(second.stderr).toMatch(/kibana\/kibana:8\.16\.1 -> .*: already there/);
      expect(second.stderr).toMatch(/1 copied, 1 already there, 0 failed/);
      expect(await remoteDigest(`${mirror.host}/beats/auditbeat:8.16.1`)).toBe(auditbeat.digest);
    });

    it('a tag on the mirror with another digest is copied again (not skipped)', async () => {
      const other = writeOciImage('a stale kibana');
      await pushImage(other, mirror, 'kibana/kibana', '8.16.1');
      const r = await runCli(
        ['mirror', '--registry', mirror.host, '--registries-conf', conf, '--dest-tls-verify=false', '-'],
        { input: pod('docker.elastic.co/kibana/kibana:8.16.1') },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/1 copied, 0 already there/);
      expect(await remoteDigest(`${mirror.host}/kibana/kibana:8.16.1`)).toBe(kibana.digest);
    });

    it('verify reads Docker manifest lists and v2 manifests (Accept headers) and follows them into their platforms', async () => {
      const docker = writeOciImage('docker format');
      await execa(tools.skopeo!, [
        'copy',
        '--all',
        '--format',
        'v2s2',
        '-q',
        '--dest-tls-verify=false',
        `oci:${docker.layout}:latest`,
        `docker://${mirror.host}/beats/packetbeat:8.16.1`,
      ]);
      const r = await runCli(
        ['verify', '--registry', mirror.host, '--plain-http', '-o', 'json', '--platform', 'linux/arm64', '-'],
        { input: pod('docker.elastic.co/beats/packetbeat:8.16.1') },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      const [result] = JSON.parse(r.stdout) as {
        status: string;
        digest: string;
        platforms: { platform: string; status: string }[];
      }[];
      expect(result).toMatchObject({ status: 'present', platforms: [{ platform: 'linux/arm64', status: 'present' }] });
      // skopeo converted the index to a Docker manifest list: another digest than the OCI one
      expect(result!.digest).not.toBe(docker.digest);
      expect(result!.digest).toBe(await remoteDigest(`${mirror.host}/beats/packetbeat:8.16.1`));
    });

    it('a Docker-format image goes through a directory (converted to OCI by skopeo) and a rerun knows it is already there', async () => {
      const docker = writeOciImage('docker format upstream');
      await execa(tools.skopeo!, [
        'copy',
        '--all',
        '--format',
        'v2s2',
        '-q',
        '--dest-tls-verify=false',
        `oci:${docker.layout}:latest`,
        `docker://${source.host}/beats/packetbeat:8.16.1`,
      ]);
      const upstream = await remoteDigest(`${source.host}/beats/packetbeat:8.16.1`);
      const dir = join(tempDir('docker-format'), 'carry');
      const input = pod('docker.elastic.co/beats/packetbeat:8.16.1');
      const first = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], { input });
      expect(first.exitCode, first.stderr).toBe(0);
      expect(first.stderr).toMatch(/1 copied/);
      const manifest = JSON.parse(readFileSync(join(dir, 'eck-airgap-images.json'), 'utf8')) as {
        images: { digest: string; upstream?: string }[];
      };
      expect(manifest.images[0]!.upstream).toBe(upstream);
      expect(manifest.images[0]!.digest).not.toBe(upstream);
      const again = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], { input });
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/0 copied, 1 already there/);
      const into = await startRegistry();
      try {
        const r = await runCli(['mirror', '--registry', into.host, '--from-dir', dir, '--dest-tls-verify=false']);
        expect(r.exitCode, r.stderr).toBe(0);
        const v = await runCli(['verify', '--registry', into.host, '--plain-http', '--platform', 'linux/arm64', '-'], {
          input,
        });
        expect(v.exitCode, v.stderr).toBe(0);
      } finally {
        await into.stop();
      }
    });

    it('verify checks a pinned image by its digest', async () => {
      const r = await runCli(['verify', '--registry', mirror.host, '--plain-http', '-'], {
        input: pod(
          `docker.elastic.co/beats/auditbeat:8.16.1@${auditbeat.digest}`,
          `docker.elastic.co/kibana/kibana:8.16.1@${auditbeat.digest}`,
        ),
      });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(
          `^${mirror.host}/beats/auditbeat:8\\.16\\.1@${auditbeat.digest}\\s+present\\s+${auditbeat.digest}$`,
          'm',
        ),
      );
      expect(r.stdout).toMatch(
        new RegExp(`^${mirror.host}/kibana/kibana:8\\.16\\.1@${auditbeat.digest}\\s+missing`, 'm'),
      );
    });

    it("verify never sends the mirror's credentials to a token realm on another host; the same auth file works on the realm's own entry", async () => {
      await pushImage(kibana, farRealm, 'kibana/kibana', '8.16.1', ['--dest-creds', `${USER.user}:${USER.password}`]);
      const input = pod('docker.elastic.co/kibana/kibana:8.16.1');
      tokens.requests.length = 0;
      const onlyMirror = authFile({ [farRealm.host]: USER });
      const r = await runCli(['verify', '--registry', farRealm.host, '--plain-http', '--authfile', onlyMirror, '-'], {
        input,
      });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(/kibana\/kibana:8\.16\.1\s+unauthorized/);
      expect(r.stderr).toContain(
        `the credentials for ${farRealm.host} were not sent to its token server ${new URL(tokens.realm).host} (another host)`,
      );
      expect(tokens.requests.length).toBeGreaterThan(0);
      expect(tokens.requests.every((q) => q.user === undefined)).toBe(true);

      const realmHost = new URL(tokens.realm).host;
      const withRealm = authFile({ [farRealm.host]: USER, [realmHost]: USER });
      const ok = await runCli(['verify', '--registry', farRealm.host, '--plain-http', '--authfile', withRealm, '-'], {
        input,
      });
      expect(ok.exitCode, ok.stderr).toBe(0);
      expect(tokens.requests.some((q) => q.user === USER.user)).toBe(true);
    });

    it('verify: a plain-HTTP registry without --plain-http, and a stopped one, are unreachable and named', async () => {
      const input = pod('docker.elastic.co/kibana/kibana:8.16.1');
      const tls = await runCli(['verify', '--registry', mirror.host, '--timeout', '5', '-'], { input });
      expect(tls.exitCode).toBe(1);
      expect(tls.stdout).toMatch(/kibana\/kibana:8\.16\.1\s+unreachable/);
      expect(tls.stderr).toMatch(/needs --plain-http/);

      const gone = await startRegistry();
      await gone.stop();
      const r = await runCli(['verify', '--registry', gone.host, '--plain-http', '-'], { input });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`${gone.host.replace(/\./g, '\\.')}/kibana/kibana:8\\.16\\.1: unreachable: .*ECONNREFUSED`),
      );
    });

    it("mirror --to-dir then --from-dir keeps a pinned image's digest and writes it under the target's tag", async () => {
      const dir = join(tempDir('pinned'), 'carry');
      mkdirSync(dir);
      const input = pod(`docker.elastic.co/beats/auditbeat:8.16.1@${auditbeat.digest}`);
      // the connected side need not know the mirror's name
      const out = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], { input });
      expect(out.exitCode, out.stderr).toBe(0);
      const into = await startRegistry();
      try {
        const r = await runCli([
          'mirror',
          '--registry',
          into.host,
          '--repository',
          'team',
          '--from-dir',
          dir,
          '--dest-tls-verify=false',
        ]);
        expect(r.exitCode, r.stderr).toBe(0);
        expect(await remoteDigest(`${into.host}/team/auditbeat:8.16.1`)).toBe(auditbeat.digest);
        const v = await runCli(['verify', '--registry', into.host, '--repository', 'team', '--plain-http', '-'], {
          input,
        });
        expect(v.exitCode, v.stderr).toBe(0);
      } finally {
        await into.stop();
      }
      // settings under which an image of the directory has no name on the mirror: named, and a failure
      const other = await runCli([
        'mirror',
        '--registry',
        'my.registry',
        '--no-default-source-registry',
        '--source-registry',
        'quay.io',
        '--from-dir',
        dir,
      ]);
      expect(other.exitCode).toBe(1);
      expect(other.stderr).toContain(
        `failed: docker.elastic.co/beats/auditbeat:8.16.1@${auditbeat.digest}: not copied: on no source registry (quay.io)`,
      );
      expect(other.stderr).toMatch(/1 image to my\.registry: 0 copied, 0 already there, 1 failed/);

      writeFileSync(join(dir, 'eck-airgap-images.json'), '{"format": "something else"}');
      const bad = await runCli(['mirror', '--registry', 'my.registry', '--from-dir', dir]);
      expect(bad.exitCode).toBe(1);
      expect(bad.stderr).toMatch(/not an eck-airgap image manifest/);
    });
  });
}
