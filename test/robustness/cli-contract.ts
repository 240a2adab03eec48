// Shared by the robustness tests: run the real CLI on one input and assert the contract of issue 7
// (scripts/fuzz/contract.mjs), returning the run for the test's own, more specific assertions.
import { expect } from 'vitest';
import { contractViolations, type RunOutcome } from '../../scripts/fuzz/contract.mjs';
import { runCliBytes } from '../support/cli.js';

export const REGISTRY = ['--registry', 'mirror.example:5000'];

/** One run of the CLI (test/support/cli.ts) on these bytes, in the shape the fuzz contract checks. */
export async function runOn(args: readonly string[], input: string | Buffer, timeoutMs = 30_000): Promise<RunOutcome> {
  const run = await runCliBytes(args, { input, timeout: timeoutMs });
  return {
    ...run,
    exitCode: run.signal === undefined ? run.exitCode : null,
    signal: (run.signal ?? null) as NodeJS.Signals | null,
  };
}

export async function renderChecked(
  input: string | Buffer,
  args: readonly string[] = REGISTRY,
  timeoutMs = 30_000,
): Promise<RunOutcome> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const run = await runOn(args, bytes, timeoutMs);
  expect(contractViolations(bytes, run), `stderr: ${run.stderr.slice(0, 500)}`).toEqual([]);
  return run;
}

/** Exit 0: the output as text. */
export async function renders(input: string | Buffer, args: readonly string[] = REGISTRY): Promise<string> {
  const run = await renderChecked(input, args);
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout.toString('utf8');
}

/** Exit 1 (bad input): the message on stderr. */
export async function rejects(input: string | Buffer, args: readonly string[] = REGISTRY): Promise<string> {
  const run = await renderChecked(input, args);
  expect(run.exitCode, run.stderr).toBe(1);
  expect(run.stdout.length).toBe(0);
  return run.stderr;
}

export function deployment(name: string, image: string, eol = '\n'): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: main',
    `          image: ${image}`,
    '',
  ].join(eol);
}
