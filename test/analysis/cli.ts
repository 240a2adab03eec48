// Runs the real eck-airgap CLI (./eck-airgap, built into dist/) for the images and check tests, in a clean
// environment (no ECK_AIRGAP_* from the developer's shell) and a temporary working directory.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runCli as runRealCli } from '../support/helm.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export const casesDir = join(repoRoot, 'charts-test', 'cases', 'images');
export const caseFile = (name: string): string => join(casesDir, name);
export const readCase = (name: string): string => readFileSync(caseFile(name), 'utf8');

export function runCli(
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return runRealCli(args, { ...options, cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'eck-airgap-images-')) });
}

export const sharedFixtures = join(repoRoot, '..', 'shared', 'fixtures', 'eck-upstream');
