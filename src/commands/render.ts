/** `eck-airgap render`: the post-renderer itself. */
import { existsSync } from 'node:fs';
import { loadSettings } from '../config/load-settings.js';
import { OTHER_COMMANDS } from './command-names.js';
import { UsageError } from '../errors.js';
import { suggest } from '../text/suggest.js';
import type { Settings } from '../config/settings.js';
import type { LockPins } from '../lock/pins.js';
import type { FlagValues } from '../config/sources.js';
import { readInputs } from '../io/read-input.js';
import { writeStderr, writeStdout } from '../io/write-output.js';
import { Report } from '../render/report.js';
import { joinFileParts, scanStream, type ScannedStream } from '../stream/scan-stream.js';

export interface RenderFlags extends FlagValues {
  quiet?: boolean;
}

/**
 * `eck-airgap chek …` reads as render with the file `chek`: when the first argument names no file and is a word
 * close to a command's name, say so rather than "cannot read chek".
 */
function commandTypo(files: readonly string[]): void {
  const first = files[0];
  if (first === undefined || !/^[a-z][a-z-]*$/.test(first) || existsSync(first)) return;
  const close = suggest(
    first,
    OTHER_COMMANDS.filter((c) => c !== 'help'),
  );
  if (close.length > 0) {
    throw new UsageError(
      `"${first}" is neither a command nor a file. Did you mean \`eck-airgap ${close.join('` or `eck-airgap ')}\`? (With no command, eck-airgap renders the files it is given; see eck-airgap --help.)`,
    );
  }
}

export async function renderCommand(files: string[], flags: RenderFlags): Promise<number> {
  commandTypo(files);
  const settings = await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: true });
  const streams = (await readInputs(files)).map(scanStream);
  const { parts, report } = nothingToRead(streams, settings)
    ? { parts: joinFileParts(streams.map((s) => s.segments)), report: new Report() }
    : (await import('../render/render-stream.js')).renderScanned(streams, settings, await readLockOf(settings));
  if (!flags.quiet) writeStderr(report.format());
  if (settings.strict) {
    const failure = (await import('../render/strict.js')).strictFailure(
      parts.join(''),
      settings,
      files.length === 0 ? 'stdin' : files.join(', '),
    );
    if (failure !== undefined) {
      writeStderr(failure);
      return 1;
    }
  }
  await writeStdout(parts);
  return 0;
}

/**
 * No document can change (none holds an image, a pull-secret slot or the operator's settings: an empty stream, a
 * chart of CRDs or RBAC only) and no eckVersion asks to be checked: the stream passes on as it came, and the YAML
 * parser and the render pipeline are not even loaded.
 */
function nothingToRead(streams: readonly ScannedStream[], settings: Settings): boolean {
  return (
    settings.eckVersion === undefined && settings.lock === undefined && streams.every((s) => s.candidates.length === 0)
  );
}

/** The images lock the settings name, read (bounded, checked) only then: src/lock/ is not loaded for a render without one. */
export async function readLockOf(settings: Settings): Promise<LockPins | undefined> {
  return settings.lock === undefined ? undefined : (await import('../lock/pins.js')).LockPins.read(settings.lock);
}
