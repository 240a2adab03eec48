// An interrupted `npm run release` (scripts/release.mjs) leaves nothing behind: no `.building-*` staging folder in
// --out, no `eck-airgap-release-*` folder in $TMPDIR (issue 21). The real script, started in its own process group
// with a private $TMPDIR, signalled as soon as its staging folder exists (during its first step, the CLI bundle),
// so each case takes a few seconds, not the minute a whole release takes: Ctrl-C as a terminal sends it (SIGINT to
// the process group), and SIGTERM to the script alone (as a CI runner cancelling a job may).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/helm.js';

const leftovers = (out: string, tmp: string): string[] => [
  ...readdirSync(out).filter((name) => name.startsWith('.building-')),
  ...readdirSync(tmp).filter((name) => name.startsWith('eck-airgap-release-')),
];

const bases: string[] = [];
afterAll(() => bases.forEach((b) => rmSync(b, { recursive: true, force: true })));

async function interrupted(
  signal: 'SIGINT' | 'SIGTERM',
  group: boolean,
): Promise<{ code: number | null; stderr: string; out: string; tmp: string }> {
  const base = mkdtempSync(join(tmpdir(), 'eck-airgap-release-interrupt-'));
  bases.push(base);
  const out = join(base, 'out');
  const tmp = mkdtempSync(join(base, 'tmp-'));
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'release.mjs'), '--out', out], {
    cwd: repoRoot,
    detached: true,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? base, TMPDIR: tmp },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, sig) => resolve(code ?? (sig ? -1 : null))),
  );
  const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 90_000);
  try {
    // wait for the staging folder and the work folder (bounded)
    const until = Date.now() + 30_000;
    for (;;) {
      let staged = false;
      try {
        staged =
          readdirSync(out).some((n) => n.startsWith('.building-')) &&
          readdirSync(tmp).some((n) => n.startsWith('eck-airgap-release-'));
      } catch {
        // --out not made yet
      }
      if (staged) break;
      if (Date.now() > until || child.exitCode !== null)
        throw new Error(`release did not stage within 30 s (exit ${child.exitCode}): ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    if (group) process.kill(-child.pid!, signal);
    else child.kill(signal);
    return { code: await exited, stderr, out, tmp };
  } finally {
    clearTimeout(killer);
  }
}

describe('npm run release, interrupted, removes its staging (a few seconds per case)', () => {
  it('SIGINT to the process group (Ctrl-C): no .building-* in --out, nothing in $TMPDIR', async () => {
    const r = await interrupted('SIGINT', true);
    expect(r.code, r.stderr).not.toBe(0);
    expect(r.code).not.toBe(-1); // ended by itself, not killed by the signal before cleaning up
    expect(leftovers(r.out, r.tmp)).toEqual([]);
  });

  it('SIGTERM to the script alone: it cleans up and exits 143', async () => {
    const r = await interrupted('SIGTERM', false);
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toMatch(/release: interrupted \(SIGTERM\); removing the staging folders/);
    expect(leftovers(r.out, r.tmp)).toEqual([]);
  });
});
