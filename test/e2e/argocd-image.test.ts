// The Argo CD sidecar image built for real: argocd/Dockerfile with Debian's buildah (`buildah bud --isolation chroot
// --storage-driver vfs`, RUN steps included), from a release folder (test/support/release.ts) on a Debian base made
// by `mmdebstrap --variant=minbase bookworm` from Debian's packages, Helm 3.17 from a local archive (the
// HELM_ARCHIVE build argument; the archive is made here from the Helm the tests extract). The build runs in a network
// namespace with nothing but loopback (`unshare --net`): it needs no internet. Then the image's
// `eck-airgap argocd generate` renders a chart inside it (`buildah run`, as user 999, as the sidecar runs; the image
// has no node) and must write what the CLI writes.
//
// How long, on the shared 2-core CI machine: the base 85 s the first time (then cached in
// .cache/argocd-image/; the only step that reaches a host: Debian's apt mirror, as `.ci/run`'s apt-get does), its
// import 7 s (25 s at load 12), the image build 13 s (63-103 s at load 12), the container 1-3 s, generate in it
// 0.4-1 s, removing the vfs storage 5-40 s:
// 45 s to 2.5 minutes for the file with the base cached. Each duration is printed when the suite runs.
// Skipped, with the reason in the suite's name, where buildah, mmdebstrap or unshare is absent or this is not root
// on linux-x64. ECK_AIRGAP_TEST_BASE_TAR=<tar of a Debian root> uses that base instead of running mmdebstrap.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PINNED_NODE_VERSION } from '../../scripts/pinned-node.mjs';
import { helmBin, repoRoot } from '../support/helm.js';
import { release, version } from '../support/release.js';
import { runCli } from '../support/cli.js';

function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.platform !== 'linux' || process.arch !== 'x64')
    missing.push(`linux-x64 (this is ${process.platform}-${process.arch})`);
  if (process.getuid?.() !== 0) missing.push('root (buildah with the vfs driver and chroot isolation, mmdebstrap)');
  for (const tool of ['buildah', 'unshare', ...(process.env.ECK_AIRGAP_TEST_BASE_TAR ? [] : ['mmdebstrap'])]) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) missing.push(tool);
  }
  return missing;
}
const missing = missingPrerequisites();
const skipReason = missing.length > 0 ? ` — SKIPPED: needs ${missing.join(', ')}` : '';
if (skipReason) process.stderr.write(`argocd-image.test.ts${skipReason}\n`);

const image = 'localhost/eck-airgap-test/argocd-cmp';
const baseImage = 'localhost/eck-airgap-test/bookworm-minbase';
const cacheDir = join(repoRoot, '.cache', 'argocd-image');
const app = {
  ARGOCD_APP_NAME: 'logging',
  ARGOCD_APP_NAMESPACE: 'observability',
  ARGOCD_ENV_ECK_AIRGAP_REGISTRY: 'my.registry:5000',
};

let storage: string;
let work: string;
const timings: string[] = [];

function buildah(...args: string[]): string[] {
  return [
    'buildah',
    '--root',
    join(storage, 'root'),
    '--runroot',
    join(storage, 'runroot'),
    '--storage-driver',
    'vfs',
    ...args,
  ];
}
async function run(
  argv: string[],
  options: { offline?: boolean; input?: string } = {},
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const [file, ...args] = options.offline ? ['unshare', '--net', ...argv] : argv;
  const result = await execa(file!, args, {
    reject: false,
    stripFinalNewline: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
async function must(argv: string[], options: { offline?: boolean } = {}): Promise<string> {
  const result = await run(argv, options);
  if (result.exitCode !== 0) throw new Error(`${argv.join(' ')} exited ${result.exitCode}:\n${result.stderr}`);
  return result.stdout;
}
async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await step();
  timings.push(`${what} ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return value;
}

/** A Debian bookworm minbase root as a tar, made once and kept in .cache/argocd-image/. */
async function baseTar(): Promise<string> {
  if (process.env.ECK_AIRGAP_TEST_BASE_TAR) return process.env.ECK_AIRGAP_TEST_BASE_TAR;
  const tar = join(cacheDir, 'bookworm-minbase.tar');
  if (existsSync(tar)) return tar;
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${tar}.${process.pid}.tar`;
  await timed('mmdebstrap --variant=minbase bookworm', () =>
    must(['mmdebstrap', '--variant=minbase', '--quiet', 'bookworm', partial]),
  );
  renameSync(partial, tar);
  return tar;
}

/** Runs in the one container of the image (made once: with vfs each container is a full copy of the image). */
async function inImage(argv: string[], chart?: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const env = Object.entries(app).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
  const mount = chart ? ['-v', `${chart}:/tmp/app:ro`, '--workingdir', '/tmp/app'] : [];
  return run(buildah('run', '--isolation', 'chroot', '--user', '999:999', ...mount, ...env, container, '--', ...argv), {
    offline: true,
  });
}

let container: string;

describe.skipIf(missing.length > 0)(
  `the Argo CD sidecar image (argocd/Dockerfile) built with buildah${skipReason}`,
  () => {
    beforeAll(async () => {
      storage = mkdtempSync(join(tmpdir(), 'eck-airgap-buildah-'));
      work = mkdtempSync(join(tmpdir(), 'eck-airgap-image-'));
      const files = await timed('release (cached by test/support/release.ts)', () => release());
      const tar = await baseTar();
      await timed('base image from the tar', async () => {
        const container = (await must(buildah('from', '-q', 'scratch'))).trim();
        await must(buildah('add', container, tar, '/'));
        await must(buildah('commit', '-q', container, baseImage));
        await must(buildah('rm', container));
      });
      // The build context: the release folder's files and Helm's archive as get.helm.sh lays it out.
      const context = join(work, 'context');
      mkdirSync(join(context, 'linux-amd64'), { recursive: true });
      for (const file of [files.sums, files.executable, files.npmPackage])
        copyFileSync(file, join(context, file.split('/').pop()!));
      copyFileSync(helmBin(3), join(context, 'linux-amd64', 'helm'));
      const helmVersion = (await must([helmBin(3), 'version', '--short'])).trim().replace(/\+.*/, '');
      const archive = `helm-${helmVersion}-linux-amd64.tar.gz`;
      await must(['tar', '-czf', join(context, archive), '-C', context, 'linux-amd64']);
      rmSync(join(context, 'linux-amd64'), { recursive: true });
      const sha256 = (await must(['sha256sum', join(context, archive)])).split(' ')[0]!;
      await timed('buildah bud (no network)', () =>
        must(
          buildah(
            'bud',
            '--isolation',
            'chroot',
            '--ignorefile',
            join(repoRoot, 'argocd', 'Dockerfile.dockerignore'),
            '--build-arg',
            `BASE_IMAGE=${baseImage}`,
            '--build-arg',
            `ECK_AIRGAP_VERSION=${version}`,
            '--build-arg',
            `HELM_VERSION=${helmVersion}`,
            '--build-arg',
            `HELM_ARCHIVE=${archive}`,
            '--build-arg',
            `HELM_SHA256=${sha256}`,
            '-f',
            join(repoRoot, 'argocd', 'Dockerfile'),
            '-t',
            image,
            context,
          ),
          { offline: true },
        ),
      );
      container = await timed('buildah from (the container the tests run in)', async () =>
        (await must(buildah('from', '-q', image))).trim(),
      );
    }, 1_200_000);

    afterAll(() => {
      process.stderr.write(`argocd-image.test.ts: ${timings.join('; ')}\n`);
      if (storage) rmSync(storage, { recursive: true, force: true });
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('runs as user 999 with eck-airgap and helm and no node; eck-airgap carries the pinned Node.js LTS', async () => {
      const id = await inImage([
        'sh',
        '-c',
        'id -u; command -v eck-airgap; command -v helm; command -v node || echo no node',
      ]);
      expect(id.exitCode, id.stderr).toBe(0);
      expect(id.stdout).toBe('999\n/usr/local/bin/eck-airgap\n/usr/local/bin/helm\nno node\n');
      const report = await inImage(['eck-airgap', 'version']);
      expect(report.exitCode, report.stderr).toBe(0);
      expect(report.stdout).toContain(`eck-airgap ${version}\nNode.js v${PINNED_NODE_VERSION} (LTS `);
      const plugin = await inImage(['cat', '/home/argocd/cmp-server/config/plugin.yaml']);
      expect(plugin.stdout).toBe(readFileSync(join(repoRoot, 'argocd', 'plugin.yaml'), 'utf8'));
    }, 300_000);

    it('renders charts-test/argocd/plain with `eck-airgap argocd generate` inside the image as the CLI does', async () => {
      const chart = join(work, 'plain');
      cpSync(join(repoRoot, 'charts-test', 'argocd', 'plain'), chart, { recursive: true });
      for (const path of [work, chart, join(chart, 'templates')]) if (existsSync(path)) chmodSync(path, 0o755);
      spawnSync('chmod', ['-R', 'a+rX', chart]);
      const inside = await timed('argocd generate in the image', () =>
        inImage(['eck-airgap', 'argocd', 'generate'], chart),
      );
      expect(inside.exitCode, inside.stderr).toBe(0);
      expect(inside.stdout).toContain('image: my.registry:5000/elasticsearch/elasticsearch:');

      // The CLI (./eck-airgap on this machine's node) with the same Helm, build environment and a clean home.
      const home = join(work, 'home');
      const bin = join(work, 'bin');
      mkdirSync(home, { recursive: true });
      mkdirSync(bin, { recursive: true });
      copyFileSync(helmBin(3), join(bin, 'helm'));
      chmodSync(join(bin, 'helm'), 0o755);
      const reference = await runCli(['argocd', 'generate'], {
        cwd: chart,
        bareEnv: true,
        env: {
          PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
          HOME: home,
          HELM_CACHE_HOME: join(home, 'cache'),
          HELM_CONFIG_HOME: join(home, 'config'),
          HELM_DATA_HOME: join(home, 'data'),
          ...app,
        },
      });
      expect(reference.exitCode, reference.stderr).toBe(0);
      expect(inside.stdout).toBe(reference.stdout);
      expect(inside.stderr).toBe(reference.stderr);
    }, 300_000);
  },
);
