// Runs the real eck-airgap CLI (./eck-airgap, built into dist/) for the images and check tests, in a clean
// environment (no ECK_AIRGAP_* from the developer's shell) and a temporary working directory.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { cleanEnv, cliPath, repoRoot } from '../support/helm.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export const casesDir = join(repoRoot, 'charts-test', 'cases', 'images');
export const caseFile = (name: string): string => join(casesDir, name);
export const readCase = (name: string): string => readFileSync(caseFile(name), 'utf8');

export async function runCli(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  const result = await execa(cliPath, args, {
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'eck-airgap-images-')),
    env: cleanEnv(options.env),
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export const sharedFixtures = join(repoRoot, '..', 'shared', 'fixtures', 'eck-upstream');
