// Issue 21, the mirror / carried-directory side: mirror repairs what the destination lost (a child manifest, a
// layer; on a registry and in a --to-dir carry), a carry is complete or says what it lacks (also after an
// interrupt), --from-dir and `verify --dir` trust nothing of the carry (digests in index.json, blob bytes, a
// record that is a FIFO or a link out of it), digests survive the carry (an uncompressed layer), `mirror
// --timeout` bounds a registry that never answers, and the stack copied 10 times with the default jobs never fails.
// Real docker-registry processes (distribution 2.8), the real skopeo, the real CLI; the silent server is a TCP
// listener on 127.0.0.1 that accepts and never answers.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skopeoReason, transient } from '../../src/mirror/skopeo.js';
import {
  pushImage,
  registriesConf,
  ociLayout,
  removeTempDirs,
  remoteDigest,
  startRegistry,
  tempDir,
  tools,
  toolsPresent,
  warnNotRun,
  writeOciImage,
  type Registry,
  type WrittenImage,
} from '../support/registry.js';
import { pod } from '../support/manifests.js';
import { runCli, startCli } from '../support/cli.js';

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** The files of a repository in a docker-registry's storage. */
const repoDir = (registry: Registry, repository: string): string =>
  join(registry.storage, 'docker', 'registry', 'v2', 'repositories', repository);

/** What garbage collection leaves: a child manifest and a layer gone from a repository. */
function loseChildManifest(registry: Registry, repository: string, digest: string): void {
  rmSync(join(repoDir(registry, repository), '_manifests', 'revisions', 'sha256', digest.slice(7)), {
    recursive: true,
  });
}
function loseLayer(registry: Registry, repository: string, digest: string): void {
  rmSync(join(repoDir(registry, repository), '_layers', 'sha256', digest.slice(7)), { recursive: true });
}

/** The layer digests of an OCI layout written by writeOciImage (platform -> layer digest). */
function layersOf(image: WrittenImage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [platform, digest] of Object.entries(image.children)) {
    const m = JSON.parse(readFileSync(join(image.layout, 'blobs', 'sha256', digest.slice(7)), 'utf8')) as {
      layers: { digest: string }[];
    };
    out[platform] = m.layers[0]!.digest;
  }
  return out;
}

/** An OCI layout with one single-platform image whose layer is an uncompressed tar (skopeo would gzip it without --preserve-digests). */
function writeUncompressedImage(name: string): WrittenImage & { layer: string } {
  const { layout, put, finish } = ociLayout('oci-uncompressed');
  const tar = Buffer.alloc(2048);
  tar.write(`${name}\n`, 512);
  const layer = put(tar);
  const config = put(
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: {},
        rootfs: { type: 'layers', diff_ids: [layer.digest] },
      }),
    ),
  );
  const manifest = put(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
      }),
    ),
  );
  finish({ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest }, 'latest');
  return { layout, digest: manifest.digest, children: {}, layer: layer.digest };
}

interface Silent {
  host: string;
  close(): Promise<void>;
}

/** Accepts connections and never answers (nor closes them) until closed. */
async function startSilentServer(): Promise<Silent> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The child processes of `pid`, from /proc (Linux; no ps needed). */
function childrenOf(pid: number): { pid: number; comm: string }[] {
  const out: { pid: number; comm: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) \S+ (\d+)/s.exec(stat);
      if (m && Number(m[2]) === pid) out.push({ pid: Number(name), comm: m[1]! });
    } catch {
      // gone
    }
  }
  return out;
}

type CarryRecord = {
  complete: boolean;
  images: { source: string; digest: string }[];
  missing: { source: string; reason: string }[];
};
const record = (dir: string): CarryRecord =>
  JSON.parse(readFileSync(join(dir, 'eck-airgap-images.json'), 'utf8')) as CarryRecord;

describe('mirror repairs and carries: the tools are here, or the suite says it did not run', () => {
  it('docker-registry, skopeo, htpasswd and openssl are present, or this suite is reported as NOT RUN', () => {
    warnNotRun('test/commands/mirror-carry.test.ts');
    expect(typeof toolsPresent).toBe('boolean');
    if (toolsPresent) expect(tools.skopeo).toBeDefined();
  });
});

describe("skopeo's message as one readable paragraph", () => {
  it('Go escapes of a logrus line become real line breaks; control characters are shown escaped', () => {
    // the shape skopeo 1.9.3 writes on stderr when a push fails with several registry errors
    const line =
      'time="2026-12-07T23:00:00Z" level=fatal msg="writing manifest: uploading manifest 8.16.1 to 127.0.0.1:5000/kibana/kibana: errors:\\ndenied: requested access to the resource is denied\\nunauthorized: \\x1b[31m\\rforged"';
    const reason = skopeoReason(`${line}\n`, 1);
    expect(reason).toBe(
      'writing manifest: uploading manifest 8.16.1 to 127.0.0.1:5000/kibana/kibana: errors:\ndenied: requested access to the resource is denied\nunauthorized: \\e[31m\\rforged',
    );
    expect(reason).not.toContain('\\n');
    expect(reason).not.toContain('\x1b');
  });
});

describe('which failures are tried again', () => {
  it("distribution 2.8's push races, 5xx, 429 and resets are transient; a missing image, a refused password and a bad certificate are not", () => {
    for (const reason of [
      'writing blob: uploading layer chunked: blob upload unknown to registry',
      'writing manifest: uploading manifest 8.16.1 to 127.0.0.1:5000/kibana/kibana: manifest blob unknown: blob unknown to registry',
      'writing blob: uploading layer to http://127.0.0.1:5000/v2/kibana/kibana/blobs/uploads/x: digest invalid: provided digest did not match uploaded content',
      'trying to reuse blob sha256:ab at destination: received unexpected HTTP status: 500 Internal Server Error',
      'reading manifest 8.16.1 in 127.0.0.1:5000/kibana/kibana: toomanyrequests: too many requests (429)',
      'read tcp 127.0.0.1:40000->127.0.0.1:5000: read: connection reset by peer',
      'Get "http://127.0.0.1:5000/v2/": EOF',
    ]) {
      expect(transient(reason), reason).toBe(true);
    }
    for (const reason of [
      'initializing source docker://127.0.0.1:5000/beats/auditbeat:8.16.1: reading manifest 8.16.1 in 127.0.0.1:5000/beats/auditbeat: manifest unknown: manifest unknown',
      'initializing source docker://127.0.0.1:5000/kibana/kibana:8.16.1: reading manifest 8.16.1 in 127.0.0.1:5000/kibana/kibana: unauthorized: authentication required',
      'pinging container registry 127.0.0.1:5000: Get "https://127.0.0.1:5000/v2/": x509: certificate signed by unknown authority',
    ]) {
      expect(transient(reason), reason).toBe(false);
    }
  });
});

describe('mirror --timeout and verify --dir: usage errors (exit 2)', () => {
  const cases: [string[], RegExp][] = [
    [
      ['mirror', '--registry', 'my.registry', '--timeout', 'soon', '-'],
      /--timeout soon: expected a whole number from 1 to/,
    ],
    [['mirror', '--registry', 'my.registry', '--timeout', '0', '-'], /--timeout 0: expected a whole number/],
    // says what it expects and how to get it, not only "no such directory"
    [
      ['verify', '--dir', '/nonexistent/eck-airgap-carry'],
      /^eck-airgap: --dir \/nonexistent\/eck-airgap-carry: no such directory\. verify --dir checks a carry before it crosses: the directory `mirror --to-dir DIR` wrote on the connected side \(an OCI layout with its record eck-airgap-images\.json\); give that directory, or write one first with eck-airgap mirror --to-dir DIR\.\n$/,
    ],
    [
      ['mirror', '--registry', 'my.registry', '--from-dir', 'nope-carry'],
      /^eck-airgap: --from-dir nope-carry: no such directory \(\/[^)]*\/nope-carry\)\. mirror --from-dir copies a carry to the mirror: the directory `mirror --to-dir DIR` wrote on the connected side/,
    ],
    [['verify', '--dir', '/tmp', 'release.yaml'], /verify --dir reads no manifests/],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      if (args[0] === 'mirror' && !tools.skopeo) return expect(tools.skopeo).toBeUndefined();
      const r = await runCli(args, { input: pod('docker.elastic.co/kibana/kibana:8.16.1') });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    });
  }
});

describe('--to-dir onto what is not a carry: one paragraph, exit 1, never 3', () => {
  const input = pod('docker.elastic.co/kibana/kibana:8.16.1');
  const cases: [string, () => string, RegExp][] = [
    [
      'an existing file',
      () => {
        const f = join(tempDir('file'), 'carry');
        writeFileSync(f, 'x');
        return f;
      },
      /exists and is not a directory/,
    ],
    [
      'a dangling symlink',
      () => {
        const f = join(tempDir('dangling'), 'carry');
        symlinkSync('/nonexistent/eck-airgap-nowhere', f);
        return f;
      },
      /a symbolic link to nothing \(dangling\)/,
    ],
    [
      'a directory holding a foreign index.json',
      () => {
        const d = tempDir('foreign');
        writeFileSync(join(d, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
        writeFileSync(join(d, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
        return d;
      },
      /holds an OCI layout but has no eck-airgap-images\.json/,
    ],
    [
      'a directory holding a truncated index.json',
      () => {
        const d = tempDir('truncated');
        writeFileSync(join(d, 'index.json'), '{"schemaVersion":2,"manif');
        return d;
      },
      /holds an OCI layout but has no eck-airgap-images\.json/,
    ],
  ];
  for (const [name, make, message] of cases) {
    it(name, async () => {
      if (!tools.skopeo) return expect(tools.skopeo).toBeUndefined();
      const dir = make();
      const r = await runCli(['mirror', '--to-dir', dir, '-'], { input });
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error|bug/i);
    });
  }
});

describe('a carried record read as its author may have planted it (verify --dir and --from-dir)', () => {
  const SECRET = 'TOP-SECRET-CONTENT-7f3a';
  const carryWith = (plant: (file: string) => void): string => {
    const dir = tempDir('planted');
    writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(join(dir, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
    plant(join(dir, 'eck-airgap-images.json'));
    return dir;
  };
  const cases: [string, (file: string) => void, RegExp][] = [
    ['a FIFO', (f) => void spawnSync('mkfifo', [f]), /a FIFO, not a regular file/],
    [
      'a symlink to a file outside the carry',
      (f) => {
        const outside = join(tempDir('outside'), 'secret.json');
        writeFileSync(outside, `{"format": "${SECRET}"}`);
        symlinkSync(outside, f);
      },
      /a symbolic link \(a carry holds regular files only; it is not followed\)/,
    ],
    ['a symlink to a device', (f) => symlinkSync('/dev/zero', f), /a symbolic link/],
    [
      '5 MiB big',
      (f) => {
        writeFileSync(f, '');
        truncateSync(f, 5 * 1024 * 1024);
      },
      /bytes, more than the \d+ a file of this kind may have/,
    ],
  ];
  for (const [name, plant, message] of cases) {
    it(name, async () => {
      if (!tools.skopeo) return expect(tools.skopeo).toBeUndefined();
      const dir = carryWith(plant);
      for (const args of [
        ['verify', '--dir', dir],
        ['mirror', '--registry', '127.0.0.1:9', '--from-dir', dir],
      ]) {
        const started = Date.now();
        const r = await runCli(args);
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(r.exitCode, r.stderr).toBe(1);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toContain(SECRET);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    });
  }
});

describe('the layout files skopeo reads, planted as FIFOs: named, never waited on', () => {
  for (const name of ['index.json', 'oci-layout']) {
    it(`${name} a FIFO`, async () => {
      if (!tools.skopeo) return expect(tools.skopeo).toBeUndefined();
      const dir = tempDir('fifo-layout');
      writeFileSync(
        join(dir, 'eck-airgap-images.json'),
        JSON.stringify({
          format: 'eck-airgap-images/v1',
          complete: true,
          images: [
            {
              source: 'docker.elastic.co/kibana/kibana:8.16.1',
              ref: 'docker.elastic.co/kibana/kibana:8.16.1',
              digest: `sha256:${'a'.repeat(64)}`,
            },
          ],
          missing: [],
        }),
      );
      if (name !== 'oci-layout') writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      if (name !== 'index.json') writeFileSync(join(dir, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
      spawnSync('mkfifo', [join(dir, name)]);
      for (const args of [
        ['verify', '--dir', dir],
        ['mirror', '--registry', '127.0.0.1:9', '--from-dir', dir],
      ]) {
        const started = Date.now();
        const r = await runCli(args);
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(r.exitCode, r.stderr).toBe(1);
        expect(r.stderr).toContain(`${join(dir, name)}: a FIFO, not a regular file`);
      }
    });
  }
});

if (toolsPresent) {
  describe('mirror repairs, carries are complete or say not, --from-dir and verify --dir trust nothing', () => {
    let source: Registry;
    let conf: string;
    const kibana = writeOciImage('kibana 8.16.1 (carry)');
    const es = writeOciImage('elasticsearch 8.16.1 (carry)');

    beforeAll(async () => {
      source = await startRegistry();
      await pushImage(kibana, source, 'kibana/kibana', '8.16.1');
      await pushImage(es, source, 'elasticsearch/elasticsearch', '8.16.1');
      conf = registriesConf(source);
    });

    afterAll(async () => {
      await source?.stop();
      removeTempDirs();
    });

    const both = pod('docker.elastic.co/kibana/kibana:8.16.1', 'docker.elastic.co/elasticsearch/elasticsearch:8.16.1');

    it('a mirror that lost a child manifest and a layer is repaired by a rerun; verify then passes and every blob can be pulled', async () => {
      const mirror = await startRegistry();
      try {
        const args = ['mirror', '--registry', mirror.host, '--registries-conf', conf, '--dest-tls-verify=false', '-'];
        const first = await runCli(args, { input: both });
        expect(first.exitCode, first.stderr).toBe(0);
        expect(first.stderr).toMatch(/2 copied, 0 already there, 0 failed, 0 repaired/);

        loseChildManifest(mirror, 'kibana/kibana', kibana.children['linux/arm64']!);
        loseLayer(mirror, 'elasticsearch/elasticsearch', layersOf(es)['linux/amd64']!);
        // and a blob's data gone from the registry's blob store, its repository link left behind
        const data = layersOf(kibana)['linux/amd64']!.slice(7);
        rmSync(join(mirror.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', data.slice(0, 2), data), {
          recursive: true,
        });
        const broken = await runCli(['verify', '--registry', mirror.host, '--plain-http', '-'], { input: both });
        expect(broken.exitCode).toBe(1);
        expect(broken.stdout).toMatch(/kibana\/kibana:8\.16\.1\s+platform missing/);

        const again = await runCli(args, { input: both });
        expect(again.exitCode, again.stderr).toBe(0);
        expect(again.stderr).toMatch(/kibana\/kibana:8\.16\.1 -> .*: repaired/);
        expect(again.stderr).toMatch(/elasticsearch\/elasticsearch:8\.16\.1 -> .*: repaired/);
        expect(again.stderr).toMatch(/0 copied, 0 already there, 0 failed, 2 repaired/);

        const v = await runCli(['verify', '--registry', mirror.host, '--plain-http', '-'], { input: both });
        expect(v.exitCode, v.stderr).toBe(0);
        // the lost layer is back: a full pull of every platform succeeds
        const pulled = join(tempDir('pulled'), 'es');
        await execa(tools.skopeo!, [
          'copy',
          '--all',
          '-q',
          '--src-tls-verify=false',
          `docker://${mirror.host}/elasticsearch/elasticsearch:8.16.1`,
          `oci:${pulled}:x`,
        ]);
        expect(existsSync(join(pulled, 'blobs', 'sha256', layersOf(es)['linux/amd64']!.slice(7)))).toBe(true);
        const pulledKibana = join(tempDir('pulled'), 'kibana');
        await execa(tools.skopeo!, [
          'copy',
          '--all',
          '-q',
          '--src-tls-verify=false',
          `docker://${mirror.host}/kibana/kibana:8.16.1`,
          `oci:${pulledKibana}:x`,
        ]);
        expect(existsSync(join(pulledKibana, 'blobs', 'sha256', data))).toBe(true);

        const third = await runCli(args, { input: both });
        expect(third.stderr).toMatch(/0 copied, 2 already there, 0 failed, 0 repaired/);
      } finally {
        await mirror.stop();
      }
    });

    it('the same repair after deletes through the registry API (DELETE of a child manifest and of a layer)', async () => {
      const mirror = await startRegistry();
      try {
        const args = ['mirror', '--registry', mirror.host, '--registries-conf', conf, '--dest-tls-verify=false', '-'];
        const input = pod('docker.elastic.co/kibana/kibana:8.16.1');
        expect((await runCli(args, { input })).exitCode).toBe(0);
        const del = async (path: string): Promise<number> =>
          (await fetch(`http://${mirror.host}/v2/kibana/kibana/${path}`, { method: 'DELETE' })).status;
        expect(await del(`manifests/${kibana.children['linux/amd64']!}`)).toBe(202);
        expect(await del(`blobs/${layersOf(kibana)['linux/arm64']!}`)).toBe(202);
        const again = await runCli(args, { input });
        expect(again.exitCode, again.stderr).toBe(0);
        expect(again.stderr).toMatch(/kibana\/kibana:8\.16\.1 -> .*: repaired/);
        expect((await runCli(['verify', '--registry', mirror.host, '--plain-http', '-'], { input })).exitCode).toBe(0);
        const pulled = join(tempDir('pulled-api'), 'kibana');
        await execa(tools.skopeo!, [
          'copy',
          '--all',
          '-q',
          '--src-tls-verify=false',
          `docker://${mirror.host}/kibana/kibana:8.16.1`,
          `oci:${pulled}:x`,
        ]);
      } finally {
        await mirror.stop();
      }
    });

    it('a carry that lost a blob and holds a damaged one: verify --dir names both, a rerun of --to-dir repairs it, verify --dir passes', async () => {
      const dir = join(tempDir('carry-repair'), 'carry');
      const args = ['mirror', '--registries-conf', conf, '--to-dir', dir, '-'];
      const first = await runCli(args, { input: both });
      expect(first.exitCode, first.stderr).toBe(0);
      expect(first.stderr).toMatch(/the carry is complete: 2 images/);
      expect(record(dir).complete).toBe(true);
      const ok = await runCli(['verify', '--dir', dir]);
      expect(ok.exitCode, ok.stderr).toBe(0);
      expect(ok.stderr).toMatch(/complete and intact, 2 images/);

      const lost = layersOf(kibana)['linux/arm64']!;
      rmSync(join(dir, 'blobs', 'sha256', lost.slice(7)));
      const damaged = es.children['linux/amd64']!;
      const path = join(dir, 'blobs', 'sha256', damaged.slice(7));
      const bytes = readFileSync(path);
      bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 1;
      writeFileSync(path, bytes);
      const bad = await runCli(['verify', '--dir', dir, '-o', 'json']);
      expect(bad.exitCode).toBe(1);
      expect(bad.stderr).toContain(`blob ${lost} is not in the carry`);
      expect(bad.stderr).toMatch(new RegExp(`blob ${damaged} holds other bytes`));
      expect(JSON.parse(bad.stdout)).toMatchObject({ complete: false });

      const again = await runCli(args, { input: both });
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/0 copied, 0 already there, 0 failed, 2 repaired/);
      const fixed = await runCli(['verify', '--dir', dir]);
      expect(fixed.exitCode, fixed.stderr).toBe(0);
    });

    it('an incomplete carry says so and crosses as incomplete: --from-dir pushes what is whole and exits 1 naming the rest; a rerun resumes', async () => {
      const dir = join(tempDir('carry-incomplete'), 'carry');
      const input = pod('docker.elastic.co/kibana/kibana:8.16.1', 'docker.elastic.co/beats/heartbeat:8.16.1');
      const args = ['mirror', '--registries-conf', conf, '--to-dir', dir, '-'];
      const first = await runCli(args, { input });
      expect(first.exitCode).toBe(1);
      expect(first.stderr).toMatch(
        /the carry is NOT complete: .* lists 1 image missing \(docker\.elastic\.co\/beats\/heartbeat:8\.16\.1\)/,
      );
      const written = record(dir);
      expect(written.complete).toBe(false);
      expect(written.images.map((i) => i.source)).toEqual(['docker.elastic.co/kibana/kibana:8.16.1']);
      expect(written.missing.map((i) => i.source)).toEqual(['docker.elastic.co/beats/heartbeat:8.16.1']);

      const v = await runCli(['verify', '--dir', dir]);
      expect(v.exitCode).toBe(1);
      expect(v.stdout).toMatch(/beats\/heartbeat:8\.16\.1\s+missing/);
      expect(v.stdout).toMatch(/kibana\/kibana:8\.16\.1\s+present/);

      const into = await startRegistry();
      try {
        const r = await runCli(['mirror', '--registry', into.host, '--from-dir', dir, '--dest-tls-verify=false']);
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toMatch(
          /failed: docker\.elastic\.co\/beats\/heartbeat:8\.16\.1: not copied: missing in the carry/,
        );
        expect(await remoteDigest(`${into.host}/kibana/kibana:8.16.1`)).toBe(kibana.digest);
      } finally {
        await into.stop();
      }

      const heartbeat = writeOciImage('heartbeat 8.16.1 (carry)');
      await pushImage(heartbeat, source, 'beats/heartbeat', '8.16.1');
      const again = await runCli(args, { input });
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/1 copied, 1 already there, 0 failed/);
      expect(record(dir)).toMatchObject({ complete: true, missing: [] });
      expect((await runCli(['verify', '--dir', dir])).exitCode).toBe(0);
    });

    it('--from-dir pushes nothing that does not match the record: an index.json entry pointing at other content, and a blob with other bytes', async () => {
      const dir = join(tempDir('carry-lies'), 'carry');
      expect(
        (await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], { input: both })).exitCode,
      ).toBe(0);
      // index.json: kibana's ref now names elasticsearch's index (content that exists, under the wrong name)
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
        manifests: { digest: string; size: number; annotations: Record<string, string> }[];
      };
      const k = index.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name']!.includes('kibana'))!;
      const e = index.manifests.find((m) =>
        m.annotations['org.opencontainers.image.ref.name']!.includes('elasticsearch'),
      )!;
      k.digest = e.digest;
      k.size = e.size;
      writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
      // one of elasticsearch's layers: the same size, other bytes
      const layer = join(dir, 'blobs', 'sha256', layersOf(es)['linux/arm64']!.slice(7));
      const bytes = readFileSync(layer);
      bytes[20] = bytes[20]! ^ 0xff;
      writeFileSync(layer, bytes);

      const into = await startRegistry();
      try {
        const r = await runCli(['mirror', '--registry', into.host, '--from-dir', dir, '--dest-tls-verify=false']);
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toMatch(
          /failed: docker\.elastic\.co\/kibana\/kibana:8\.16\.1: not copied: damaged in the carry: index\.json gives ref .* the digest sha256:\w+, the record sha256:/,
        );
        expect(r.stderr).toMatch(
          /failed: docker\.elastic\.co\/elasticsearch\/elasticsearch:8\.16\.1: not copied: damaged in the carry: blob sha256:\w+ holds other bytes/,
        );
        expect(r.stderr).toMatch(/2 images to .*: 0 copied, 0 already there, 2 failed/);
        expect(await remoteDigest(`${into.host}/kibana/kibana:8.16.1`)).toBeUndefined();
        expect(await remoteDigest(`${into.host}/elasticsearch/elasticsearch:8.16.1`)).toBeUndefined();
      } finally {
        await into.stop();
      }
    });

    it('an index.json listing one ref twice (the good entry and another) is refused: which one skopeo pushes is not for the carry to decide', async () => {
      const dir = join(tempDir('carry-duplicate'), 'carry');
      expect(
        (await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], { input: both })).exitCode,
      ).toBe(0);
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
        manifests: { digest: string; annotations: Record<string, string> }[];
      };
      const k = index.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name']!.includes('kibana'))!;
      const e = index.manifests.find((m) =>
        m.annotations['org.opencontainers.image.ref.name']!.includes('elasticsearch'),
      )!;
      index.manifests.unshift({ ...e, annotations: { ...k.annotations } });
      writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
      const v = await runCli(['verify', '--dir', dir]);
      expect(v.exitCode).toBe(1);
      expect(v.stderr).toMatch(/kibana\/kibana:8\.16\.1: damaged: index\.json lists ref .* more than once/);
      expect(v.stdout).toMatch(/elasticsearch\/elasticsearch:8\.16\.1\s+present/);

      // the record naming one image twice (another ref, intact content of its own): refused too
      const rec = record(dir);
      const es2 = rec.images.find((i) => i.source.includes('elasticsearch'))!;
      writeFileSync(
        join(dir, 'eck-airgap-images.json'),
        JSON.stringify({ ...rec, images: [...rec.images, { ...es2, ref: 'docker.elastic.co/kibana/kibana:8.16.1' }] }),
      );
      const twice = await runCli(['verify', '--dir', dir]);
      expect(twice.exitCode).toBe(1);
      expect(twice.stderr).toMatch(
        /elasticsearch\/elasticsearch:8\.16\.1: damaged: the record lists .* more than once/,
      );
    });

    it('a carry whose manifest gives a layer external URLs is refused, and the URL is never contacted', async () => {
      const dir = join(tempDir('carry-urls'), 'carry');
      expect(
        (
          await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], {
            input: pod('docker.elastic.co/kibana/kibana:8.16.1'),
          })
        ).exitCode,
      ).toBe(0);
      let contacted = 0;
      const lure = createHttpServer((_req, res) => {
        contacted++;
        res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => lure.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(lure.address() as { port: number }).port}/layer`;
        const blob = (d: string): string => join(dir, 'blobs', 'sha256', d.slice(7));
        const put = (data: Buffer): { digest: string; size: number } => {
          writeFileSync(blob(sha256(data)), data);
          return { digest: sha256(data), size: data.length };
        };
        // rewrite the chain: child manifest (layer with urls, its blob removed) -> index -> index.json -> record
        const child = JSON.parse(readFileSync(blob(kibana.children['linux/amd64']!), 'utf8')) as {
          layers: { digest: string; urls?: string[] }[];
        };
        rmSync(blob(child.layers[0]!.digest));
        child.layers[0]!.urls = [url];
        const newChild = put(Buffer.from(JSON.stringify(child)));
        const index = JSON.parse(readFileSync(blob(kibana.digest), 'utf8')) as {
          manifests: { digest: string; size: number }[];
        };
        const entry = index.manifests.find((m) => m.digest === kibana.children['linux/amd64'])!;
        Object.assign(entry, newChild);
        const newIndex = put(Buffer.from(JSON.stringify(index)));
        const layoutIndex = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
          manifests: { digest: string; size: number }[];
        };
        Object.assign(layoutIndex.manifests[0]!, newIndex);
        writeFileSync(join(dir, 'index.json'), JSON.stringify(layoutIndex));
        const rec = record(dir);
        rec.images[0]!.digest = newIndex.digest;
        writeFileSync(join(dir, 'eck-airgap-images.json'), JSON.stringify(rec));

        const v = await runCli(['verify', '--dir', dir]);
        expect(v.exitCode).toBe(1);
        expect(v.stderr).toMatch(/external URLs \(skopeo would fetch it from a host the carry names\); refused/);
        const into = await startRegistry();
        try {
          const r = await runCli(['mirror', '--registry', into.host, '--from-dir', dir, '--dest-tls-verify=false']);
          expect(r.exitCode).toBe(1);
          expect(r.stderr).toMatch(/kibana\/kibana:8\.16\.1: not copied: damaged in the carry: .*external URLs/);
          expect(await remoteDigest(`${into.host}/kibana/kibana:8.16.1`)).toBeUndefined();
        } finally {
          await into.stop();
        }
        expect(contacted).toBe(0);
      } finally {
        await new Promise<void>((resolve) => lure.close(() => resolve()));
      }
    });

    it('a carry of ours whose index.json was cut short (skopeo killed while writing it) is rebuilt from the record; the rerun resumes', async () => {
      const dir = join(tempDir('carry-cut'), 'carry');
      const args = ['mirror', '--registries-conf', conf, '--to-dir', dir, '-'];
      expect((await runCli(args, { input: both })).exitCode).toBe(0);
      const text = readFileSync(join(dir, 'index.json'), 'utf8');
      writeFileSync(join(dir, 'index.json'), text.slice(0, text.length / 2));
      const v = await runCli(['verify', '--dir', dir]);
      expect(v.exitCode).toBe(1);
      expect(v.stderr).toMatch(/index\.json: not valid JSON/);
      const again = await runCli(args, { input: both });
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/index\.json could not be read .* rebuilt from eck-airgap-images\.json/);
      expect(again.stderr).toMatch(/0 copied, 2 already there/);
      expect((await runCli(['verify', '--dir', dir])).exitCode).toBe(0);
    });

    it('a symlink planted as eck-airgap-images.json.tmp is never written through', async () => {
      const dir = join(tempDir('carry-planted'), 'carry');
      mkdirSync(dir);
      const victim = join(tempDir('victim'), 'victim.txt');
      writeFileSync(victim, 'untouched\n');
      symlinkSync(victim, join(dir, 'eck-airgap-images.json.tmp'));
      const r = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], {
        input: pod('docker.elastic.co/kibana/kibana:8.16.1'),
      });
      expect(r.exitCode, r.stderr).toBe(0); // an old leftover name: not content, never followed
      expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
      expect(record(dir).complete).toBe(true);
      // inside a carry of ours, too
      const ours = join(tempDir('carry-planted-2'), 'carry');
      expect(
        (
          await runCli(['mirror', '--registries-conf', conf, '--to-dir', ours, '-'], {
            input: pod('docker.elastic.co/kibana/kibana:8.16.1'),
          })
        ).exitCode,
      ).toBe(0);
      symlinkSync(victim, join(ours, 'eck-airgap-images.json.tmp'));
      const again = await runCli(['mirror', '--registries-conf', conf, '--to-dir', ours, '-'], { input: both });
      expect(again.exitCode, again.stderr).toBe(0);
      expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
      expect(record(ours).images).toHaveLength(2);
    });

    it('digests survive the carry: an uncompressed layer keeps its digest upstream, in the carry and on the mirror', async () => {
      const raw = writeUncompressedImage('apm-server uncompressed');
      await pushImage(raw, source, 'apm/apm-server', '8.16.1');
      expect(await remoteDigest(`${source.host}/apm/apm-server:8.16.1`)).toBe(raw.digest);
      const dir = join(tempDir('carry-uncompressed'), 'carry');
      const input = pod('docker.elastic.co/apm/apm-server:8.16.1');
      const out = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], { input });
      expect(out.exitCode, out.stderr).toBe(0);
      expect(record(dir).images[0]!.digest).toBe(raw.digest);
      expect(existsSync(join(dir, 'blobs', 'sha256', raw.layer.slice(7)))).toBe(true);
      const into = await startRegistry();
      try {
        const r = await runCli(['mirror', '--registry', into.host, '--from-dir', dir, '--dest-tls-verify=false']);
        expect(r.exitCode, r.stderr).toBe(0);
        expect(await remoteDigest(`${into.host}/apm/apm-server:8.16.1`)).toBe(raw.digest);
      } finally {
        await into.stop();
      }
    });

    it('a single Docker v2 manifest crosses converted (skopeo copies only OCI descriptors out of a layout), its upstream digest recorded; pinned, it is refused', async () => {
      const single = writeOciImage('metricbeat single docker', [{ os: 'linux', architecture: 'amd64' }], {
        single: true,
      });
      await execa(tools.skopeo!, [
        'copy',
        '-q',
        '--format',
        'v2s2',
        '--dest-tls-verify=false',
        `oci:${single.layout}:latest`,
        `docker://${source.host}/beats/metricbeat:8.16.1`,
      ]);
      const upstream = await remoteDigest(`${source.host}/beats/metricbeat:8.16.1`);
      const dir = join(tempDir('carry-docker-single'), 'carry');
      const input = pod('docker.elastic.co/beats/metricbeat:8.16.1');
      const out = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], { input });
      expect(out.exitCode, out.stderr).toBe(0);
      expect(record(dir).images[0]).toMatchObject({ upstream });
      expect((await runCli(['verify', '--dir', dir])).exitCode).toBe(0);
      const again = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], { input });
      expect(again.stderr).toMatch(/0 copied, 1 already there/);
      const into = await startRegistry();
      try {
        const r = await runCli(['mirror', '--registry', into.host, '--from-dir', dir, '--dest-tls-verify=false']);
        expect(r.exitCode, r.stderr).toBe(0);
        expect(await remoteDigest(`${into.host}/beats/metricbeat:8.16.1`)).toBe(record(dir).images[0]!.digest);
      } finally {
        await into.stop();
      }
      const pinnedDir = join(tempDir('carry-docker-pinned'), 'carry');
      const pinned = await runCli(['mirror', '--registries-conf', conf, '--to-dir', pinnedDir, '-'], {
        input: pod(`docker.elastic.co/beats/metricbeat:8.16.1@${upstream}`),
      });
      expect(pinned.exitCode).toBe(1);
      expect(pinned.stderr).toMatch(
        /a Docker-format image cannot cross in an OCI layout unchanged .* a pod pinned to sha256:\w+ would not find it/,
      );
      expect(record(pinnedDir).complete).toBe(false);
    });

    it('mirror --timeout bounds a registry that accepts and never answers; the failure is one paragraph saying what to try', async () => {
      const silent = await startSilentServer();
      try {
        const hang = registriesConf(source);
        writeFileSync(
          hang,
          `${readFileSync(hang, 'utf8')}\n[[registry]]\nprefix = "docker.elastic.co/silent/silent"\nlocation = "${silent.host}/silent/silent"\ninsecure = true\n`,
        );
        const mirror = await startRegistry();
        try {
          const started = Date.now();
          const r = await runCli(
            [
              'mirror',
              '--registry',
              mirror.host,
              '--registries-conf',
              hang,
              '--dest-tls-verify=false',
              '--timeout',
              '3',
              '-',
            ],
            {
              input: pod('docker.elastic.co/silent/silent:8.16.1', 'docker.elastic.co/kibana/kibana:8.16.1'),
            },
          );
          expect(Date.now() - started).toBeLessThan(25_000);
          expect(r.exitCode).toBe(1);
          expect(r.stderr).toMatch(/1 copied, 0 already there, 1 failed/);
          expect(r.stderr).toMatch(/failed: docker\.elastic\.co\/silent\/silent:8\.16\.1: .*no answer in time/);
          expect(r.stderr).toMatch(/What to try: it did not finish within --timeout 3 s and skopeo was stopped/);
          expect(r.stderr).not.toMatch(/\\n/);
          // a mirror that accepts and never answers: bounded too
          const into = Date.now();
          const d = await runCli(
            [
              'mirror',
              '--registry',
              silent.host,
              '--registries-conf',
              conf,
              '--dest-tls-verify=false',
              '--timeout',
              '3',
              '-',
            ],
            { input: pod('docker.elastic.co/kibana/kibana:8.16.1') },
          );
          expect(Date.now() - into).toBeLessThan(25_000);
          expect(d.exitCode).toBe(1);
          expect(d.stderr).toMatch(/What to try: it did not finish within --timeout 3 s/);
        } finally {
          await mirror.stop();
        }
      } finally {
        await silent.close();
      }
    });

    it('a registry answering 503 is tried again a bounded number of times, then named with what to try', async () => {
      let requests = 0;
      const busy = createHttpServer((_req, res) => {
        requests++;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      });
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
      try {
        const host = `127.0.0.1:${(busy.address() as { port: number }).port}`;
        const busyConf = registriesConf(source);
        writeFileSync(
          busyConf,
          `${readFileSync(busyConf, 'utf8')}\n[[registry]]\nprefix = "docker.elastic.co/busy/busy"\nlocation = "${host}/busy/busy"\ninsecure = true\n`,
        );
        const started = Date.now();
        const r = await runCli(
          ['mirror', '--registry', '127.0.0.1:9', '--registries-conf', busyConf, '--dest-tls-verify=false', '-'],
          { input: pod('docker.elastic.co/busy/busy:8.16.1') },
        );
        expect(Date.now() - started).toBeLessThan(30_000);
        expect(r.exitCode).toBe(1);
        expect(requests).toBeGreaterThanOrEqual(4);
        expect(r.stderr).toMatch(/failed: docker\.elastic\.co\/busy\/busy:8\.16\.1: the source cannot be read: .*503/);
        expect(r.stderr).toMatch(/What to try: the registry kept failing \(tried 4 times\)/);
      } finally {
        await new Promise<void>((resolve) => busy.close(() => resolve()));
      }
    });

    it('an interrupted --to-dir (SIGINT) stops skopeo, leaves a record saying the carry is not complete and no partial file; a rerun resumes', async () => {
      const silent = await startSilentServer();
      try {
        const hang = registriesConf(source);
        writeFileSync(
          hang,
          `${readFileSync(hang, 'utf8')}\n[[registry]]\nprefix = "docker.elastic.co/silent/silent"\nlocation = "${silent.host}/silent/silent"\ninsecure = true\n`,
        );
        const dir = join(tempDir('carry-interrupted'), 'carry');
        const input = pod('docker.elastic.co/kibana/kibana:8.16.1', 'docker.elastic.co/silent/silent:8.16.1');
        const child = startCli(['mirror', '--registries-conf', hang, '--to-dir', dir, '-'], { input });
        let seen = '';
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 15_000);
          child.stderr.on('data', (chunk: Buffer) => {
            seen += chunk.toString('utf8');
            if (/\[1\/2\]/.test(seen)) {
              clearTimeout(timer);
              setTimeout(resolve, 1000);
            }
          });
        });
        expect(seen).toMatch(/\[1\/2\] docker\.elastic\.co\/kibana\/kibana:8\.16\.1 -> .*: copied/);
        child.kill('SIGINT');
        const r = await child.result;
        expect(r.exitCode, r.stdout + r.stderr).toBe(130);
        expect(r.stderr).toMatch(/interrupted \(SIGINT\)/);
        const written = record(dir);
        expect(written.complete).toBe(false);
        expect(written.missing.map((m) => m.source)).toContain('docker.elastic.co/silent/silent:8.16.1');
        expect(written.images.map((m) => m.source)).toEqual(['docker.elastic.co/kibana/kibana:8.16.1']);
        expect(readdirSync(dir).filter((n) => n.startsWith('oci-put-blob') || n.endsWith('.tmp'))).toEqual([]);
        const v = await runCli(['verify', '--dir', dir]);
        expect(v.exitCode).toBe(1);
        expect(v.stderr).toMatch(/silent\/silent:8\.16\.1: missing/);
        // the rerun, without the image that cannot be had, resumes and completes
        const again = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '-'], {
          input: pod('docker.elastic.co/kibana/kibana:8.16.1'),
        });
        expect(again.stderr).toMatch(/kibana\/kibana:8\.16\.1 -> .*: already there/);
      } finally {
        await silent.close();
      }
    });

    it('skopeo killed mid-copy: the image is named as failed, the record lists it missing, no partial file is kept', async () => {
      const silent = await startSilentServer();
      try {
        const hang = registriesConf(source);
        writeFileSync(
          hang,
          `${readFileSync(hang, 'utf8')}\n[[registry]]\nprefix = "docker.elastic.co/silent/silent"\nlocation = "${silent.host}/silent/silent"\ninsecure = true\n`,
        );
        const dir = join(tempDir('carry-killed'), 'carry');
        // pinned: no inspection first, the skopeo killed is the copy
        const pinned = `docker.elastic.co/silent/silent:8.16.1@sha256:${'ab'.repeat(32)}`;
        const input = pod('docker.elastic.co/kibana/kibana:8.16.1', pinned);
        const child = startCli(['mirror', '--registries-conf', hang, '--to-dir', dir, '-'], { input });
        let seen = '';
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 15_000);
          child.stderr.on('data', (chunk: Buffer) => {
            seen += chunk.toString('utf8');
            if (/\[1\/2\]/.test(seen)) {
              clearTimeout(timer);
              setTimeout(resolve, 1000);
            }
          });
        });
        // the skopeo working on the silent image: a child of the CLI (the launcher execs node, same pid)
        const skopeo = childrenOf(child.pid!).find((c) => c.comm === 'skopeo');
        expect(skopeo, JSON.stringify(childrenOf(child.pid!))).toBeDefined();
        process.kill(skopeo!.pid, 'SIGKILL');
        const r = await child.result;
        expect(r.exitCode, r.stderr).toBe(1);
        expect(r.stderr).toMatch(
          /failed: docker\.elastic\.co\/silent\/silent:8\.16\.1@sha256:(ab)+: skopeo was stopped by SIGKILL before the copy ended/,
        );
        const written = record(dir);
        expect(written.complete).toBe(false);
        expect(written.missing.map((m) => m.source)).toEqual([pinned]);
        expect(readdirSync(dir).filter((n) => n.startsWith('oci-put-blob') || n.endsWith('.tmp'))).toEqual([]);
        expect((await runCli(['verify', '--dir', dir])).exitCode).toBe(1);
      } finally {
        await silent.close();
      }
    });
  });

  describe('reliability: the stack copied 10 times in a row with the default --jobs, two tags of one repository among them', () => {
    let source: Registry;
    let mirror: Registry;
    let conf: string;
    const repos = [
      'eck/eck-operator:3.5.0',
      'elasticsearch/elasticsearch:8.16.1',
      'kibana/kibana:8.16.1',
      'beats/elastic-agent:8.16.1',
      'beats/metricbeat:8.16.1',
      'beats/filebeat:8.16.1',
    ];

    beforeAll(async () => {
      [source, mirror] = await Promise.all([startRegistry(), startRegistry()]);
      for (const r of repos) {
        const [path, tag] = r.split(':') as [string, string];
        await pushImage(writeOciImage(`${r} (reliability)`), source, path, tag);
      }
      // a second tag of one repository: the same blobs pushed into one repository twice
      await execa(tools.skopeo!, [
        'copy',
        '--all',
        '--preserve-digests',
        '-q',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        `docker://${source.host}/kibana/kibana:8.16.1`,
        `docker://${source.host}/kibana/kibana:8.16.1-ubi`,
      ]);
      conf = registriesConf(source);
    });

    afterAll(async () => {
      await Promise.all([source?.stop(), mirror?.stop()]);
      removeTempDirs();
    });

    it('10 rounds into fresh repositories of one mirror, no failure', async () => {
      const input = pod(...repos.map((r) => `docker.elastic.co/${r}`), 'docker.elastic.co/kibana/kibana:8.16.1-ubi');
      for (let round = 0; round < 10; round++) {
        const r = await runCli(
          [
            'mirror',
            '--registry',
            mirror.host,
            '--repository',
            `round${round}`,
            '--registries-conf',
            conf,
            '--dest-tls-verify=false',
            '-q',
            '-',
          ],
          { input },
        );
        expect(r.exitCode, `round ${round}: ${r.stderr}`).toBe(0);
        expect(r.stderr).toBe('');
      }
      const v = await runCli(
        ['verify', '--registry', mirror.host, '--repository', 'round9', '--plain-http', '-q', '-'],
        { input },
      );
      expect(v.exitCode, v.stderr).toBe(0);
    });
  });
}
