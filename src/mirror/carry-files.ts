/**
 * Files of a carried directory, read as a carried directory's author might have planted them: only regular files
 * (no FIFO, device, directory or symbolic link, not even one that stays inside: a link is never followed), read
 * through a descriptor opened with O_NOFOLLOW | O_NONBLOCK, checked again on the descriptor, and never more than a
 * cap. The error messages name the file and what it is, never its content. Writes are atomic: a temporary file
 * with a random name created exclusively (O_CREAT | O_EXCL, so never through an existing file or link), then
 * renamed over the target (a link at the target is replaced, not followed).
 */
import { writeAtomic } from '../io/write-atomic.js';
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';

/** A problem with one file of a carry, said in one sentence naming the file. */
export class CarryFileError extends Error {}

function what(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link (a carry holds regular files only; it is not followed)';
  if (stats.isFIFO()) return 'a FIFO, not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device, not a regular file';
  if (stats.isDirectory()) return 'a directory, not a regular file';
  if (stats.isSocket()) return 'a socket, not a regular file';
  return 'not a regular file';
}

/** lstat, or undefined when nothing is there. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw new CarryFileError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/** Opens a regular file (never through a link) and returns its descriptor and size; the caller closes it. */
export function openRegular(path: string): { fd: number; size: number } {
  const before = lstatOrUndefined(path);
  if (!before) throw new CarryFileError(`${path}: not found.`);
  if (!before.isFile()) throw new CarryFileError(`${path}: ${what(before)}.`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw new CarryFileError(`${path}: cannot be opened (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const stats = fstatSync(fd);
  if (!stats.isFile() || stats.ino !== before.ino || stats.dev !== before.dev) {
    closeSync(fd);
    throw new CarryFileError(`${path}: changed while it was opened; not read.`);
  }
  return { fd, size: stats.size };
}

/** The whole of a regular file of at most `cap` bytes. */
export function readRegular(path: string, cap: number): Buffer {
  const { fd, size } = openRegular(path);
  try {
    if (size > cap)
      throw new CarryFileError(`${path}: ${size} bytes, more than the ${cap} a file of this kind may have; not read.`);
    const buffer = Buffer.alloc(Math.min(size, cap) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > cap) throw new CarryFileError(`${path}: grew past ${cap} bytes while read; not read.`);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Is `path` a real directory (not a link to one)? */
export function isRealDirectory(path: string): boolean {
  return lstatOrUndefined(path)?.isDirectory() === true;
}

export { writeAtomic };
