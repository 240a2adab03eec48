// Issue 23, signatures: images signed in cosign's storage format on a stand-in for docker.elastic.co (Debian's
// docker-registry on 127.0.0.1, test/support/cosign.ts), carried by `mirror` directly and through a directory
// (the source stopped before the second half), judged by `verify --key` on each mirror: signed, unsigned, bad
// signature (another key, malformed, oversized), wrong digest, wrong identity, an index signed without its
// platforms; RSA and Ed25519 keys; the exemption flag; key files that are not public keys. Real registries, real
// skopeo, the real CLI.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cosignPayload,
  makeKey,
  pushSignature,
  signImage,
  signPayload,
  sigTag,
  type TestKey,
} from '../support/cosign.js';
import {
  missingTools,
  pushImage,
  registriesConf,
  removeTempDirs,
  remoteDigest,
  startRegistry,
  tempDir,
  toolsPresent,
  warnNotRun,
  writeOciImage,
  type Registry,
  type WrittenImage,
} from '../support/registry.js';
import { pod } from '../support/manifests.js';
import { runCli } from '../support/cli.js';

/** repository -> [tag, how it is signed] */
const UPSTREAM: Record<string, [string, string]> = {
  'elasticsearch/elasticsearch': ['8.16.1', 'signed'],
  'kibana/kibana': ['8.16.1', 'unsigned'],
  'beats/filebeat': ['8.16.1', 'bad signature'],
  'beats/metricbeat': ['8.16.1', 'wrong digest'],
  'beats/elastic-agent': ['8.16.1', 'wrong identity'],
  'eck/eck-operator': ['3.5.0', 'unsigned'], // the index signed, not its platforms
};
const ALL = Object.entries(UPSTREAM).map(([path, [tag]]) => `docker.elastic.co/${path}:${tag}`);

describe('signatures: the tools are here, or the suite says it did not run', () => {
  it('docker-registry and skopeo are present, or this suite is reported as NOT RUN', () => {
    warnNotRun('test/commands/signatures.test.ts');
    expect(toolsPresent).toBe(missingTools.length === 0);
  });
});

describe('verify --key: key files that are not a cosign public key are usage errors (exit 2, nothing on stdout)', () => {
  const dir = tempDir('keys');
  const big = join(dir, 'big.pub');
  writeFileSync(big, `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(70_000)}\n-----END PUBLIC KEY-----\n`);
  const priv = join(dir, 'cosign.key');
  writeFileSync(priv, makeKey().privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const junk = join(dir, 'junk.pub');
  writeFileSync(junk, '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n');
  const fifo = join(dir, 'fifo.pub');
  spawnSync('mkfifo', [fifo]);
  const cases: [string, string[], RegExp][] = [
    ['a FIFO (would block a read)', ['--key', fifo], /--key \S+fifo\.pub: not a regular file/],
    [
      'a missing key file',
      ['--key', '/nonexistent/cosign.pub'],
      /--key \/nonexistent\/cosign\.pub: cannot open it \(ENOENT\)/,
    ],
    ['a key file larger than a key', ['--key', big], /more than a public key \(65536 at most\)/],
    ['a private key', ['--key', priv], /a private key; give the public key \(cosign\.pub\), never the private one/],
    ['a PEM block that is no key', ['--key', junk], /not a readable public key/],
    [
      '--allow-unsigned without --key',
      ['--allow-unsigned', 'docker.elastic.co/kibana/kibana'],
      /--allow-unsigned needs --key/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await runCli(['verify', '--registry', '127.0.0.1:1', '--plain-http', ...args, '-'], {
        input: pod(ALL[0]!),
      });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

it('a key file reached through a link (as a Kubernetes Secret volume mounts it) is read', async () => {
  const k = makeKey();
  const link = join(tempDir('secret'), 'cosign.pub');
  symlinkSync(k.publicFile, link);
  // nothing listens on 127.0.0.1:1: the key was accepted, the mirror is unreachable (exit 1, not 2)
  const r = await runCli(
    ['verify', '--registry', '127.0.0.1:1', '--plain-http', '--timeout', '2', '--key', link, '-'],
    { input: pod(ALL[0]!) },
  );
  expect(r.exitCode, r.stderr).toBe(1);
  expect(r.stderr).toMatch(/unreachable/);
});

describe('verify --key against a hostile registry (a small server on 127.0.0.1): bounded, never a crash', () => {
  let server: import('node:http').Server;
  let host = '';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 2 },
      layers: [],
    }),
  );
  const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const payload = cosignPayload('docker.elastic.co/hostile/lying', digestOf(manifest));
  const lyingSig = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'b'.repeat(64)}`, size: 2 },
      layers: [
        {
          mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
          digest: digestOf(payload),
          size: payload.length,
          annotations: { 'dev.cosignproject.cosign/signature': 'AAAA' },
        },
      ],
    }),
  );

  beforeAll(async () => {
    const { createServer } = await import('node:http');
    server = createServer((req, res) => {
      const url = req.url ?? '';
      if (url === '/v2/') return res.writeHead(200).end('{}');
      if (/\/manifests\/1\.0$/.test(url))
        return res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(manifest);
      if (url.startsWith('/v2/hostile/huge/manifests/sha256-')) {
        // a signature manifest without end: 9 MiB, more than any client should take
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const more = (): void => {
          while (sent < 9 && res.write(chunk)) sent++;
          if (sent >= 9) res.end();
          else res.once('drain', more);
        };
        res.on('error', () => undefined);
        return more();
      }
      if (url.startsWith('/v2/hostile/lying/manifests/sha256-'))
        return res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(lyingSig);
      // a payload blob whose bytes are not what its digest says
      if (url.startsWith('/v2/hostile/lying/blobs/'))
        return res.writeHead(200).end(Buffer.from(payload.toString().replace('lying', 'other')));
      return res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a signature manifest of 9 MiB: cut off, the image named, exit 1', async () => {
    const k = makeKey();
    const r = await runCli(
      ['verify', '--registry', host, '--plain-http', '--key', k.publicFile, '--timeout', '10', '-'],
      { input: pod('docker.elastic.co/hostile/huge:1.0') },
    );
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/hostile\/huge:1\.0: invalid answer: .*larger than the 8388608 bytes/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  }, 60_000);

  it('a payload whose bytes are not its digest: invalid answer (the registry lied), not signed', async () => {
    const k = makeKey();
    const r = await runCli(['verify', '--registry', host, '--plain-http', '--key', k.publicFile, '-'], {
      input: pod('docker.elastic.co/hostile/lying:1.0'),
    });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/hostile\/lying:1\.0: invalid answer: .*the registry sent bytes hashing to sha256:/);
  }, 60_000);
});

if (toolsPresent) {
  describe('signatures carried by mirror and verified by verify --key', () => {
    let source: Registry;
    let direct: Registry;
    let gap: Registry;
    let conf: string;
    let key: TestKey;
    let other: TestKey;
    const images: Record<string, WrittenImage> = {};
    const dir = join(tempDir('gap'), 'carry');

    beforeAll(async () => {
      key = makeKey('ecdsa');
      other = makeKey('ecdsa');
      [source, direct, gap] = await Promise.all([startRegistry(), startRegistry(), startRegistry()]);
      for (const [path, [tag, how]] of Object.entries(UPSTREAM)) {
        images[path] = writeOciImage(`${path}:${tag}`);
        await pushImage(images[path]!, source, path, tag);
        if (how === 'signed') await signImage(source, path, images[path]!, key);
        if (how === 'bad signature') await signImage(source, path, images[path]!, other);
        if (how === 'wrong digest')
          await signImage(source, path, images[path]!, key, {
            claimDigest: () => images['elasticsearch/elasticsearch']!.digest,
          });
        if (how === 'wrong identity')
          await signImage(source, path, images[path]!, key, { identity: 'docker.elastic.co/beats/not-elastic-agent' });
        if (path === 'eck/eck-operator') await signImage(source, path, images[path]!, key, { topOnly: true });
      }
      conf = registriesConf(source);
    }, 120_000);

    afterAll(async () => {
      await Promise.all([source?.stop(), direct?.stop(), gap?.stop()]);
      removeTempDirs();
    });

    const statuses = (stdout: string): Record<string, string> =>
      Object.fromEntries(
        stdout
          .trim()
          .split('\n')
          .slice(1)
          .map((row) => {
            const cells = row.split(/\s{2,}/);
            return [cells[0]!.replace(/^[^/]+\//, '').replace(/:.*$/, ''), cells[3]!];
          }),
      );
    const EXPECTED = Object.fromEntries(Object.entries(UPSTREAM).map(([path, [, how]]) => [path, how]));

    it('mirror (direct) carries every signature manifest next to its image, digests unchanged', async () => {
      const r = await runCli(
        ['mirror', '--registry', direct.host, '--registries-conf', conf, '--dest-tls-verify=false', '-'],
        { input: pod(...ALL) },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/6 images to .*: 6 copied, 0 already there, 0 failed/);
      // 4 signed images x 3 manifests (index + 2 platforms) + the operator's index; kibana has none
      expect(r.stderr).toContain('eck-airgap: signatures: 13 signature manifests carried; 1 image without any');
      const es = images['elasticsearch/elasticsearch']!;
      for (const d of [es.digest, ...Object.values(es.children)]) {
        const there = await remoteDigest(`${direct.host}/elasticsearch/elasticsearch:${sigTag(d)}`);
        expect(there).toBeDefined();
        expect(there).toBe(await remoteDigest(`${source.host}/elasticsearch/elasticsearch:${sigTag(d)}`));
      }
      expect(
        await remoteDigest(`${direct.host}/kibana/kibana:${sigTag(images['kibana/kibana']!.digest)}`),
      ).toBeUndefined();
      // distribution 2.8 serves no OCI 1.1 referrers API (what mirror would otherwise read): 404
      const referrers = await fetch(`http://${direct.host}/v2/elasticsearch/elasticsearch/referrers/${es.digest}`);
      expect(referrers.status).toBe(404);
    }, 120_000);

    it('a rerun of mirror finds every signature already there (same digests) and still lists them', async () => {
      const r = await runCli(
        ['mirror', '--registry', direct.host, '--registries-conf', conf, '--dest-tls-verify=false', '-'],
        { input: pod(...ALL) },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/0 copied, 6 already there, 0 failed/);
      expect(r.stderr).toContain('eck-airgap: signatures: 13 signature manifests carried; 1 image without any');
    }, 120_000);

    it('verify --key names each image signed, unsigned, bad signature, wrong digest, wrong identity; exit 1', async () => {
      const r = await runCli(['verify', '--registry', direct.host, '--plain-http', '--key', key.publicFile, '-'], {
        input: pod(...ALL),
      });
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stdout.split('\n')[0]).toMatch(/^IMAGE\s+STATUS\s+DIGEST\s+SIGNATURE$/);
      expect(statuses(r.stdout)).toEqual(EXPECTED);
      expect(r.stderr).toContain(
        `${direct.host}/kibana/kibana:8.16.1: unsigned: manifest ${images['kibana/kibana']!.digest}: no signature`,
      );
      expect(r.stderr).toMatch(
        /eck-operator:3\.5\.0: unsigned: linux\/amd64 manifest sha256:[a-f0-9]{64}: no signature.*linux\/arm64 manifest/,
      );
      expect(r.stderr).toMatch(
        /metricbeat:8\.16\.1: wrong digest: manifest sha256:\S+: signature 1 of 1 \(key \S+\) names sha256:\S+, not sha256:/,
      );
      expect(r.stderr).toMatch(
        /elastic-agent:8\.16\.1: wrong identity: .*names docker\.elastic\.co\/beats\/not-elastic-agent, not docker\.elastic\.co\/beats\/elastic-agent/,
      );
      expect(r.stderr).toMatch(/filebeat:8\.16\.1: bad signature: .*verifies with none of the keys/);
      expect(r.stderr).toContain('5 of 6 images not signed by');
    }, 60_000);

    it('verify --key passes (exit 0) on the signed image alone, and says signed in JSON for the index and each platform', async () => {
      const r = await runCli(
        ['verify', '--registry', direct.host, '--plain-http', '--key', key.publicFile, '-o', 'json', '-'],
        { input: pod(ALL[0]!) },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      const [entry] = JSON.parse(r.stdout) as {
        signature: { status: string; upstream: string; digests: { status: string; what: string }[] };
      }[];
      expect(entry!.signature.status).toBe('signed');
      expect(entry!.signature.upstream).toBe('docker.elastic.co/elasticsearch/elasticsearch:8.16.1');
      expect(entry!.signature.digests.map((d) => [d.what, d.status])).toEqual([
        ['manifest', 'signed'],
        ['linux/amd64 manifest', 'signed'],
        ['linux/arm64 manifest', 'signed'],
      ]);
    }, 60_000);

    it('with the other key as well, filebeat is signed; the order of keys does not matter', async () => {
      const r = await runCli(
        ['verify', '--registry', direct.host, '--plain-http', '--key', other.publicFile, '--key', key.publicFile, '-'],
        { input: pod(ALL[0]!, ALL[2]!) },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(Object.values(statuses(r.stdout))).toEqual(['signed', 'signed']);
    }, 60_000);

    it('--allow-unsigned exempts an unsigned image, never a bad signature', async () => {
      const r = await runCli(
        [
          'verify',
          '--registry',
          direct.host,
          '--plain-http',
          '--key',
          key.publicFile,
          '--allow-unsigned',
          'docker.elastic.co/kibana/kibana',
          '--allow-unsigned',
          'docker.elastic.co/beats/*',
          '-',
        ],
        { input: pod(ALL[0]!, ALL[1]!, ALL[2]!) },
      );
      expect(r.exitCode, r.stderr).toBe(1);
      expect(statuses(r.stdout)).toEqual({
        'elasticsearch/elasticsearch': 'signed',
        'kibana/kibana': 'unsigned (exempt)',
        'beats/filebeat': 'bad signature',
      });
      expect(r.stderr).toContain(
        'kibana/kibana:8.16.1: unsigned, exempt (--allow-unsigned matches docker.elastic.co/kibana/kibana:8.16.1)',
      );
      const ok = await runCli(
        [
          'verify',
          '--registry',
          direct.host,
          '--plain-http',
          '--key',
          key.publicFile,
          '--allow-unsigned',
          'docker.elastic.co/kibana/kibana:8.16.1',
          '-',
        ],
        { input: pod(ALL[0]!, ALL[1]!) },
      );
      expect(ok.exitCode, ok.stderr).toBe(0);
      const prefix = await runCli(
        [
          'verify',
          '--registry',
          direct.host,
          '--plain-http',
          '--key',
          key.publicFile,
          '--allow-unsigned',
          'docker.elastic.co/kibana/kibana:8.16.*',
          '-',
        ],
        { input: pod(ALL[1]!) },
      );
      expect(prefix.exitCode, prefix.stderr).toBe(0);
      const otherTag = await runCli(
        [
          'verify',
          '--registry',
          direct.host,
          '--plain-http',
          '--key',
          key.publicFile,
          '--allow-unsigned',
          'docker.elastic.co/kibana/kibana:8.15.*',
          '-',
        ],
        { input: pod(ALL[1]!) },
      );
      expect(otherTag.exitCode).toBe(1);
    }, 60_000);

    it('RSA and Ed25519 keys verify as cosign does; a key of one kind does not verify the other', async () => {
      const rsa = makeKey('rsa');
      const ed = makeKey('ed25519');
      for (const [path, k] of [
        ['apm/apm-server', rsa],
        ['enterprise-search/enterprise-search', ed],
      ] as const) {
        const img = writeOciImage(`${path}:8.16.1`);
        await pushImage(img, direct, path, '8.16.1');
        await signImage(direct, path, img, k);
      }
      const input = pod(
        'docker.elastic.co/apm/apm-server:8.16.1',
        'docker.elastic.co/enterprise-search/enterprise-search:8.16.1',
      );
      const both = await runCli(
        ['verify', '--registry', direct.host, '--plain-http', '--key', rsa.publicFile, '--key', ed.publicFile, '-'],
        { input },
      );
      expect(both.exitCode, both.stderr).toBe(0);
      expect(Object.values(statuses(both.stdout))).toEqual(['signed', 'signed']);
      const one = await runCli(['verify', '--registry', direct.host, '--plain-http', '--key', rsa.publicFile, '-'], {
        input,
      });
      expect(one.exitCode).toBe(1);
      expect(statuses(one.stdout)).toEqual({
        'apm/apm-server': 'signed',
        'enterprise-search/enterprise-search': 'bad signature',
      });
    }, 120_000);

    it("hostile signatures (not base64, an oversized payload, too many layers, a payload that is not cosign's) are bad signatures, never a crash", async () => {
      const path = 'beats/auditbeat';
      const img = writeOciImage(`${path}:8.16.1`, [{ os: 'linux', architecture: 'amd64' }], { single: true });
      await pushImage(img, direct, path, '8.16.1');
      const notCosign = Buffer.from(
        '{"critical":{"identity":{"docker-reference":"docker.elastic.co/beats/auditbeat"},"image":{"docker-manifest-digest":"' +
          img.digest +
          '"},"type":"x"},"optional":null}',
      );
      const huge = Buffer.alloc(100_000, 0x20);
      await pushSignature(direct, path, img.digest, [
        { payload: cosignPayload('docker.elastic.co/beats/auditbeat', img.digest), signature: '%%% not base64 %%%' },
        { payload: huge, signature: signPayload(key, huge) },
        { payload: notCosign, signature: signPayload(key, notCosign) },
      ]);
      const r = await runCli(['verify', '--registry', direct.host, '--plain-http', '--key', key.publicFile, '-'], {
        input: pod(`docker.elastic.co/${path}:8.16.1`),
      });
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stderr).toContain('signature 1 of 3: no valid dev.cosignproject.cosign/signature annotation');
      expect(r.stderr).toContain('signature 2 of 3: payload not a small sha256 blob');
      expect(r.stderr).toContain('signature 3 of 3: verifies, but its payload is not a cosign simple-signing payload');
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);

      const many = Array.from({ length: 65 }, () => ({
        payload: cosignPayload('docker.elastic.co/beats/auditbeat', img.digest),
        signature: 'AAAA',
      }));
      await pushSignature(direct, path, img.digest, many);
      const r2 = await runCli(['verify', '--registry', direct.host, '--plain-http', '--key', key.publicFile, '-'], {
        input: pod(`docker.elastic.co/${path}:8.16.1`),
      });
      expect(r2.exitCode).toBe(1);
      expect(r2.stderr).toContain('holds 65 signatures, more than 64');
    }, 60_000);

    it('mirror --to-dir carries the signatures into the directory and lists them in its record', async () => {
      const r = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], { input: pod(...ALL) });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toContain('13 signature manifests carried');
      const record = JSON.parse(
        (await import('node:fs')).readFileSync(join(dir, 'eck-airgap-images.json'), 'utf8'),
      ) as {
        images: {
          source: string;
          digest: string;
          signatures: { signs: string; tag: string; digest: string; ref: string }[];
        }[];
      };
      const es = record.images.find((e) => e.source === ALL[0])!;
      expect(es.signatures.map((s) => s.signs).sort()).toEqual(
        [
          images['elasticsearch/elasticsearch']!.digest,
          ...Object.values(images['elasticsearch/elasticsearch']!.children),
        ].sort(),
      );
      for (const s of es.signatures) {
        expect(s.tag).toBe(sigTag(s.signs));
        expect(s.ref).toBe(`docker.elastic.co/elasticsearch/elasticsearch:${s.tag}`);
        expect(s.digest).toBe(await remoteDigest(`${source.host}/elasticsearch/elasticsearch:${s.tag}`));
      }
      expect(record.images.find((e) => e.source === ALL[1])!.signatures).toEqual([]);
      // what verify --dir will call: all well here; a record pointing a signature at another image's manifest is named
      const { layoutSignatureProblems } = await import('../../src/signatures/carry.js');
      for (const e of record.images) expect(layoutSignatureProblems(dir, e), e.source).toEqual([]);
      const moved = {
        ...es,
        signatures: [
          {
            ...es.signatures[0]!,
            signs: images['kibana/kibana']!.digest,
            tag: sigTag(images['kibana/kibana']!.digest),
          },
        ],
      };
      expect(layoutSignatureProblems(dir, moved)).toEqual([
        `${ALL[0]}: signature ${sigTag(images['kibana/kibana']!.digest)} is not for a manifest of this image`,
      ]);
      // and judged with the key inside the directory, before anything is loaded (verify --dir --key, once wired)
      const { checkLayoutImage } = await import('../../src/signatures/layout-source.js');
      const { loadPublicKey } = await import('../../src/signatures/cosign.js');
      const keys = [loadPublicKey(key.publicFile)];
      const judged = Object.fromEntries(
        await Promise.all(
          record.images.map(
            async (e) =>
              [
                e.source.replace('docker.elastic.co/', '').replace(/:.*$/, ''),
                (await checkLayoutImage(dir, e, keys, false)).status,
              ] as const,
          ),
        ),
      );
      expect(judged).toEqual(EXPECTED);
      const esJudged = await checkLayoutImage(dir, es, keys, false);
      expect(esJudged.digests.map((d) => d.what)).toEqual(['manifest', 'linux/amd64 manifest', 'linux/arm64 manifest']);
    }, 120_000);

    it('a signed Docker-format image that skopeo converts on the way into the directory fails, naming both digests (its signatures could never verify)', async () => {
      const { execa } = await import('execa');
      const path = 'beats/packetbeat';
      const img = writeOciImage('docker format signed');
      await execa('skopeo', [
        'copy',
        '--all',
        '--format',
        'v2s2',
        '-q',
        '--dest-tls-verify=false',
        `oci:${img.layout}:latest`,
        `docker://${source.host}/${path}:8.16.1`,
      ]);
      const raw = await execa(
        'skopeo',
        ['inspect', '--raw', '--tls-verify=false', `docker://${source.host}/${path}:8.16.1`],
        { encoding: 'buffer' },
      );
      const list = JSON.parse(Buffer.from(raw.stdout).toString()) as {
        manifests: { digest: string; platform: { os: string; architecture: string } }[];
      };
      const digest = (await remoteDigest(`${source.host}/${path}:8.16.1`))!;
      await signImage(
        source,
        path,
        {
          layout: img.layout,
          digest,
          children: Object.fromEntries(
            list.manifests.map((m) => [`${m.platform.os}/${m.platform.architecture}`, m.digest]),
          ),
        },
        key,
      );
      const r = await runCli(
        ['mirror', '--registries-conf', conf, '--to-dir', join(tempDir('docker-signed'), 'carry'), '-'],
        { input: pod(`docker.elastic.co/${path}:8.16.1`) },
      );
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`it is signed upstream as ${digest}, but skopeo converted it to OCI (sha256:`);
      // directly, digests are preserved and the signatures verify on the mirror
      const d = await runCli(
        ['mirror', '--registry', direct.host, '--registries-conf', conf, '--dest-tls-verify=false', '-'],
        { input: pod(`docker.elastic.co/${path}:8.16.1`) },
      );
      expect(d.exitCode, d.stderr).toBe(0);
      const v = await runCli(['verify', '--registry', direct.host, '--plain-http', '--key', key.publicFile, '-'], {
        input: pod(`docker.elastic.co/${path}:8.16.1`),
      });
      expect(v.exitCode, v.stderr).toBe(0);
    }, 120_000);

    it('with the source stopped, mirror --from-dir carries them to the mirror and verify --key judges them as upstream', async () => {
      await source.stop();
      const r = await runCli(['mirror', '--registry', gap.host, '--dest-tls-verify=false', '--from-dir', dir]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toContain('13 signature manifests carried');
      const v = await runCli(['verify', '--registry', gap.host, '--plain-http', '--key', key.publicFile, '-'], {
        input: pod(...ALL),
      });
      expect(v.exitCode, v.stderr).toBe(1);
      expect(statuses(v.stdout)).toEqual(EXPECTED);
    }, 120_000);

    it('a record whose signature entry was changed is refused, naming the file', async () => {
      const file = join(dir, 'eck-airgap-images.json');
      const fs = await import('node:fs');
      const text = fs.readFileSync(file, 'utf8');
      const record = JSON.parse(text) as { images: { signatures: { digest: string }[] }[] };
      record.images.find((e) => e.signatures.length > 0)!.signatures[0]!.digest = `sha256:${'0'.repeat(64)}`;
      fs.writeFileSync(file, JSON.stringify(record));
      const r = await runCli(['mirror', '--registry', gap.host, '--dest-tls-verify=false', '--from-dir', dir]);
      fs.writeFileSync(file, text);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/failed: .*damaged in the carry: its signature .*sha256:0{64}/);
    }, 120_000);
  });
}
