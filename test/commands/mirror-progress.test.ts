// Issue 25, "Progress on long copies": while an image copies, `mirror` says on stderr how many of its blobs and
// bytes the destination holds (a plain line per interval without a terminal, a live line rewritten in place on
// one), never on stdout, nothing under -q; and --to-dir copies images in parallel (each into a stage of its own,
// src/mirror/layout-stage.ts), the carry complete and intact. Real docker-registry (distribution 2.8), the real
// skopeo 1.9.3 and the real CLI; the images carry a few MB of random layers so that a copy lasts several
// (lowered, with the hidden --progress-interval) intervals.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { cleanEnv, cliPath } from '../support/cli.js';
import {
  pushImage,
  registriesConf,
  removeTempDirs,
  startRegistry,
  tempDir,
  toolsPresent,
  warnNotRun,
  type Registry,
  type WrittenImage,
} from '../support/registry.js';

const pod = (...images: string[]): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers:\n${images.map((image, i) => `    - name: c${i}\n      image: ${image}\n`).join('')}`;

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A single-platform OCI image whose `layers` layers are `mb` MB of random bytes each (nothing to compress). */
function writeBigImage(layers: number, mb: number): WrittenImage & { totalBytes: number } {
  const layout = tempDir('oci-big');
  const blobs = join(layout, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (data: Buffer): { digest: string; size: number } => {
    const digest = sha256(data);
    writeFileSync(join(blobs, digest.slice(7)), data);
    return { digest, size: data.length };
  };
  const descriptors = Array.from({ length: layers }, () => put(randomBytes(mb * 1_000_000)));
  const config = put(
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: {},
        rootfs: { type: 'layers', diff_ids: descriptors.map((d) => d.digest) },
      }),
    ),
  );
  const manifest = put(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: descriptors.map((d) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...d })),
      }),
    ),
  );
  writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
  return {
    layout,
    digest: manifest.digest,
    children: {},
    totalBytes: config.size + descriptors.reduce((n, d) => n + d.size, 0),
  };
}

const PROGRESS =
  /^eck-airgap: copying (\S+): (\d+) of (\d+) blobs, (\S+ \S+) of (\S+ \S+) done(, \S+ \S+ being written)?, \d+ s$/;

describe('mirror progress: the tools are here, or the suite says it did not run', () => {
  it('docker-registry, skopeo, htpasswd and openssl are present, or this suite is reported as NOT RUN', () => {
    warnNotRun('test/commands/mirror-progress.test.ts');
    expect(typeof toolsPresent).toBe('boolean');
  });
});

describe.skipIf(!toolsPresent)('mirror progress while an image copies (real skopeo, real registries)', () => {
  let upstream: Registry;
  let conf: string;
  let big: WrittenImage & { totalBytes: number };
  const BIG = 'docker.elastic.co/big/big:1';

  beforeAll(async () => {
    upstream = await startRegistry();
    conf = registriesConf(upstream);
    big = writeBigImage(3, 12);
    await pushImage(big, upstream, 'big/big', '1');
  }, 120_000);
  afterAll(async () => {
    await upstream?.stop();
    removeTempDirs();
  });

  /** The progress lines of a run, checked: blobs and bytes never past the total, never going back. */
  function progressLines(stderr: string): RegExpExecArray[] {
    const lines = stderr
      .split('\n')
      .filter((l) => l.startsWith('eck-airgap: copying '))
      .map((l) => {
        const m = PROGRESS.exec(l);
        expect(m, l).not.toBeNull();
        return m!;
      });
    let before = 0;
    for (const m of lines) {
      expect(m[1]).toBe(BIG);
      expect(Number(m[3])).toBe(4); // the config and three layers
      expect(Number(m[2])).toBeLessThanOrEqual(4);
      expect(Number(m[2])).toBeGreaterThanOrEqual(before);
      before = Number(m[2]);
      expect(m[5]).toBe(`${(big.totalBytes / 1e6).toFixed(1)} MB`);
    }
    return lines;
  }

  it('--to-dir, then --from-dir, without a terminal: a plain line per interval with blobs and bytes the destination holds, before the image is done; nothing on stdout', async () => {
    const dir = join(tempDir('progress-dir'), 'carry');
    const r = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '--progress-interval', '40', '-'], {
      input: pod(BIG),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const lines = progressLines(r.stderr);
    expect(lines.length, r.stderr).toBeGreaterThan(0);
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr.indexOf('eck-airgap: copying ')).toBeLessThan(r.stderr.indexOf('[1/1]'));
    expect(r.stderr).toMatch(/the carry is complete: 1 image/);

    // and out of the carry (--from-dir): totals from the carry's own manifest files, done from the mirror
    const mirror = await startRegistry();
    try {
      const out = await runCli(
        ['mirror', '--registry', mirror.host, '--dest-tls-verify=false', '--from-dir', dir].concat([
          '--progress-interval',
          '40',
        ]),
      );
      expect(out.exitCode, out.stderr).toBe(0);
      expect(out.stdout).toBe('');
      expect(progressLines(out.stderr).length, out.stderr).toBeGreaterThan(0);
    } finally {
      await mirror.stop();
    }
  });

  it('into a registry: the blobs the mirror answers HEAD for, same line; -q prints none', async () => {
    const mirror = await startRegistry();
    try {
      const args = ['mirror', '--registry', mirror.host, '--registries-conf', conf, '--dest-tls-verify=false'];
      const r = await runCli([...args, '--progress-interval', '40', '-'], { input: pod(BIG) });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(progressLines(r.stderr).length, r.stderr).toBeGreaterThan(0);

      const other = await startRegistry();
      try {
        const quiet = await runCli(
          ['mirror', '--registry', other.host, '--registries-conf', conf, '--dest-tls-verify=false', '-q'].concat([
            '--progress-interval',
            '40',
            '-',
          ]),
          { input: pod(BIG) },
        );
        expect(quiet.exitCode, quiet.stderr).toBe(0);
        expect(quiet.stdout).toBe('');
        expect(quiet.stderr).not.toContain('copying');
        expect(quiet.stderr).toBe('');
      } finally {
        await other.stop();
      }
    } finally {
      await mirror.stop();
    }
  });

  it.skipIf(!existsSync('/usr/bin/script'))(
    "on a terminal (a real pty from util-linux's script): one live line rewritten in place, cleared before each finished line",
    async () => {
      const dir = join(tempDir('progress-tty'), 'carry');
      const work = tempDir('progress-tty-files');
      const input = join(work, 'release.yaml');
      writeFileSync(input, pod(BIG));
      const out = join(work, 'stdout.txt');
      const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
      const command = [
        cliPath,
        'mirror',
        '--registries-conf',
        conf,
        '--to-dir',
        dir,
        '--progress-interval',
        '40',
        input,
      ]
        .map(quote)
        .join(' ');
      // script runs the command on a new pty (stderr there); stdout goes to a file
      const r = await execa('script', ['-qec', `${command} >${quote(out)}`, '/dev/null'], {
        env: cleanEnv({}),
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
      });
      expect(r.exitCode, String(r.stdout)).toBe(0);
      const tty = String(r.stdout);
      expect(tty).toContain('\r\x1b[2Keck-airgap: copying big:1 ');
      expect(tty).toMatch(/\r\x1b\[2Keck-airgap: copying big:1 \S+ \S+\/\S+ MB \(\d\/4 blobs\)/);
      // the finished line starts on a cleared line, and the live line is gone at the end
      expect(tty).toMatch(/\r\x1b\[2Keck-airgap: \[1\/1\] docker\.elastic\.co\/big\/big:1 -> /);
      expect(tty).not.toMatch(/^eck-airgap: copying docker/m);
      expect(readFileSync(out, 'utf8')).toBe('');
    },
    120_000,
  );
});

describe.skipIf(!toolsPresent)('--to-dir copies in parallel (--jobs 3): the carry complete and intact', () => {
  let upstream: Registry;
  let conf: string;
  const names = Array.from({ length: 6 }, (_, i) => `docker.elastic.co/par/img${i}:1`);

  beforeAll(async () => {
    upstream = await startRegistry();
    conf = registriesConf(upstream);
    for (let i = 0; i < names.length; i++) await pushImage(writeBigImage(2, 4), upstream, `par/img${i}`, '1');
  }, 180_000);
  afterAll(async () => {
    await upstream?.stop();
    removeTempDirs();
  });

  /** skopeo copies writing into `dir` now (from /proc: their command lines name it). */
  function copiesInto(dir: string): number {
    let n = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        if (argv.includes('copy') && argv.some((a) => a.startsWith(`oci:${dir}`))) n++;
      } catch {
        // gone
      }
    }
    return n;
  }

  it('6 images with --jobs 3: copies overlap, every image is in index.json, the record is complete, verify --dir and --from-dir pass', async () => {
    const dir = join(tempDir('parallel'), 'carry');
    let most = 0;
    const timer = setInterval(() => (most = Math.max(most, copiesInto(dir))), 5);
    const r = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '--jobs', '3', '-'], {
      input: pod(...names),
    }).finally(() => clearInterval(timer));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/6 images to .*: 6 copied, 0 already there, 0 failed, 0 repaired/);
    expect(r.stderr).toMatch(/the carry is complete: 6 images/);
    expect(most, 'skopeo copies into the directory at one time').toBeGreaterThanOrEqual(2);
    expect(most).toBeLessThanOrEqual(3);

    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      manifests: { annotations: Record<string, string> }[];
    };
    expect(index.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort()).toEqual(
      [...names].sort(),
    );
    const record = JSON.parse(readFileSync(join(dir, 'eck-airgap-images.json'), 'utf8')) as {
      complete: boolean;
      images: unknown[];
      missing: unknown[];
    };
    expect(record).toMatchObject({ complete: true, missing: [] });
    expect(record.images).toHaveLength(6);
    expect(readdirSync(dir).filter((n) => n.startsWith('.') || n.startsWith('oci-put-blob'))).toEqual([]);
    expect(readFileSync(join(dir, 'oci-layout'), 'utf8')).toContain('1.0.0');

    const verified = await runCli(['verify', '--dir', dir]);
    expect(verified.exitCode, verified.stderr).toBe(0);
    const again = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '--jobs', '3', '-'], {
      input: pod(...names),
    });
    expect(again.stderr).toMatch(/0 copied, 6 already there, 0 failed/);

    const mirror = await startRegistry();
    try {
      const pushed = await runCli([
        'mirror',
        '--registry',
        mirror.host,
        '--dest-tls-verify=false',
        '--from-dir',
        dir,
        '--jobs',
        '3',
      ]);
      expect(pushed.exitCode, pushed.stderr).toBe(0);
      expect(pushed.stderr).toMatch(/6 copied, 0 already there, 0 failed/);
      const check = await runCli(['verify', '--registry', mirror.host, '--plain-http', '-'], {
        input: pod(...names),
      });
      expect(check.exitCode, check.stderr + check.stdout).toBe(0);
    } finally {
      await mirror.stop();
    }
  }, 240_000);

  it("a carry written as mirror wrote it before (skopeo straight into oci:DIR:ref) with a killed run's stage left: resumed in parallel, verify --dir passes", async () => {
    const dir = join(tempDir('old-carry'), 'carry');
    mkdirSync(dir);
    const old = names.slice(0, 2);
    const images = [];
    for (const name of old) {
      const from = name.replace('docker.elastic.co', upstream.host);
      await execa('skopeo', [
        'copy',
        '--all',
        '--preserve-digests',
        '-q',
        '--src-tls-verify=false',
        `docker://${from}`,
        `oci:${dir}:${name}`,
      ]);
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
        manifests: { digest: string; annotations: Record<string, string> }[];
      };
      const digest = index.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name'] === name)!.digest;
      images.push({ source: name, ref: name, digest, signatures: [] });
    }
    writeFileSync(
      join(dir, 'eck-airgap-images.json'),
      JSON.stringify({ format: 'eck-airgap-images/v1', complete: true, images, missing: [] }),
    );
    expect((await runCli(['verify', '--dir', dir])).exitCode).toBe(0);
    // what a killed run leaves: a stage with skopeo's temporary file and its own index.json
    const stale = join(dir, '.eck-airgap-stage-AbC123');
    mkdirSync(stale);
    writeFileSync(join(stale, 'oci-put-blob123'), 'partial');
    writeFileSync(join(stale, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
    expect((await runCli(['verify', '--dir', dir])).exitCode).toBe(0);

    const r = await runCli(['mirror', '--registries-conf', conf, '--to-dir', dir, '--jobs', '3', '-'], {
      input: pod(...names),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/6 images to .*: 4 copied, 2 already there, 0 failed/);
    expect(existsSync(stale)).toBe(false);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      manifests: { annotations: Record<string, string> }[];
    };
    expect(index.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort()).toEqual(
      [...names].sort(),
    );
    const verified = await runCli(['verify', '--dir', dir]);
    expect(verified.exitCode, verified.stderr).toBe(0);
    expect(verified.stderr).toMatch(/complete and intact, 6 images/);
  }, 240_000);
});
