// THE runner of the CLI in the tests: the real ./eck-airgap as a process (execa, an argument array, no shell), in
// an environment without ECK_AIRGAP_* / ARGOCD_ENV_* / HELM_* from the developer's shell, never throwing on an exit
// code (the tests assert on it). Every test that runs the CLI goes through runCli or startCli; the variants a test
// needs are options of these two, not runners of their own:
// - input: stdin bytes (a pipe); stdinFile: stdin opened from a path (a file, a directory, a device); neither:
//   stdin is /dev/null;
// - pipes: texts on descriptors 3, 4, … as pipes with a writer, named /dev/fd/3 … in argv (bash's `<(…)`);
// - stdoutFile: stdout opened onto a path (e.g. /dev/full);
// - env on top of the clean environment, or bareEnv: only PATH (and HOME) and env;
// - cwd (default the repository), timeout (SIGKILL, timedOut true);
// - command: another eck-airgap (a copy of the launcher, the single executable, `node dist/eck-airgap.mjs`);
// - node: the launcher on that node (its folder first on PATH), as scripts/test-on-pinned-node.mjs runs the suites;
// - tty: stdin, stdout and stderr a terminal (util-linux `script`; Node cannot open a pseudo-terminal itself).
// scripts/fuzz/run-cli.mjs stays for the fuzz and stress runs only: they run on plain node, outside vitest, where
// this TypeScript file cannot be imported, and they measure peak memory through a preload.
import { closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execa, type Options, type ResultPromise } from 'execa';
import { repoRoot } from '../../scripts/extract-tools.mjs';

export { repoRoot };

/** The launcher at the repository root (the one Helm is pointed at with `--post-renderer`). */
export const cliPath = join(repoRoot, 'eck-airgap');

/** The charts-test cases the images, check and plan tests read. */
export const casesDir = join(repoRoot, 'charts-test', 'cases', 'images');
export const caseFile = (name: string): string => join(casesDir, name);
export const readCase = (name: string): string => readFileSync(caseFile(name), 'utf8');
/** Elastic's own chart output, when ../shared is next to the checkout (the upstream suites skip without it). */
export const sharedFixtures = join(repoRoot, '..', 'shared', 'fixtures', 'eck-upstream');

/**
 * The parent environment without Helm or eck-airgap settings (HELM_PLUGINS, HELM_DRIVER, ECK_AIRGAP_REGISTRY,
 * ARGOCD_ENV_…), so a developer's shell cannot change what the tests see; then the given variables on top.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(HELM_|ECK_AIRGAP_|ARGOCD_ENV_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export interface CliOptions {
  /** Bytes on stdin, through a pipe. */
  input?: string | Buffer;
  /** stdin opened from this path instead (a regular file, a directory, a device; not a FIFO without a writer). */
  stdinFile?: string;
  /** Texts on descriptors 3, 4, … (pipes with a writer: bash's `<(…)`): name them `/dev/fd/3` … in args. */
  pipes?: readonly string[];
  /** stdout opened onto this path (e.g. /dev/full); the result's stdout is then empty. */
  stdoutFile?: string;
  /** Variables on top of the clean environment (or of the bare one). */
  env?: Record<string, string>;
  /** Only PATH (the parent's, unless env gives one) and env: nothing else of the parent's environment. */
  bareEnv?: boolean;
  /** Working directory (default: the repository). */
  cwd?: string;
  /** Kill (SIGKILL) after this many milliseconds; the result says timedOut. */
  timeout?: number;
  /** What runs instead of ./eck-airgap: a path, or an argv prefix (`[process.execPath, 'dist/eck-airgap.mjs']`). */
  command?: string | readonly string[];
  /** The node binary the launcher runs on: its folder goes first on PATH. */
  node?: string;
  /** Run on a pseudo-terminal (stdin, stdout and stderr; stderr arrives in stdout, with CRLF line ends). */
  tty?: boolean;
}

export interface CliResult {
  /** The exit code; -1 when the process was killed by a signal. */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The signal that ended the process, if one did. */
  signal?: string | undefined;
  timedOut: boolean;
  /** Wall time of the run in milliseconds. */
  ms: number;
}

/** A run whose stdout is kept as bytes (for the robustness contract, which checks UTF-8 itself). */
export interface CliBytesResult extends Omit<CliResult, 'stdout'> {
  stdout: Buffer;
}

/** What a started CLI gives before it ends: its pid and stderr as it comes, kill, and the result. */
export interface CliProcess {
  readonly pid: number | undefined;
  /** stdout as it comes (absent with stdoutFile); destroy it to close the reader's end early. */
  readonly stdout: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
  readonly stderr: NodeJS.ReadableStream;
  kill(signal?: NodeJS.Signals): boolean;
  readonly result: Promise<CliResult>;
}

/** A word for `sh -c` (the tty run only: `script` takes one command line). */
const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

interface Prepared {
  file: string;
  argv: string[];
  options: Options;
  cleanup: () => void;
}

function prepare(args: readonly string[], options: CliOptions): Prepared {
  // the config-file default (./eck-airgap.yaml) must not reach a run that did not ask for it
  if (options.cwd === undefined && existsSync(join(repoRoot, 'eck-airgap.yaml')))
    throw new Error(`runCli: ${join(repoRoot, 'eck-airgap.yaml')} would be read as the config file; remove it`);
  const prefix = options.command === undefined ? [cliPath] : [options.command].flat();
  let env = options.bareEnv ? { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...options.env } : cleanEnv(options.env);
  if (options.node !== undefined) env = { ...env, PATH: `${dirname(options.node)}${delimiter}${env['PATH'] ?? ''}` };
  const fds: number[] = [];
  const open = (path: string, flags: number): number => {
    const fd = openSync(path, flags);
    fds.push(fd);
    return fd;
  };
  const stdin =
    options.stdinFile !== undefined
      ? open(options.stdinFile, constants.O_RDONLY)
      : options.input === undefined
        ? ('ignore' as const)
        : ('pipe' as const);
  const stdout = options.stdoutFile === undefined ? ('pipe' as const) : open(options.stdoutFile, constants.O_WRONLY);
  let file = prefix[0]!;
  let argv = [...prefix.slice(1), ...args];
  if (options.tty) {
    // script(1) -e: its own exit status is the command's; -q: no start and end lines; the log goes nowhere.
    const line = [file, ...argv].map(quote).join(' ');
    file = 'script';
    argv = ['-qec', line, '/dev/null'];
  }
  if (options.pipes !== undefined && options.pipes.length > 0 && options.tty)
    throw new Error('runCli: pipes and tty do not go together');
  if (options.input !== undefined && options.stdinFile !== undefined)
    throw new Error('runCli: input or stdinFile, not both');
  if (options.pipes !== undefined && options.pipes.length > 0) {
    // Node's child pipes are socket pairs; a real pipe with a writer comes from bash's process substitution, its
    // text passed in the environment (not in argv) and removed before the CLI is exec'd.
    const fdsOf = options.pipes.map((_, index) => 3 + index);
    const script = [
      ...fdsOf.map((fd) => `exec ${fd}< <(printf %s "$TEST_PIPE_${fd}")`),
      `unset ${fdsOf.map((fd) => `TEST_PIPE_${fd}`).join(' ')}`,
      'exec "$0" "$@"',
    ].join('; ');
    options.pipes.forEach((content, index) => (env[`TEST_PIPE_${3 + index}`] = content));
    argv = ['-c', script, file, ...argv];
    file = 'bash';
  }
  const stdio = [stdin, stdout, 'pipe' as const] as const;
  return {
    file,
    argv,
    options: {
      cwd: options.cwd ?? repoRoot,
      env,
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      encoding: 'buffer' as const,
      // a descriptor number is handed to the child as it is (execa's types list only 0-2; it passes any)
      stdio: stdio as unknown as Options['stdio'],
      ...(options.timeout === undefined ? {} : { timeout: options.timeout, killSignal: 'SIGKILL' as const }),
      ...(options.input === undefined || options.stdinFile !== undefined ? {} : { input: options.input }),
    },
    cleanup: () => {
      for (const fd of fds) closeSync(fd);
    },
  };
}

function spawnCli(args: readonly string[], options: CliOptions): { child: ResultPromise; started: number } & Prepared {
  const prepared = prepare(args, options);
  const started = Date.now();
  const child = execa(prepared.file, prepared.argv, prepared.options) as ResultPromise;
  return { child, started, ...prepared };
}

async function settle(child: ResultPromise, started: number, cleanup: () => void): Promise<CliBytesResult> {
  try {
    const result = await child;
    const bytes = (value: unknown): Buffer =>
      value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : Buffer.alloc(0);
    return {
      exitCode: result.exitCode ?? -1,
      stdout: bytes(result.stdout),
      stderr: bytes(result.stderr).toString('utf8'),
      signal: result.signal ?? undefined,
      timedOut: result.timedOut,
      ms: Date.now() - started,
    };
  } finally {
    cleanup();
  }
}

const asText = (run: CliBytesResult): CliResult => ({ ...run, stdout: run.stdout.toString('utf8') });

/** Runs the real CLI (./eck-airgap) as a process: see the options. Never throws on the exit code. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const { child, started, cleanup } = spawnCli(args, options);
  return asText(await settle(child, started, cleanup));
}

/** runCli with stdout as the bytes the CLI wrote. */
export async function runCliBytes(args: readonly string[], options: CliOptions = {}): Promise<CliBytesResult> {
  const { child, started, cleanup } = spawnCli(args, options);
  return settle(child, started, cleanup);
}

/** Starts the real CLI and returns at once: for tests that watch stderr as it comes, signal it, or kill its children. */
export function startCli(args: readonly string[], options: CliOptions = {}): CliProcess {
  const { child, started, cleanup } = spawnCli(args, options);
  return {
    pid: child.pid,
    stdout: child.stdout ?? undefined,
    stderr: child.stderr!,
    kill: (signal?: NodeJS.Signals) => child.kill(signal),
    result: settle(child, started, cleanup).then(asText),
  };
}

/** A temporary working directory with nothing in it (no eck-airgap.yaml the config-file default would read). */
export function emptyDir(prefix = 'eck-airgap-cwd-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes text to a new file in a new temporary folder and returns its path (for stdinFile and FILE arguments). */
export function tempFile(name: string, content: string | Buffer): string {
  const path = join(emptyDir('eck-airgap-file-'), name);
  writeFileSync(path, content, { flag: 'wx' });
  return path;
}

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
