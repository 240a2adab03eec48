// Types for scripts/fuzz/run-cli.mjs.
export declare const repoRoot: string;
export declare const cliPath: string;
export interface CliRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: Buffer;
  stderr: string;
  ms: number;
  /** Peak resident set size in KiB, when measured and the process exited by itself. */
  maxRssKiB: number | undefined;
}
export interface RunOptions {
  timeoutMs?: number;
  measureRss?: boolean;
  env?: Record<string, string>;
  cwd?: string;
  command?: string;
}
export declare function runCli(args: readonly string[], input: Buffer | string, options?: RunOptions): Promise<CliRun>;
