// Issue 13, "done when": a stack with the operator, Elasticsearch with stack monitoring, Kibana and Fleet Server is
// mirrored directly and across the gap through a directory (the source registry stopped before the second half),
// `verify` proves every image and platform present, and then finds and names a deleted tag, a missing platform, a
// wrong password and an untrusted certificate. Real docker-registry processes, real skopeo, the real CLI.
//
// Registries (started once for the file): a plain-HTTP stand-in for docker.elastic.co (reached through a
// registries.conf); mirror A with TLS (a CA made here with openssl) and htpasswd Basic auth, filled directly;
// mirror B with Bearer tokens from a token server written in test/support/registry.ts, filled from a directory.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authFile,
  deleteTag,
  makePki,
  pushImage,
  registriesConf,
  removeTempDirs,
  remoteDigest,
  startRegistry,
  startTokenServer,
  tempDir,
  toolsPresent,
  writeOciImage,
  type Pki,
  type Registry,
  type TokenServer,
  type WrittenImage,
} from '../support/registry.js';
import { itHasRegistryTools } from '../support/registry.js';
import { caseFile, runCli } from '../support/cli.js';

const STACK = caseFile('../mirror/stack.yaml');
const UPSTREAM: Record<string, string> = {
  'eck/eck-operator': '3.5.0',
  'elasticsearch/elasticsearch': '8.16.1',
  'kibana/kibana': '8.16.1',
  'beats/elastic-agent': '8.16.1',
  'beats/metricbeat': '8.16.1',
  'beats/filebeat': '8.16.1',
};
const USER = { user: 'mirror-admin', password: 's3cret pass:word' };

describe('mirror + verify end to end: the tools are here, or the suite says it did not run', () => {
  itHasRegistryTools('test/e2e/airgap-mirror.test.ts');
});

if (toolsPresent) {
  describe('eck-airgap mirror and verify: the operator, Elasticsearch with stack monitoring, Kibana, Fleet Server', () => {
    let source: Registry;
    let mirrorA: Registry;
    let mirrorB: Registry;
    let tokens: TokenServer;
    let pki: Pki;
    let conf: string;
    let authA: string;
    let authB: string;
    const images: Record<string, WrittenImage> = {};
    const dir = join(tempDir('gap'), 'carry');

    beforeAll(async () => {
      pki = makePki();
      tokens = await startTokenServer(USER.user, USER.password);
      [source, mirrorA, mirrorB] = await Promise.all([
        startRegistry(),
        startRegistry({ tls: pki, basic: USER }),
        startRegistry({ token: tokens }),
      ]);
      for (const [path, tag] of Object.entries(UPSTREAM)) {
        images[path] = writeOciImage(`${path}:${tag}`);
        await pushImage(images[path]!, source, path, tag);
      }
      conf = registriesConf(source);
      authA = authFile({ [mirrorA.host]: USER });
      authB = authFile({ [mirrorB.host]: USER });
    });

    afterAll(async () => {
      await Promise.all([source?.stop(), mirrorA?.stop(), mirrorB?.stop()]);
      await tokens?.close();
      removeTempDirs();
    });

    it('mirror (direct) copies every image images lists to a TLS + Basic-auth mirror, every platform, digests kept', async () => {
      const listed = await runCli(['images', '--registry', mirrorA.host, STACK]);
      expect(listed.exitCode, listed.stderr).toBe(0);
      expect(listed.stdout.trim().split('\n')).toHaveLength(6);

      const r = await runCli([
        'mirror',
        '--registry',
        mirrorA.host,
        '--registries-conf',
        conf,
        '--authfile',
        authA,
        '--dest-cert-dir',
        pki.certDir,
        STACK,
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`[6/6] `);
      expect(r.stderr).toContain(
        `docker.elastic.co/kibana/kibana:8.16.1 -> ${mirrorA.host}/kibana/kibana:8.16.1: copied`,
      );
      expect(r.stderr).toMatch(/6 images to .*: 6 copied, 0 already there, 0 failed/);
      for (const [path, tag] of Object.entries(UPSTREAM)) {
        const digest = await remoteDigest(`${mirrorA.host}/${path}:${tag}`, [
          '--cert-dir',
          pki.certDir,
          '--creds',
          `${USER.user}:${USER.password}`,
        ]);
        expect(digest, path).toBe(images[path]!.digest);
      }
    });

    it('a rerun copies nothing: every image is already there with the same digest', async () => {
      const r = await runCli([
        'mirror',
        '--registry',
        mirrorA.host,
        '--registries-conf',
        conf,
        '--authfile',
        authA,
        '--dest-cert-dir',
        pki.certDir,
        '--jobs',
        '3',
        STACK,
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/0 copied, 6 already there, 0 failed/);
    });

    it('verify proves every image and both platforms present on mirror A (Basic auth, --ca-file)', async () => {
      const r = await runCli([
        'verify',
        '--registry',
        mirrorA.host,
        '--authfile',
        authA,
        '--ca-file',
        pki.caCert,
        '--platform',
        'linux/amd64',
        '--platform',
        'linux/arm64',
        STACK,
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      const rows = r.stdout.trim().split('\n');
      expect(rows[0]).toMatch(/^IMAGE\s+STATUS\s+DIGEST$/);
      expect(rows).toHaveLength(7);
      for (const [path, tag] of Object.entries(UPSTREAM)) {
        expect(rows).toContainEqual(
          expect.stringMatching(new RegExp(`^${mirrorA.host}/${path}:${tag}\\s+present\\s+${images[path]!.digest}$`)),
        );
      }
      expect(r.stderr).toMatch(/all 6 images present .*linux\/amd64, linux\/arm64/);
    });

    it('mirror --to-dir writes one OCI layout with upstream names, shared blobs and a manifest of names and digests', async () => {
      const r = await runCli(['mirror', '--registry', mirrorB.host, '--registries-conf', conf, '--to-dir', dir, STACK]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/6 copied, 0 already there, 0 failed/);
      const manifest = JSON.parse(readFileSync(join(dir, 'eck-airgap-images.json'), 'utf8')) as {
        images: { source: string; ref: string; digest: string }[];
      };
      expect(manifest.images.map((e) => e.source)).toEqual(
        Object.entries(UPSTREAM)
          .map(([p, t]) => `docker.elastic.co/${p}:${t}`)
          .sort(),
      );
      for (const e of manifest.images) {
        const path = e.source.replace(/^docker\.elastic\.co\//, '').replace(/:[^:]+$/, '');
        expect(e.digest, e.source).toBe(images[path]!.digest);
        expect(e.ref).toBe(e.source);
      }
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: unknown[] };
      expect(index.manifests).toHaveLength(6);
      // one blob store for all: 6 indexes + 12 manifests + 12 configs + 12 layers
      expect(readdirSync(join(dir, 'blobs', 'sha256'))).toHaveLength(42);
      const again = await runCli([
        'mirror',
        '--registry',
        mirrorB.host,
        '--registries-conf',
        conf,
        '--to-dir',
        dir,
        STACK,
      ]);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/0 copied, 6 already there/);
    });

    it("mirror --from-dir, with the source registry stopped, fills a Bearer-token mirror under render's names; verify proves it", async () => {
      await source.stop();
      const r = await runCli([
        'mirror',
        '--from-dir',
        dir,
        '--registry',
        mirrorB.host,
        '--authfile',
        authB,
        '--dest-tls-verify=false',
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/6 copied, 0 already there, 0 failed/);
      expect(tokens.requests.some((q) => q.user === USER.user && q.scope?.includes('push'))).toBe(true);

      const v = await runCli([
        'verify',
        '--registry',
        mirrorB.host,
        '--plain-http',
        '--authfile',
        authB,
        '-o',
        'json',
        STACK,
      ]);
      expect(v.exitCode, v.stderr).toBe(0);
      const results = JSON.parse(v.stdout) as {
        image: string;
        status: string;
        digest: string;
        platforms: { platform: string; status: string }[];
      }[];
      expect(results).toHaveLength(6);
      for (const res of results) {
        expect(res.status, res.image).toBe('present');
        expect(res.platforms.map((p) => `${p.platform} ${p.status}`)).toEqual([
          'linux/amd64 present',
          'linux/arm64 present',
        ]);
      }
      const es = results.find((x) => x.image === `${mirrorB.host}/elasticsearch/elasticsearch:8.16.1`);
      expect(es?.digest).toBe(images['elasticsearch/elasticsearch']!.digest);
      expect(es).toMatchObject({ source: 'docker.elastic.co/elasticsearch/elasticsearch:8.16.1', detail: null });
    });

    it('verify finds and names a deleted tag and a platform whose manifest is missing from its index (exit 1)', async () => {
      deleteTag(mirrorB, 'kibana/kibana', '8.16.1');
      const arm = images['elasticsearch/elasticsearch']!.children['linux/arm64']!;
      const link = join(
        mirrorB.storage,
        'docker/registry/v2/repositories/elasticsearch/elasticsearch/_manifests/revisions/sha256',
        arm.slice(7),
      );
      expect(existsSync(link)).toBe(true);
      rmSync(link, { recursive: true });

      const r = await runCli(['verify', '--registry', mirrorB.host, '--plain-http', '--authfile', authB, STACK]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^${mirrorB.host}/kibana/kibana:8\\.16\\.1\\s+missing\\s+-$`, 'm'));
      expect(r.stdout).toMatch(
        new RegExp(`^${mirrorB.host}/elasticsearch/elasticsearch:8\\.16\\.1\\s+platform missing\\s+sha256:`, 'm'),
      );
      expect(r.stdout).toMatch(new RegExp(`^${mirrorB.host}/eck/eck-operator:3\\.5\\.0\\s+present`, 'm'));
      expect(r.stderr).toContain(`${mirrorB.host}/kibana/kibana:8.16.1: missing`);
      expect(r.stderr).toContain(
        `${mirrorB.host}/elasticsearch/elasticsearch:8.16.1: platform missing: the linux/arm64 manifest ${arm} is listed in the index but not in the repository`,
      );
      expect(r.stderr).toMatch(/2 of 6 images not ready/);
    });

    it('verify --platform names a single-platform image where two are required', async () => {
      const single = writeOciImage('filebeat amd64 only', [{ os: 'linux', architecture: 'amd64' }], { single: true });
      await pushImage(single, mirrorB, 'beats/filebeat', '8.16.1', ['--dest-creds', `${USER.user}:${USER.password}`]);
      const r = await runCli([
        'verify',
        '--registry',
        mirrorB.host,
        '--plain-http',
        '--authfile',
        authB,
        '--platform',
        'linux/amd64',
        '--platform',
        'linux/arm64',
        STACK,
      ]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        `${mirrorB.host}/beats/filebeat:8.16.1: platform missing: a single-platform image (linux/amd64); linux/arm64 not there`,
      );
      const json = await runCli([
        'verify',
        '--registry',
        mirrorB.host,
        '--plain-http',
        '--authfile',
        authB,
        '--platform',
        'linux/arm64',
        '-o',
        'json',
        STACK,
      ]);
      const filebeat = (JSON.parse(json.stdout) as { image: string; status: string; digest: string }[]).find((x) =>
        x.image.endsWith('/beats/filebeat:8.16.1'),
      );
      expect(filebeat).toMatchObject({ status: 'platform missing', digest: single.digest });
    });

    it('verify names a wrong password (Basic and Bearer) as unauthorized, never as missing', async () => {
      const wrongA = authFile({ [mirrorA.host]: { user: USER.user, password: 'wrong' } });
      const a = await runCli([
        'verify',
        '--registry',
        mirrorA.host,
        '--authfile',
        wrongA,
        '--ca-file',
        pki.caCert,
        STACK,
      ]);
      expect(a.exitCode).toBe(1);
      expect(a.stdout).toMatch(new RegExp(`^${mirrorA.host}/kibana/kibana:8\\.16\\.1\\s+unauthorized`, 'm'));
      expect(a.stderr).toContain(`refused the user name and password of ${wrongA} (user ${USER.user})`);
      expect(a.stderr).toMatch(/6 of 6 images not ready/);

      const wrongB = authFile({ [mirrorB.host]: { user: USER.user, password: 'wrong' } });
      const b = await runCli(['verify', '--registry', mirrorB.host, '--plain-http', '--authfile', wrongB, STACK]);
      expect(b.exitCode).toBe(1);
      expect(b.stdout).toMatch(new RegExp(`^${mirrorB.host}/eck/eck-operator:3\\.5\\.0\\s+unauthorized`, 'm'));
      expect(b.stderr).toContain('the token server refused the user name and password');

      const none = await runCli(['verify', '--registry', mirrorA.host, '--ca-file', pki.caCert, STACK], {
        env: { HOME: tempDir('home'), XDG_RUNTIME_DIR: tempDir('xdg') },
      });
      expect(none.exitCode).toBe(1);
      expect(none.stderr).toContain('none found in the auth file');
    });

    it('verify names an untrusted certificate (no --ca-file) as unreachable and says how to fix it', async () => {
      const r = await runCli(['verify', '--registry', mirrorA.host, '--authfile', authA, STACK]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(`^${mirrorA.host}/elasticsearch/elasticsearch:8\\.16\\.1\\s+unreachable\\s+-$`, 'm'),
      );
      expect(r.stderr).toMatch(/TLS certificate not trusted \(.*\)\n/);
      // the fix once, for every image it hit (issue 25)
      expect(r.stderr.match(/give its CA with --ca-file/g)).toHaveLength(1);
    });

    it('$REGISTRY_AUTH_FILE, else ~/.docker/config.json, is read when --authfile is not given', async () => {
      const empty = { HOME: tempDir('home'), XDG_RUNTIME_DIR: tempDir('xdg') };
      const r = await runCli(['verify', '--registry', mirrorA.host, '--ca-file', pki.caCert, '-q', STACK], {
        env: { ...empty, REGISTRY_AUTH_FILE: authA },
      });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      const home = tempDir('home');
      mkdirSync(join(home, '.docker'));
      writeFileSync(
        join(home, '.docker', 'config.json'),
        JSON.stringify({
          auths: {
            [`https://${mirrorA.host}`]: { auth: Buffer.from(`${USER.user}:${USER.password}`).toString('base64') },
          },
        }),
      );
      const docker = await runCli(['verify', '--registry', mirrorA.host, '--ca-file', pki.caCert, '-q', STACK], {
        env: { ...empty, HOME: home },
      });
      expect(docker.exitCode, docker.stderr).toBe(0);
    });
  });
}
