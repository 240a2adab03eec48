// `npm run release -- --out DIR` (scripts/release.mjs), built once per test run (test/support/release.ts): the four
// files and SHA256SUMS, checked with the tools a site checks them with (sha256sum, helm plugin verify, tar).
import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helmBin, makeHelmHome, repoRoot } from '../support/helm.js';
import { release, version, type Release } from '../support/release.js';
import { cleanEnv } from '../support/cli.js';

let files: Release;
beforeAll(async () => {
  files = await release();
}, 900_000);

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function tarList(archive: string): Promise<string[]> {
  return (await execa('tar', ['-tzf', archive])).stdout.split('\n').filter(Boolean);
}

async function tarRead(archive: string, entry: string): Promise<Buffer> {
  return Buffer.from((await execa('tar', ['-xzOf', archive, entry], { encoding: 'buffer' })).stdout);
}

describe('npm run release -- --out DIR', () => {
  it('writes the npm package, the single executable, the Helm plugin and its .prov, all in SHA256SUMS', async () => {
    const sums = (await readFile(files.sums, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(/ {2}/)[1]);
    expect(sums.sort()).toEqual(
      [
        basename(files.executable),
        basename(files.npmPackage),
        basename(files.helmPlugin),
        basename(files.provenance),
      ].sort(),
    );
    // What a site runs to check what it carried in.
    const check = await execa('sha256sum', ['-c', 'SHA256SUMS'], { cwd: files.dir, reject: false });
    expect(check.exitCode, check.stderr).toBe(0);
    expect(check.stdout.split('\n')).toHaveLength(4);
    expect(statSync(files.executable).mode & 0o111).not.toBe(0);
  });

  it('the npm package and the Helm plugin hold every doc that --help or an error message names', async () => {
    // every docs/*.md and argocd/README.md path written in src/ (help texts, error paragraphs)
    const named = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else
          for (const match of readFileSync(path, 'utf8').matchAll(/\b(docs\/[\w-]+\.md|argocd\/README\.md)\b/g))
            named.add(match[1]!);
      }
    };
    walk(join(repoRoot, 'src'));
    expect([...named]).toEqual(expect.arrayContaining(['docs/mirror-and-verify.md', 'docs/images-and-check.md']));
    const npmEntries = await tarList(files.npmPackage);
    const pluginEntries = await tarList(files.helmPlugin);
    for (const doc of named) {
      expect(npmEntries, `${doc} in the npm package`).toContain(`package/${doc}`);
      if (doc.startsWith('docs/'))
        expect(pluginEntries, `${doc} in the Helm plugin`).toContain(`eck-airgap-helm-plugin/${doc}`);
    }
    expect(pluginEntries).toContain('eck-airgap-helm-plugin/README.md');
  });

  it('the npm package has no runtime dependencies: its bundle inlines them', async () => {
    const entries = await tarList(files.npmPackage);
    for (const entry of [
      'eck-airgap',
      'dist/eck-airgap.mjs',
      'plugin.yaml',
      'README.md',
      'argocd/plugin.yaml',
      'package.json',
      'THIRD-PARTY-LICENSES.md',
    ]) {
      expect(entries, entry).toContain(`package/${entry}`);
    }
    // The start-up snapshot belongs to the node that built it: not shipped.
    expect(entries.filter((entry) => entry.includes('.blob') || entry.includes('snapshot-entry'))).toEqual([]);
    const manifest = JSON.parse((await tarRead(files.npmPackage, 'package/package.json')).toString()) as Record<
      string,
      unknown
    >;
    expect(manifest['name']).toBe('eck-airgap');
    expect(manifest['version']).toBe(version);
    expect(manifest['dependencies']).toBeUndefined();
    expect(manifest['scripts']).toBeUndefined();
    expect(manifest['bin']).toEqual({ 'eck-airgap': 'eck-airgap' });
    const checkout = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest['inlinedDependencies'] as object)).toEqual(
      expect.arrayContaining(Object.keys(checkout.dependencies)),
    );
    const licenses = (await tarRead(files.npmPackage, 'package/THIRD-PARTY-LICENSES.md')).toString();
    for (const name of Object.keys(checkout.dependencies)) expect(licenses).toContain(`## ${name} `);
  });

  it('the Helm plugin is a postrenderer/v1 plugin named eck-airgap that runs the single executable', async () => {
    const entries = await tarList(files.helmPlugin);
    // helm plugin install FILE looks for a top folder named after FILE without its version.
    expect(
      entries.every((entry) => entry.startsWith('eck-airgap-helm-plugin/') || entry === 'eck-airgap-helm-plugin'),
    ).toBe(true);
    const manifest = parse((await tarRead(files.helmPlugin, 'eck-airgap-helm-plugin/plugin.yaml')).toString()) as {
      name: string;
      version: string;
      type: string;
      runtime: string;
      runtimeConfig: { platformCommand: Array<{ os: string; arch: string; command: string }> };
    };
    expect(manifest).toMatchObject({ name: 'eck-airgap', version, type: 'postrenderer/v1', runtime: 'subprocess' });
    expect(manifest.runtimeConfig.platformCommand).toEqual([
      { os: 'linux', arch: 'amd64', command: '${HELM_PLUGIN_DIR}/eck-airgap' },
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'eck-airgap-plugin-tgz-'));
    try {
      await execa('tar', ['-xzf', files.helmPlugin, '-C', dir]);
      const inside = await readFile(join(dir, 'eck-airgap-helm-plugin', 'eck-airgap'));
      expect(sha256(inside)).toBe(sha256(await readFile(files.executable)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const listing = (await execa('tar', ['-tvzf', files.helmPlugin])).stdout;
    expect(listing).toMatch(/^-rwxr-xr-x .* eck-airgap-helm-plugin\/eck-airgap$/m);
  });

  it('the .prov verifies with the signing key (helm plugin verify), and fails for a changed archive', async () => {
    const home = makeHelmHome();
    const helm = helmBin(4);
    const env = cleanEnv(home.env);
    try {
      const good = await execa(helm, ['plugin', 'verify', files.helmPlugin, '--keyring', files.pubring], {
        env,
        extendEnv: false,
        reject: false,
      });
      expect(good.exitCode, good.stderr).toBe(0);
      expect(good.stdout).toContain('Signed by: eck-airgap test release');
      // The same .prov next to an archive with one byte more.
      const tampered = join(home.root, basename(files.helmPlugin));
      await writeFile(tampered, Buffer.concat([await readFile(files.helmPlugin), Buffer.from([0])]));
      await copyFile(files.provenance, `${tampered}.prov`);
      const bad = await execa(helm, ['plugin', 'verify', tampered, '--keyring', files.pubring], {
        env,
        extendEnv: false,
        reject: false,
      });
      expect(bad.exitCode).not.toBe(0);
      expect(bad.stderr).toMatch(/sha256 sum does not match/);
    } finally {
      home.cleanup();
    }
  });
});

describe('SHA256SUMS is signed (issue 25): every file carried in can be checked, not only the plugin', () => {
  it('gpg --verify SHA256SUMS.asc SHA256SUMS passes with the public key alone, and fails for a changed SHA256SUMS', async () => {
    const gnupg = await mkdtemp(join(tmpdir(), 'eck-airgap-sums-gnupg-'));
    const env = cleanEnv({ GNUPGHOME: gnupg });
    try {
      await execa('chmod', ['700', gnupg]);
      await execa('gpg', ['--batch', '--import', files.pubring], { env, extendEnv: false });
      const good = await execa('gpg', ['--batch', '--verify', files.sumsSignature, files.sums], {
        env,
        extendEnv: false,
        reject: false,
      });
      expect(good.exitCode, good.stderr).toBe(0);
      expect(good.stderr).toContain('Good signature from "eck-airgap test release');
      expect(await readFile(files.sumsSignature, 'utf8')).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
      const tampered = join(gnupg, 'SHA256SUMS');
      await writeFile(
        tampered,
        (await readFile(files.sums, 'utf8')).replace(/^[0-9a-f]/, (c) => (c === '0' ? '1' : '0')),
      );
      const bad = await execa('gpg', ['--batch', '--verify', files.sumsSignature, tampered], {
        env,
        extendEnv: false,
        reject: false,
      });
      expect(bad.exitCode).not.toBe(0);
      expect(bad.stderr).toContain('BAD signature');
    } finally {
      await execa('gpgconf', ['--kill', 'gpg-agent'], { env, extendEnv: false, reject: false });
      await rm(gnupg, { recursive: true, force: true });
    }
  });
});

describe('scripts/release.mjs usage errors', () => {
  const script = join(repoRoot, 'scripts', 'release.mjs');

  it('exits 2 without --out, and when only one of the two signing variables is set, before building anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'eck-airgap-release-usage-'));
    try {
      const noOut = await execa(process.execPath, [script], { env: cleanEnv(), extendEnv: false, reject: false });
      expect(noOut.exitCode).toBe(2);
      expect(noOut.stdout).toBe('');
      expect(noOut.stderr).toContain('--out DIR is required');
      const half = await execa(process.execPath, [script, '--out', join(dir, 'out')], {
        env: cleanEnv({ ECK_AIRGAP_SIGN_KEY: 'someone' }),
        extendEnv: false,
        reject: false,
      });
      expect(half.exitCode).toBe(2);
      expect(half.stdout).toBe('');
      expect(half.stderr).toContain('ECK_AIRGAP_SIGN_KEYRING');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
