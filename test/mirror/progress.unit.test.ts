// The progress renderer of `mirror` (src/mirror/progress.ts), in process: sizes, the plain and live lines, and
// the reporter's rules (a live line rewritten in place and cleared before a finished line on a terminal; a plain
// line only once an image has copied one interval and only when its figures changed; nothing under --quiet).
// The CLI's own output, on a real pty too, is tested in test/commands/mirror-progress.test.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  CLEAR,
  Progress,
  describeFigures,
  formatBytes,
  liveLine,
  plainLine,
  type Figures,
} from '../../src/mirror/progress.js';

describe('the figures as text', () => {
  it('sizes in powers of 1000, three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.00 kB');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatBytes(123_456_789)).toBe('123 MB');
    expect(formatBytes(1_200_000_000)).toBe('1.20 GB');
  });

  it('what is known, never more: totals only when the source was read, bytes being written apart from done', () => {
    expect(describeFigures({ doneBlobs: 2, doneBytes: 12_300_000, totalBlobs: 5, totalBytes: 40_100_000 })).toBe(
      '2 of 5 blobs, 12.3 MB of 40.1 MB done',
    );
    expect(describeFigures({ doneBlobs: 1, doneBytes: 1000, writingBytes: 3_200_000 })).toBe(
      '1 blobs, 1.00 kB done, 3.20 MB being written',
    );
    expect(describeFigures(undefined)).toBe('copying (the destination cannot be asked how far)');
  });

  it('a plain line names the image (control characters escaped) and the seconds so far', () => {
    expect(plainLine('docker.elastic.co/x\x1b[31m:1', { doneBlobs: 0, doneBytes: 0 }, 12_500)).toBe(
      'eck-airgap: copying docker.elastic.co/x\\e[31m:1: 0 blobs, 0 B done, 12 s\n',
    );
  });

  it('the live line: each image short, cut to the terminal width', () => {
    const f: Figures = { doneBlobs: 1, doneBytes: 5_000_000, totalBlobs: 4, totalBytes: 36_000_000 };
    expect(liveLine([{ name: 'docker.elastic.co/kibana/kibana:8.16.1', figures: f }], 120)).toBe(
      'eck-airgap: copying kibana:8.16.1 5.00 MB/36.0 MB (1/4 blobs)',
    );
    const many = Array.from({ length: 9 }, (_, i) => ({ name: `docker.elastic.co/beats/beat${i}:9.1.0`, figures: f }));
    const line = liveLine(many, 60);
    expect(line).toHaveLength(59);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('the reporter', () => {
  const figures: Figures = { doneBlobs: 1, doneBytes: 10, totalBlobs: 2, totalBytes: 20 };

  it('on a terminal: the live line rewritten in place, cleared before a finished line and redrawn, cleared at the end', async () => {
    const out: string[] = [];
    const p = new Progress({ quiet: false, tty: true, intervalMs: 10, columns: 80, write: (t) => out.push(t) });
    const end = p.start('docker.elastic.co/a/a:1', () => Promise.resolve(figures));
    await sleep(60);
    expect(out.some((t) => t === `${CLEAR}eck-airgap: copying a:1 10 B/20 B (1/2 blobs)`)).toBe(true);
    p.line('eck-airgap: [1/2] other: copied\n');
    expect(out.at(-2)).toBe(`${CLEAR}eck-airgap: [1/2] other: copied\n`);
    expect(out.at(-1)).toMatch(/^\r\x1b\[2Keck-airgap: copying a:1/);
    end();
    p.stop();
    expect(out.at(-1)).toBe(CLEAR);
    // every live line begins on a cleared line; no live line ever ends with a line break
    expect(out.filter((t) => t.includes('copying')).every((t) => t.startsWith(CLEAR) && !t.endsWith('\n'))).toBe(true);
  });

  it('without a terminal: no line before one interval, then one per change; none when nothing changed', async () => {
    const out: string[] = [];
    let current: Figures = { doneBlobs: 0, doneBytes: 0, totalBlobs: 2, totalBytes: 20 };
    const p = new Progress({ quiet: false, tty: false, intervalMs: 20, write: (t) => out.push(t) });
    const end = p.start('img:1', () => Promise.resolve(current));
    expect(out).toEqual([]);
    await sleep(120);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^eck-airgap: copying img:1: 0 of 2 blobs, 0 B of 20 B done, 0 s\n$/);
    current = figures;
    await sleep(120);
    expect(out).toHaveLength(2);
    expect(out[1]).toMatch(/1 of 2 blobs, 10 B of 20 B done/);
    p.line('done\n');
    expect(out.at(-1)).toBe('done\n');
    end();
    p.stop();
    expect(out.join('')).not.toContain('\r');
  });

  it('--quiet: nothing, and the watch is never asked', async () => {
    const out: string[] = [];
    let asked = 0;
    const p = new Progress({ quiet: true, tty: true, intervalMs: 5, write: (t) => out.push(t) });
    const end = p.start('img:1', () => {
      asked++;
      return Promise.resolve(figures);
    });
    await sleep(40);
    end();
    p.stop();
    expect(out).toEqual([]);
    expect(asked).toBe(0);
  });
});
