// Issue 23, "an independent verifier, not your own code": the containers/image library (what CRI-O, podman and
// skopeo use; Debian's 5.23.1 source, golang-github-containers-image-dev) judges the signatures eck-airgap
// carried and the containers-policy.json + registries.d it wrote. Debian disables sigstore in two functions
// ("Debian-local change: sigstore disabled"); test/support/policy-verifier/build.ts builds a small program on the
// library with those two pointed at our own implementation (test/support/policy-verifier/overlay). It is checked
// first on the library's own sigstore fixtures (signature/fixtures: dir-img-cosign-*, cosign.pub), then must copy
// a signed mirrored image under the generated policy and refuse an unsigned one, one signed with another key, one
// whose signature names another digest, one naming another identity, and an index whose platforms are unsigned.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKey, signImage, type TestKey } from '../support/cosign.js';
import {
  buildPolicyVerifier,
  goMissing,
  UPSTREAM_FIXTURES,
  type BuiltVerifier,
} from '../support/policy-verifier/build.js';
import {
  missingTools,
  pushImage,
  registriesConf,
  removeTempDirs,
  startRegistry,
  tempDir,
  toolsPresent,
  writeOciImage,
  type Registry,
  type WrittenImage,
} from '../support/registry.js';
import { pod } from '../support/manifests.js';
import { runCli } from '../support/cli.js';

const UPSTREAM: Record<string, [string, string]> = {
  'elasticsearch/elasticsearch': ['8.16.1', 'signed'],
  'kibana/kibana': ['8.16.1', 'unsigned'],
  'beats/filebeat': ['8.16.1', 'another key'],
  'beats/metricbeat': ['8.16.1', 'wrong digest'],
  'beats/elastic-agent': ['8.16.1', 'wrong identity'],
  'eck/eck-operator': ['3.5.0', 'index only'],
};
const ALL = Object.entries(UPSTREAM).map(([path, [tag]]) => `docker.elastic.co/${path}:${tag}`);
const missing = [...goMissing, ...(toolsPresent ? [] : missingTools)];

describe('the independent verifier (containers/image): Go and the library source are here, or the suite says it did not run', () => {
  it('go and golang-github-containers-image-dev are present, or this suite is reported as NOT RUN', () => {
    if (missing.length > 0)
      console.warn(
        `\n!!! test/e2e/signature-policy.test.ts: NOT RUN — missing ${missing.join(', ')} (.ci/run installs golang-go and golang-github-containers-image-dev) !!!\n`,
      );
    expect(missing.length === 0).toBe(goMissing.length === 0 && toolsPresent);
  });
});

describe.skipIf(missing.length > 0)(
  `containers/image judges eck-airgap's signatures and policy${missing.length > 0 ? ` (skipped: missing ${missing.join(', ')})` : ''}`,
  () => {
    let verifier: BuiltVerifier;
    let source: Registry;
    let mirror: Registry;
    let key: TestKey;
    const images: Record<string, WrittenImage> = {};
    const out = join(tempDir('policy'), 'out');

    beforeAll(async () => {
      verifier = buildPolicyVerifier();
      console.log(`policy-verifier built in ${verifier.seconds.toFixed(1)} s`);
      key = makeKey('ecdsa');
      const other = makeKey('ecdsa');
      [source, mirror] = await Promise.all([startRegistry(), startRegistry()]);
      for (const [path, [tag, how]] of Object.entries(UPSTREAM)) {
        images[path] = writeOciImage(`${path}:${tag}`);
        await pushImage(images[path]!, source, path, tag);
        if (how === 'signed') await signImage(source, path, images[path]!, key);
        if (how === 'another key') await signImage(source, path, images[path]!, other);
        if (how === 'wrong digest')
          await signImage(source, path, images[path]!, key, {
            claimDigest: () => images['elasticsearch/elasticsearch']!.digest,
          });
        if (how === 'wrong identity')
          await signImage(source, path, images[path]!, key, { identity: 'docker.elastic.co/beats/not-elastic-agent' });
        if (how === 'index only') await signImage(source, path, images[path]!, key, { topOnly: true });
      }
      const m = await runCli(
        [
          'mirror',
          '--registry',
          mirror.host,
          '--registries-conf',
          registriesConf(source),
          '--dest-tls-verify=false',
          '-',
        ],
        { input: pod(...ALL) },
      );
      if (m.exitCode !== 0) throw new Error(`mirror failed:\n${m.stderr}`);
      await source.stop();
    }, 15 * 60_000);

    afterAll(async () => {
      await Promise.all([source?.stop(), mirror?.stop()]);
      removeTempDirs();
    });

    const run = (args: string[]) => execa(verifier.bin, args, { reject: false });

    it("first, on the library's own sigstore fixtures: accepts dir-img-cosign-valid(-2), refuses a modified manifest, an unsigned image, another identity", async () => {
      const policy = join(tempDir('fixture-policy'), 'policy.json');
      const rule = (repo: string) => ({
        default: [{ type: 'reject' }],
        transports: {
          dir: {
            '': [
              {
                type: 'sigstoreSigned',
                keyPath: join(UPSTREAM_FIXTURES, 'cosign.pub'),
                signedIdentity: { type: 'exactRepository', dockerRepository: repo },
              },
            ],
          },
        },
      });
      writeFileSync(policy, JSON.stringify(rule('192.168.64.2:5000/cosign-signed-single-sample')));
      for (const ok of ['dir-img-cosign-valid', 'dir-img-cosign-valid-2']) {
        const r = await run(['--policy', policy, '--check', `dir:${join(UPSTREAM_FIXTURES, ok)}`]);
        expect(r.exitCode, `${ok}: ${r.stderr}`).toBe(0);
      }
      const modified = await run([
        '--policy',
        policy,
        '--check',
        `dir:${join(UPSTREAM_FIXTURES, 'dir-img-cosign-modified-manifest')}`,
      ]);
      expect(modified.exitCode).toBe(1);
      expect(modified.stderr).toMatch(/Signature for digest sha256:\S+ does not match/);
      const unsigned = await run(['--policy', policy, '--check', `dir:${join(UPSTREAM_FIXTURES, 'dir-img-unsigned')}`]);
      expect(unsigned.exitCode).toBe(1);
      expect(unsigned.stderr).toContain('A signature was required, but no signature exists');
      writeFileSync(policy, JSON.stringify(rule('192.168.64.2:5000/another')));
      const identity = await run([
        '--policy',
        policy,
        '--check',
        `dir:${join(UPSTREAM_FIXTURES, 'dir-img-cosign-valid')}`,
      ]);
      expect(identity.exitCode).toBe(1);
      expect(identity.stderr).toContain(
        'Signature for identity 192.168.64.2:5000/cosign-signed-single-sample is not accepted',
      );
    }, 60_000);

    it('eck-airgap policy --out writes policy.json and registries.d/eck-airgap.yaml for the six Elastic repositories', async () => {
      const r = await runCli(
        ['policy', '--registry', mirror.host, '--key', key.publicFile, '-o', 'containers-policy', '--out', out, '-'],
        { input: pod(...ALL) },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      const policy = JSON.parse(readFileSync(join(out, 'policy.json'), 'utf8')) as {
        transports: { docker: Record<string, { signedIdentity: { dockerRepository: string } }[]> };
      };
      expect(Object.keys(policy.transports.docker).sort()).toEqual(
        Object.keys(UPSTREAM)
          .map((p) => `${mirror.host}/${p}`)
          .sort(),
      );
      expect(policy.transports.docker[`${mirror.host}/kibana/kibana`]![0]!.signedIdentity).toEqual({
        type: 'exactRepository',
        dockerRepository: 'docker.elastic.co/kibana/kibana',
      });
      expect(readFileSync(join(out, 'registries.d', 'eck-airgap.yaml'), 'utf8')).toContain(
        `  ${mirror.host}/elasticsearch/elasticsearch:\n    use-sigstore-attachments: true\n`,
      );
    });

    const copy = (path: string) => {
      const dest = join(tempDir('pulled'), 'img');
      mkdirSync(dest);
      const [tag] = UPSTREAM[path]!;
      return run([
        '--policy',
        join(out, 'policy.json'),
        '--registries-d',
        join(out, 'registries.d'),
        '--insecure',
        `docker://${mirror.host}/${path}:${tag}`,
        `dir:${dest}`,
      ]);
    };

    it('copies the signed mirrored image (index and both platforms) under the generated policy', async () => {
      const r = await copy('elasticsearch/elasticsearch');
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('accepted');
    }, 60_000);

    it('refuses the unsigned image', async () => {
      const r = await copy('kibana/kibana');
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('A signature was required, but no signature exists');
    }, 60_000);

    it('refuses the image signed with another key', async () => {
      const r = await copy('beats/filebeat');
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('cryptographic signature verification failed');
    }, 60_000);

    it('refuses the image whose signature names another digest', async () => {
      const r = await copy('beats/metricbeat');
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        `Signature for digest ${images['elasticsearch/elasticsearch']!.digest} does not match`,
      );
    }, 60_000);

    it('refuses the image whose signature names another identity', async () => {
      const r = await copy('beats/elastic-agent');
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('Signature for identity docker.elastic.co/beats/not-elastic-agent is not accepted');
    }, 60_000);

    it('refuses the index whose platform manifests are unsigned (the library checks each instance it copies)', async () => {
      const r = await copy('eck/eck-operator');
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('A signature was required, but no signature exists');
    }, 60_000);

    it('without the registries.d entry the library does not read the attachments, and refuses even the signed image', async () => {
      const dest = join(tempDir('pulled'), 'img');
      mkdirSync(dest);
      const r = await run([
        '--policy',
        join(out, 'policy.json'),
        '--registries-d',
        tempDir('empty-registries-d'),
        '--insecure',
        `docker://${mirror.host}/elasticsearch/elasticsearch:8.16.1`,
        `dir:${dest}`,
      ]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('A signature was required, but no signature exists');
    }, 60_000);
  },
);
