// src/io/read-bounded.ts in process (reached before only through the CLI's --authfile, --ca-file, -c and --lock):
// a regular file or a FIFO with a writer, capped; a device, a directory, a FIFO without a writer refused; a link
// followed by default (Kubernetes mounts Secret keys through links) and refused with noFollow (the images lock).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BoundedReadError, readBounded } from '../../src/io/read-bounded.js';

const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-read-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content, { flag: 'wx' });
  return path;
};
const refusal = (read: () => unknown): BoundedReadError => {
  try {
    read();
  } catch (error) {
    if (error instanceof BoundedReadError) return error;
    throw error;
  }
  throw new Error('read, not refused');
};

describe('readBounded', () => {
  it('reads a regular file whole; one past the cap is refused from its size, naming the file and what it is', () => {
    const path = file('ok.json', '{"auths":{}}');
    expect(readBounded(path, { what: '--authfile', maxBytes: 64 }).toString()).toBe('{"auths":{}}');
    const big = file('big.json', '');
    truncateSync(big, 65);
    const error = refusal(() => readBounded(big, { what: '--authfile', maxBytes: 64 }));
    expect(error.code).toBe('EFBIG');
    expect(error.message).toBe(`--authfile ${big}: 65 bytes, more than the 64 bytes such a file may have`);
  });

  it('a missing file, a directory and a device are refused with their reason', () => {
    expect(refusal(() => readBounded(join(dir, 'absent'), { what: 'x', maxBytes: 10 }))).toMatchObject({
      code: 'ENOENT',
      message: `x ${join(dir, 'absent')}: no such file`,
    });
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(refusal(() => readBounded(sub, { what: 'x', maxBytes: 10 })).message).toMatch(
      /not a regular file \(a directory\)/,
    );
    expect(refusal(() => readBounded('/dev/zero', { what: 'x', maxBytes: 10 })).message).toMatch(
      /not a regular file \(a device\)/,
    );
  });

  it('a FIFO: refused where allowFifo is false, and at once without a writer where fifoWaitMs is 0', () => {
    const fifo = join(dir, 'f.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(refusal(() => readBounded(fifo, { what: 'CA bundle', maxBytes: 10, allowFifo: false })).message).toMatch(
      /not a regular file \(a pipe \(FIFO\)\); it must be a regular file$/,
    );
    const started = Date.now();
    expect(refusal(() => readBounded(fifo, { what: 'config file', maxBytes: 10, fifoWaitMs: 0 })).message).toMatch(
      /a pipe \(FIFO\) with no writer/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a link at the last component: followed by default, refused with noFollow (ELOOP), a link to a directory too', () => {
    const target = file('target.yaml', 'kind: ImagesLock\n');
    const link = join(dir, 'link.yaml');
    symlinkSync(target, link);
    expect(readBounded(link, { what: 'config file', maxBytes: 100 }).toString()).toBe('kind: ImagesLock\n');
    expect(readBounded(target, { what: 'lock file', maxBytes: 100, noFollow: true }).toString()).toBe(
      'kind: ImagesLock\n',
    );
    const error = refusal(() => readBounded(link, { what: 'lock file', maxBytes: 100, noFollow: true }));
    expect(error.code).toBe('ELOOP');
    expect(error.message).toBe(`lock file ${link}: a symbolic link; give the file it points to`);
    const toDir = join(dir, 'dir-link');
    symlinkSync(dir, toDir);
    expect(refusal(() => readBounded(toDir, { what: 'lock file', maxBytes: 100, noFollow: true })).code).toBe('ELOOP');
    // a link in a folder above the last component is followed either way (only the last component is checked)
    const viaDir = join(toDir, 'target.yaml');
    expect(readBounded(viaDir, { what: 'lock file', maxBytes: 100, noFollow: true }).toString()).toBe(
      'kind: ImagesLock\n',
    );
  });
});
