// @ts-nocheck -- not yet type-clean for scripts/tsconfig.json (issue 24 left it: 6 errors of inference)
// The fuzz and stress runs' own adapter (scripts/fuzz.mjs, scripts/fuzz/stress.mjs): they run on plain node, outside
// vitest, where test/support/cli.ts (the tests' one CLI runner, TypeScript) cannot be imported; tests do not use it.
// Runs the real CLI (./eck-airgap at the repository root) as a process on one input, with a time limit and,
// optionally, its peak memory: a CommonJS preload (NODE_OPTIONS=--require, run before the CLI's CommonJS
// entry) writes process.resourceUsage().maxRSS — the kernel's ru_maxrss for that
// process, in KiB — to a file at exit. A process killed by a signal (timeout, OOM abort) reports nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(repoRoot, 'eck-airgap');
const PRELOAD = fileURLToPath(new URL('./max-rss-preload.cjs', import.meta.url));

/** Variables a developer's shell could have set; the runs must not see them (as cleanEnv in test/support/cli.ts). */
const SETTINGS_VARIABLE = /^(HELM_|ECK_AIRGAP_|ARGOCD_ENV_)/;

/** A folder without an eck-airgap.yaml, so the config-file default never applies. */
let scratch;
function scratchDir() {
  scratch ??= mkdtempSync(join(tmpdir(), 'eck-airgap-fuzz-cwd-'));
  return scratch;
}

export function runCli(args, input, options = {}) {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const env = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !SETTINGS_VARIABLE.test(key)) env[key] = value;
  let rssDir;
  if (options.measureRss) {
    rssDir = mkdtempSync(join(tmpdir(), 'eck-airgap-fuzz-rss-'));
    env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--require "${PRELOAD}"`].filter(Boolean).join(' ');
    env.ECK_AIRGAP_FUZZ_MAX_RSS_FILE = join(rssDir, 'max-rss');
  }
  Object.assign(env, options.env ?? {});
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(options.command ?? cliPath, args, {
      cwd: options.cwd ?? scratchDir(),
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.stdin.on('error', () => {}); // the CLI may fail before reading all of its input
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let maxRssKiB;
      if (rssDir) {
        try {
          maxRssKiB = Number(readFileSync(join(rssDir, 'max-rss'), 'utf8'));
        } catch {
          maxRssKiB = undefined;
        }
        rmSync(rssDir, { recursive: true, force: true });
      }
      resolve({
        exitCode: code,
        signal,
        timedOut,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        maxRssKiB,
      });
    });
    child.stdin.end(input);
  });
}
