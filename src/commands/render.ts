/** `eck-airgap render`: the post-renderer itself. */
import { loadSettings } from '../config/load-settings.js';
import type { Settings } from '../config/settings.js';
import type { FlagValues } from '../config/sources.js';
import { readInputs } from '../cli/read-input.js';
import { writeStderr, writeStdout } from '../cli/write-output.js';
import { Report } from '../render/report.js';
import { joinFileParts, scanStream, type ScannedStream } from '../stream/scan-stream.js';

export interface RenderFlags extends FlagValues {
  quiet?: boolean;
}

export async function renderCommand(files: string[], flags: RenderFlags): Promise<number> {
  const settings = await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: true });
  const streams = (await readInputs(files)).map(scanStream);
  const { parts, report } = nothingToRead(streams, settings)
    ? { parts: joinFileParts(streams.map((s) => s.segments)), report: new Report() }
    : (await import('../render/render-stream.js')).renderScanned(streams, settings);
  if (!flags.quiet) writeStderr(report.format());
  await writeStdout(parts);
  return 0;
}

/**
 * No document can change (none holds an image, a pull-secret slot or the operator's settings: an empty stream, a
 * chart of CRDs or RBAC only) and no eckVersion asks to be checked: the stream passes on as it came, and the YAML
 * parser and the render pipeline are not even loaded.
 */
function nothingToRead(streams: readonly ScannedStream[], settings: Settings): boolean {
  return settings.eckVersion === undefined && settings.lock === undefined && streams.every((s) => s.candidates.length === 0);
}
