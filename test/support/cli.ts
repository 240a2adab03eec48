// The real CLI (./eck-airgap) as a process, for render tests. Reuses runCli from ./helm.ts (execa, a clean
// environment without ECK_AIRGAP_* / ARGOCD_ENV_* / HELM_* from the developer's shell, never throws on exit codes).
import { runCli, repoRoot, cliPath, type HelmResult } from './helm.js';

export { runCli, repoRoot, cliPath };
export type CliResult = HelmResult;

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
}

/** `./eck-airgap --registry my.registry [args…]` with `input` on stdin. */
export function render(input: string, args: string[] = [], options: RunOptions = {}): Promise<CliResult> {
  return runCli(['--registry', 'my.registry', ...args], { input, ...options });
}

/** Like render, but fails the test with stderr unless the CLI exits 0; returns stdout. */
export async function renderOk(input: string, args: string[] = [], options: RunOptions = {}): Promise<string> {
  const result = await render(input, args, options);
  if (result.exitCode !== 0) {
    throw new Error(`eck-airgap exited ${result.exitCode}:\n${result.stderr}`);
  }
  return result.stdout;
}

/** The lines of a text, line breaks kept, so a diff can tell CRLF from LF. */
export function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Compares a document before and after render line by line: every input line must appear in the output in order,
 * unchanged or changed in place; output lines with no input counterpart are insertions. Returns the changed
 * pairs and the inserted lines (a line-level LCS; small documents only).
 */
export function lineChanges(
  before: string,
  after: string,
): { changed: [string, string][]; inserted: string[]; removed: string[] } {
  const a = linesOf(before);
  const b = linesOf(after);
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  const changed: [string, string][] = [];
  const inserted: string[] = [];
  const flush = (): void => {
    // A run of removed lines facing a run of added lines: pair them up as in-place changes, the rest inserted.
    const k = Math.min(removed.length, added.length);
    for (let x = 0; x < k; x++) changed.push([removed[x]!, added[x]!]);
    inserted.push(...added.slice(k));
    const leftover = removed.slice(k);
    removed.length = 0;
    added.length = 0;
    gone.push(...leftover);
  };
  const gone: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      added.push(b[j++]!);
    } else {
      removed.push(a[i++]!);
    }
  }
  flush();
  return { changed, inserted, removed: gone };
}
