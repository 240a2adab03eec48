/**
 * Writes to stdout and stderr. Both are written with blocking writes straight to file descriptors 1 and 2: the
 * streams `process.stdout` / `process.stderr` would load a dozen Node modules (net, tty, streams) on every run,
 * as much as a render of a small chart costs. Should a descriptor be non-blocking (EAGAIN: a terminal or pipe
 * another process made so), what is left is written through its stream, and so is everything after it, in order.
 * The whole result is written at once; a reader that goes away (`| head -1`) ends the run quietly.
 */
import { writeSync } from 'node:fs';

let guarded = false;
let stderrGuarded = false;
/** Writes handed to a stream and not yet done (only after a descriptor turned out non-blocking). */
let pending = 0;
let settle: (() => void) | undefined;

function streamWriteDone(): void {
  pending--;
  if (pending === 0) settle?.();
}

/** Resolves once every write handed to a stream is done: from then on the process can exit without losing output. */
export function outputWritten(): Promise<void> {
  return pending === 0 ? Promise.resolve() : new Promise((resolve) => (settle = resolve));
}
/** Descriptors that turned out non-blocking: from then on written through their streams. */
const streamed = new Set<1 | 2>();

/**
 * Stdout could not be written (`> /dev/full`, a closed or broken descriptor): one paragraph on stderr and exit 2
 * (the place the output was sent to is the problem, not the input). A reader that went away (EPIPE) is not an error.
 */
function outputFailed(error: unknown): never {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
  const why = code === 'ENOSPC' ? 'no space left on device' : code === 'EBADF' ? 'stdout is not open' : (error as Error)?.message ?? String(error);
  writeStderr(`eck-airgap: cannot write the output to stdout: ${why}${code && !why.includes(code) ? ` (${code})` : ''}. Nothing complete was written; send stdout somewhere writable and run again.\n`);
  process.exit(2);
}

/** Installs the handler for errors of the stdout stream (once, when it is first used). */
function guardStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', outputFailed);
}

/** Writes text to fd with blocking writes; returns what is left when the descriptor is non-blocking. Throws other errors. */
function writeAll(fd: 1 | 2, text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return bytes.subarray(at);
      throw error;
    }
  }
  return undefined;
}

export function writeStdout(text: string): Promise<void> {
  if (text.length === 0) return Promise.resolve();
  let rest: Buffer | string | undefined = text;
  if (!streamed.has(1)) {
    try {
      rest = writeAll(1, text);
    } catch (error) {
      outputFailed(error);
    }
    if (rest === undefined) return Promise.resolve();
    streamed.add(1);
  }
  guardStdout();
  const left = rest;
  pending++;
  return new Promise((resolve) => {
    try {
      process.stdout.write(left, (error) => {
        if (error) outputFailed(error);
        streamWriteDone();
        resolve();
      });
    } catch (error) {
      outputFailed(error);
    }
  });
}

/** Writes to stderr; when stderr is gone, nothing more can be said there (the exit code says it). */
export function writeStderr(text: string): void {
  if (text.length === 0) return;
  let rest: Buffer | string | undefined = text;
  if (!streamed.has(2)) {
    try {
      rest = writeAll(2, text);
    } catch {
      return;
    }
    if (rest === undefined) return;
    streamed.add(2);
  }
  try {
    if (!stderrGuarded) process.stderr.on('error', () => {});
    stderrGuarded = true;
    pending++;
    process.stderr.write(rest, streamWriteDone);
  } catch {
    // stderr is gone
  }
}
