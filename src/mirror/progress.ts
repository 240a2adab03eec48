/**
 * Progress of `mirror` while an image copies, on stderr only (stdout may carry a report). On a terminal (stderr a
 * TTY) one live line, rewritten in place (`\r`, then ESC[2K to clear it) every second; the lines of finished
 * images are printed above it. Otherwise (CI, a pipe, a file) a plain line per image every 5 s, only when its
 * figures changed since its last line. `--quiet` prints none.
 *
 * The figures (src/mirror/progress-watch.ts) are what the destination shows, never what skopeo announces: skopeo
 * 1.9.3 without a terminal prints `Copying blob sha256:…` when a blob *starts* (no size, no "done"), and its
 * progress bars only on a terminal. So a blob counts as done only once the destination holds it: in the
 * --to-dir layout, its file under blobs/sha256 at its size (skopeo renames it there after checking its digest),
 * plus the bytes of the blob files skopeo is still writing in the image's stage; on a registry, the mirror
 * answering `HEAD /v2/<name>/blobs/<digest>`. Sizes come from the source's manifests (config and layer sizes).
 * The interval can be lowered with the hidden `mirror --progress-interval MS` (for the tests; not in the README).
 */
import { escapeControls } from './text.js';

export interface Figures {
  /** Blobs (configs and layers) the destination holds, and their bytes. */
  readonly doneBlobs: number;
  readonly doneBytes: number;
  /** What the image has in all, when the source's manifests could be read. */
  readonly totalBlobs?: number;
  readonly totalBytes?: number;
  /** Bytes of blobs being written right now (--to-dir only). */
  readonly writingBytes?: number;
}

/** Polled for an image's figures; undefined when nothing can be said (the destination cannot be asked). */
export type Watch = () => Promise<Figures | undefined>;

export interface ProgressOptions {
  readonly quiet: boolean;
  /** stderr is a terminal. */
  readonly tty: boolean;
  /** Milliseconds between updates (default: 1000 on a terminal, 5000 otherwise). */
  readonly intervalMs?: number;
  /** The terminal's width (the live line is cut to it). */
  readonly columns?: number;
  readonly write: (text: string) => void;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** 0 B, 512 B, 12.3 MB, 1.20 GB (powers of 1000, as skopeo and registries print sizes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** `2 of 5 blobs, 12.3 of 40.1 MB done, 3.20 MB being written`, or what of it is known. */
export function describeFigures(f: Figures | undefined): string {
  if (!f) return 'copying (the destination cannot be asked how far)';
  const blobs = f.totalBlobs !== undefined ? `${f.doneBlobs} of ${f.totalBlobs} blobs` : `${f.doneBlobs} blobs`;
  const bytes =
    f.totalBytes !== undefined
      ? `${formatBytes(f.doneBytes)} of ${formatBytes(f.totalBytes)} done`
      : `${formatBytes(f.doneBytes)} done`;
  const writing = f.writingBytes ? `, ${formatBytes(f.writingBytes)} being written` : '';
  return `${blobs}, ${bytes}${writing}`;
}

const seconds = (ms: number): string => `${Math.floor(ms / 1000)} s`;

/** The plain line of one image (no terminal). */
export function plainLine(name: string, f: Figures | undefined, elapsedMs: number): string {
  return `eck-airgap: copying ${escapeControls(name)}: ${describeFigures(f)}, ${seconds(elapsedMs)}\n`;
}

/** The short form of an image in the live line: its last path part and tag, and its figures. */
function short(name: string, f: Figures | undefined): string {
  const last = escapeControls(name.slice(name.lastIndexOf('/') + 1));
  if (!f) return `${last} …`;
  const bytes =
    f.totalBytes !== undefined
      ? `${formatBytes(f.doneBytes + (f.writingBytes ?? 0))}/${formatBytes(f.totalBytes)}`
      : formatBytes(f.doneBytes + (f.writingBytes ?? 0));
  const blobs = f.totalBlobs !== undefined ? ` (${f.doneBlobs}/${f.totalBlobs} blobs)` : ` (${f.doneBlobs} blobs)`;
  return `${last} ${bytes}${blobs}`;
}

/** The live line (without `\r` and clearing): every image copying now, cut to `columns - 1` characters. */
export function liveLine(images: readonly { name: string; figures: Figures | undefined }[], columns: number): string {
  const text = `eck-airgap: copying ${images.map((i) => short(i.name, i.figures)).join(' | ')}`;
  const width = Math.max(20, columns - 1);
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export const CLEAR = '\r\x1b[2K';

interface Active {
  readonly name: string;
  readonly watch: Watch;
  readonly started: number;
  figures: Figures | undefined;
  /** A poll has answered (before it, nothing is shown). */
  polled: boolean;
  /** A poll is under way. */
  polling: boolean;
  /** The figures of the last plain line (JSON) and when it was printed. */
  printed?: string;
  printedAt?: number;
}

export class Progress {
  private readonly active = new Set<Active>();
  private timer: NodeJS.Timeout | undefined;
  private shown = false;
  private readonly intervalMs: number;

  constructor(private readonly options: ProgressOptions) {
    this.intervalMs = options.intervalMs ?? (options.tty ? 1000 : 5000);
  }

  /** An image starts copying; call the returned function when its copy ends. */
  start(name: string, watch: Watch): () => void {
    if (this.options.quiet) return () => undefined;
    const entry: Active = { name, watch, started: Date.now(), figures: undefined, polled: false, polling: false };
    this.active.add(entry);
    this.timer ??= setInterval(() => this.tick(), this.intervalMs);
    return () => {
      this.active.delete(entry);
      if (this.active.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
      if (this.options.tty) this.redraw();
    };
  }

  /** A line of its own (an image finished): above the live line on a terminal. */
  line(text: string): void {
    if (this.options.tty && this.shown) {
      this.options.write(`${CLEAR}${text}`);
      this.shown = false;
      this.redraw();
    } else {
      this.options.write(text);
    }
  }

  /** Clears the live line and stops the timer. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.active.clear();
    if (this.shown) this.options.write(CLEAR);
    this.shown = false;
  }

  private tick(): void {
    for (const a of this.active) {
      if (a.polling) continue;
      a.polling = true;
      a.watch().then(
        (f) => {
          a.figures = f;
          a.polled = true;
          a.polling = false;
          if (!this.options.tty && this.active.has(a)) this.plain(a);
        },
        () => {
          a.polling = false;
        },
      );
    }
    if (this.options.tty) this.redraw();
  }

  /** A plain line for an image: once it has copied a whole interval, then only when its figures changed. */
  private plain(a: Active): void {
    const now = Date.now();
    if (now - a.started < this.intervalMs) return;
    if (a.printedAt !== undefined && now - a.printedAt < this.intervalMs * 0.8) return;
    const key = JSON.stringify(a.figures ?? null);
    if (key === a.printed) return;
    a.printed = key;
    a.printedAt = now;
    this.options.write(plainLine(a.name, a.figures, now - a.started));
  }

  private redraw(): void {
    const now = Date.now();
    const showing = [...this.active].filter((a) => a.polled && now - a.started >= this.intervalMs);
    if (showing.length === 0) {
      if (this.shown) this.options.write(CLEAR);
      this.shown = false;
      return;
    }
    this.options.write(`${CLEAR}${liveLine(showing, this.options.columns ?? 80)}`);
    this.shown = true;
  }
}
