/**
 * Writes to stdout and stderr. Both are written with blocking writes straight to file descriptors 1 and 2: the
 * streams `process.stdout` / `process.stderr` would load a dozen Node modules (net, tty, streams) on every run,
 * as much as a render of a small chart costs. Should a descriptor be non-blocking (EAGAIN: a terminal or pipe
 * another process made so), what is left is written through its stream, and so is everything after it, in order.
 * The whole result is ready before its first byte is written; a reader that goes away (`| head -1`) ends the run
 * quietly.
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
 * (the place the output was sent to is the problem, not the input). A reader that went away is not an error: EPIPE,
 * or ECONNRESET when stdout is a socket (as Node's and libuv's child pipes are) and the reader closed it with output
 * unread while a write was waiting for room.
 */
function outputFailed(error: unknown): never {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE' || code === 'ECONNRESET') process.exit(process.exitCode ?? 0);
  const why =
    code === 'ENOSPC'
      ? 'no space left on device'
      : code === 'EBADF'
        ? 'stdout is not open'
        : ((error as Error)?.message ?? String(error));
  writeStderr(
    `eck-airgap: cannot write the output to stdout: ${why}${code && !why.includes(code) ? ` (${code})` : ''}. Nothing complete was written; send stdout somewhere writable and run again.\n`,
  );
  process.exit(2);
}

/** Installs the handler for errors of the stdout stream (once, when it is first used). */
function guardStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', outputFailed);
}

/** Text to write: one string, or parts written one after another (a stream is written without joining it). */
export type OutputText = string | readonly string[];

/**
 * The buffer text is encoded into before it is written, reused: encoding a large output into a new buffer (or
 * joining its parts first) touched megabytes of fresh memory, whose page faults cost more than the writes.
 */
let scratch: Buffer | undefined;
const SCRATCH_BYTES = 1 << 18;

/**
 * Writes the text to fd with blocking writes, encoded as UTF-8 a piece at a time. Returns what is left when the
 * descriptor turns out non-blocking (EAGAIN): the bytes not yet written, then the text not yet encoded. Throws
 * other errors.
 */
function writeAll(fd: 1 | 2, text: OutputText): (Buffer | string)[] | undefined {
  const parts = typeof text === 'string' ? [text] : text;
  const buffer = (scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES));
  let filled = 0;
  /** Writes the buffer out; false when the descriptor would block (what was not written stays at the front). */
  const flush = (): boolean => {
    let at = 0;
    while (at < filled) {
      try {
        at += writeSync(fd, buffer, at, filled - at);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        buffer.copy(buffer, 0, at, filled);
        filled -= at;
        return false;
      }
    }
    filled = 0;
    return true;
  };
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    let i = 0;
    while (i < part.length) {
      // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4): `room` units always fit.
      const room = Math.floor((buffer.length - filled) / 3);
      if (room < 4096 && filled > 0) {
        if (!flush()) return [Buffer.from(buffer.subarray(0, filled)), part.slice(i), ...parts.slice(p + 1)];
        continue;
      }
      let end = Math.min(part.length, i + room);
      // Never split a surrogate pair between two pieces.
      if (end < part.length && (part.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
      filled += buffer.write(i === 0 && end === part.length ? part : part.slice(i, end), filled);
      i = end;
    }
  }
  if (!flush()) return [Buffer.from(buffer.subarray(0, filled))];
  return undefined;
}

export function writeStdout(text: OutputText): Promise<void> {
  if (text.length === 0) return Promise.resolve();
  let rest: (Buffer | string)[] | undefined;
  if (!streamed.has(1)) {
    try {
      rest = writeAll(1, text);
    } catch (error) {
      outputFailed(error);
    }
    if (rest === undefined) return Promise.resolve();
    streamed.add(1);
  } else {
    rest = typeof text === 'string' ? [text] : [...text];
  }
  guardStdout();
  const left = rest.filter((piece) => piece.length > 0);
  if (left.length === 0) return Promise.resolve();
  pending++;
  return new Promise((resolve) => {
    try {
      // In order, each handed to the stream; the promise settles when the last is written.
      left.forEach((piece, k) =>
        process.stdout.write(
          piece,
          k < left.length - 1
            ? undefined
            : (error) => {
                if (error) outputFailed(error);
                streamWriteDone();
                resolve();
              },
        ),
      );
    } catch (error) {
      outputFailed(error);
    }
  });
}

/** Writes to stderr; when stderr is gone, nothing more can be said there (the exit code says it). */
export function writeStderr(text: string): void {
  if (text.length === 0) return;
  let rest: (Buffer | string)[] | undefined = [text];
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
    const left = rest.filter((piece) => piece.length > 0);
    pending += left.length;
    for (const piece of left) process.stderr.write(piece, streamWriteDone);
  } catch {
    // stderr is gone
  }
}
