/**
 * Reads a file a user named (`--authfile`, `--ca-file`, the config file) with bounds: only a regular file, or a
 * FIFO / pipe that has a writer (so `--authfile <(vault read …)` keeps working), never more than `maxBytes`, and
 * never a wait without end. A device (`/dev/zero`), a socket or a directory is refused before it is opened; a
 * file larger than the cap is refused from its size without being read; a FIFO is opened non-blocking (an open
 * of a FIFO without a writer would block the process forever) and read until its writer closes it, for at most
 * `fifoWaitMs` for a writer to appear and `fifoWriteMs` for it to finish (no writer at all, or a writer that
 * never finishes, ends in an error, not a hang).
 *
 * Synchronous on purpose: its callers read settings before anything else runs. The waits poll (Atomics.wait on
 * a private buffer) at a few milliseconds a round.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

export interface BoundedReadOptions {
  /** How messages name the file, e.g. `--authfile`, `config file`. */
  readonly what: string;
  readonly maxBytes: number;
  /** Accept a FIFO or pipe with a writer (default true). */
  readonly allowFifo?: boolean;
  /** The longest a FIFO may wait for a writer to open it (default 5 s; 0: a FIFO without a writer now is refused at once). */
  readonly fifoWaitMs?: number;
  /** The longest a FIFO's writer may take to write it and close it (default 30 s). */
  readonly fifoWriteMs?: number;
  /**
   * Refuse a symbolic link at the last component (lstat, then O_NOFOLLOW, so a link swapped in between is refused
   * too): for a file the CLI itself wrote and reads back (the images lock). Off by default: auth, CA and config
   * files are often links (Kubernetes mounts Secret and ConfigMap keys through them).
   */
  readonly noFollow?: boolean;
}

/** Why a file could not be read; `code` is the errno code when there is one (`ENOENT` for a missing file). */
export class BoundedReadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);

function kind(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isFIFO()) return 'a pipe (FIFO)';
  return 'not a regular file';
}

const mib = (n: number): string =>
  n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;

/** The bytes of `path`, or a BoundedReadError saying, in one sentence, why not. */
export function readBounded(path: string, options: BoundedReadOptions): Buffer {
  const allowFifo = options.allowFifo ?? true;
  const wanted = allowFifo ? 'a regular file (or a pipe that is being written)' : 'a regular file';
  const fail = (why: string, code?: string): BoundedReadError =>
    new BoundedReadError(`${options.what} ${path}: ${why}`, code);
  const link = (): BoundedReadError => fail('a symbolic link; give the file it points to', 'ELOOP');
  let before: Stats;
  try {
    before = options.noFollow ? lstatSync(path) : statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(error)})`, code);
  }
  if (before.isSymbolicLink()) throw link();
  const fifo = before.isFIFO();
  if (!before.isFile() && !(fifo && allowFifo))
    throw fail(`not a regular file (${kind(before)}); it must be ${wanted}`, 'EINVAL');
  if (before.isFile() && before.size > options.maxBytes)
    throw fail(`${before.size} bytes, more than the ${mib(options.maxBytes)} such a file may have`, 'EFBIG');
  let fd: number;
  try {
    const noFollow = options.noFollow ? constants.O_NOFOLLOW : 0;
    fd = openSync(path, constants.O_RDONLY | constants.O_NOCTTY | constants.O_NONBLOCK | noFollow);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' && options.noFollow) throw link();
    throw fail(`cannot read it (${code ?? String(error)})`, code);
  }
  try {
    const stat = fstatSync(fd);
    // what was opened is what was checked (not swapped in between)
    if (stat.ino !== before.ino || stat.dev !== before.dev) throw fail('changed while it was opened', 'EAGAIN');
    const chunks: Buffer[] = [];
    let size = 0;
    const buffer = Buffer.alloc(64 * 1024);
    const started = Date.now();
    const waitMs = options.fifoWaitMs ?? 5000;
    const writeMs = options.fifoWriteMs ?? 30_000;
    const deadline = started + writeMs;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (fifo && code === 'EAGAIN') {
          // a writer is there but has not written yet
          if (Date.now() > deadline) throw fail(`its writer did not finish within ${writeMs / 1000} s`, 'ETIMEDOUT');
          sleep(5);
          continue;
        }
        throw fail(`cannot read it (${code ?? String(error)})`, code);
      }
      if (n === 0) {
        // EOF. On a FIFO before any writer opened it, reads give EOF too: wait (bounded) for a writer.
        if (fifo && size === 0 && Date.now() <= started + waitMs) {
          sleep(20);
          continue;
        }
        if (fifo && size === 0 && waitMs === 0)
          throw fail(`not a regular file (a pipe (FIFO) with no writer); it must be ${wanted}`, 'EINVAL');
        if (fifo && size === 0)
          throw fail(`a FIFO that no one wrote to within ${waitMs / 1000} s; give a regular file`, 'ETIMEDOUT');
        break;
      }
      size += n;
      if (fifo && Date.now() > deadline)
        throw fail(`its writer did not finish within ${writeMs / 1000} s`, 'ETIMEDOUT');
      if (size > options.maxBytes) throw fail(`more than the ${mib(options.maxBytes)} such a file may have`, 'EFBIG');
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}
