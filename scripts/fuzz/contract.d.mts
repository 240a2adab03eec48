// Types for scripts/fuzz/contract.mjs.
export interface RunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: Buffer;
  stderr: string;
}
export declare function documentsOf(text: string): string[];
export declare function foreignChanges(before: unknown, after: unknown, path?: string[], found?: string[]): string[];
export declare function contractViolations(input: Buffer, run: RunOutcome): string[];
