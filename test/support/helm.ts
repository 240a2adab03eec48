// Real Helm for the tests: the Helm 3.17.2 and Helm 4.1.4 binaries extracted by test/setup/global-setup.ts,
// each run with its own temporary HELM_DATA_HOME / HELM_CONFIG_HOME / HELM_CACHE_HOME (never HELM_PLUGINS:
// Helm 4.1.4 installs plugins into $HELM_DATA_HOME/plugins but looks them up through HELM_PLUGINS when set).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { extractTool, repoRoot } from '../../scripts/extract-tools.mjs';
import { cleanEnv } from './cli.js';

export type HelmMajor = 3 | 4;

export { repoRoot };

/** Absolute path of the extracted Helm binary (extracts it when the set-up has not run, e.g. a single file run). */
export function helmBin(major: HelmMajor): string {
  return extractTool(major === 3 ? 'helm3' : 'helm4', repoRoot);
}

/** An isolated Helm state: data, config and cache homes in one temporary folder. */
export interface HelmHome {
  root: string;
  env: Record<string, string>;
  cleanup(): void;
}

export function makeHelmHome(): HelmHome {
  const root = mkdtempSync(join(tmpdir(), 'eck-airgap-helm-'));
  const env = {
    HELM_DATA_HOME: join(root, 'data'),
    HELM_CONFIG_HOME: join(root, 'config'),
    HELM_CACHE_HOME: join(root, 'cache'),
  };
  return { root, env, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export interface HelmRunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Reuse a Helm home (e.g. one a plugin was installed into); a fresh one is made and removed otherwise. */
  home?: HelmHome;
  input?: string;
}

export interface HelmResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the real Helm binary; never throws on a non-zero exit (the tests assert on it). */
export async function runHelm(major: HelmMajor, args: string[], options: HelmRunOptions = {}): Promise<HelmResult> {
  const home = options.home ?? makeHelmHome();
  try {
    const result = await execa(helmBin(major), args, {
      cwd: options.cwd ?? repoRoot,
      env: cleanEnv({ ...home.env, ...options.env }),
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    });
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  } finally {
    if (!options.home) home.cleanup();
  }
}

/** Like runHelm, but fails with Helm's stderr when Helm exits non-zero; returns stdout. */
export async function helmOk(major: HelmMajor, args: string[], options: HelmRunOptions = {}): Promise<string> {
  const result = await runHelm(major, args, options);
  if (result.exitCode !== 0) {
    throw new Error(`helm${major} ${args.join(' ')} exited ${result.exitCode}:\n${result.stderr}`);
  }
  return result.stdout;
}

/** Installs this repository as a Helm 4 plugin into the given home (`helm plugin install <repo>`). */
export async function installPlugin(home: HelmHome): Promise<HelmResult> {
  return runHelm(4, ['plugin', 'install', repoRoot], { home });
}
