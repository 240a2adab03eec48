/**
 * Files eck-airgap writes whole (a carry's record and index, the images lock, policy files): a temporary file beside
 * the target with a random name, created exclusively (O_EXCL|O_NOFOLLOW, so never through a planted file or link),
 * written, synced, then renamed over the target. A reader sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes `content` to `file` atomically: an exclusive temporary file beside it, fsync, rename. */
export function writeAtomic(file: string, content: string | Buffer): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, file);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // closed already
    }
    try {
      unlinkSync(temp);
    } catch {
      // renamed already, or never there
    }
    throw error;
  }
}
