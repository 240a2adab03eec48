// verify against Debian's real docker-registry (distribution 2.8) where behaviour is normal, after issue 21's
// hashing, shape checks and deadlines: the digests it prints are those skopeo pushed (the bytes' own digests), a
// pinned image is present by its digest, a short --timeout is enough for a healthy registry, and a platform
// manifest deleted from the repository (what garbage collection leaves) is platform missing, naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pushImage,
  removeTempDirs,
  startRegistry,
  toolsPresent,
  warnNotRun,
  writeOciImage,
  type Registry,
  type WrittenImage,
} from '../support/registry.js';
import { runCli } from '../support/cli.js';

const pod = (image: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`;

async function verify(
  registry: string,
  image: string,
  args: string[] = [],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return runCli(['verify', '--registry', registry, '--plain-http', ...args, '-'], {
    input: pod(image),
    timeout: 30_000,
    bareEnv: true,
    env: { HOME: '/nonexistent' },
  });
}

interface Row {
  status: string;
  digest: string;
  platforms: { platform: string; status: string; digest: string | null }[];
}

// Without docker-registry / skopeo / htpasswd / openssl the suite below is skipped, and says so loudly.
warnNotRun('test/commands/verify-real.test.ts');

describe.runIf(toolsPresent)('verify against the real docker-registry', () => {
  let registry: Registry;
  let kibana: WrittenImage;
  beforeAll(async () => {
    registry = await startRegistry();
    kibana = writeOciImage('kibana verify-real');
    await pushImage(kibana, registry, 'kibana/kibana', '8.16.1');
  });
  afterAll(async () => {
    await registry?.stop();
    removeTempDirs();
  });

  it('prints the digests skopeo pushed (index and children), within a 1 s deadline per request', async () => {
    const r = await verify(registry.host, 'docker.elastic.co/kibana/kibana:8.16.1', ['-o', 'json', '--timeout', '1']);
    expect(r.exitCode, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout) as Row[];
    expect(row!.digest).toBe(kibana.digest);
    expect(Object.fromEntries(row!.platforms.map((p) => [p.platform, p.digest]))).toEqual(kibana.children);
  });

  it('a pinned image is present by its digest', async () => {
    const r = await verify(registry.host, `docker.elastic.co/kibana/kibana:8.16.1@${kibana.digest}`);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`present\\s+${kibana.digest}`));
  });

  it('a platform manifest deleted from the repository is platform missing, naming it; the other platform alone passes', async () => {
    const arm = kibana.children['linux/arm64']!;
    const del = await fetch(`http://${registry.host}/v2/kibana/kibana/manifests/${arm}`, { method: 'DELETE' });
    expect(del.status).toBe(202);
    const r = await verify(registry.host, 'docker.elastic.co/kibana/kibana:8.16.1');
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/platform missing/);
    expect(r.stderr).toContain(`the linux/arm64 manifest ${arm} is listed in the index but not in the repository`);
    const amd = await verify(registry.host, 'docker.elastic.co/kibana/kibana:8.16.1', ['--platform', 'linux/amd64']);
    expect(amd.exitCode, amd.stderr).toBe(0);
  });
});
