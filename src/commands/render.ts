/** `eck-airgap render`: the post-renderer itself. */
import { loadSettings } from '../config/load-settings.js';
import type { FlagValues } from '../config/sources.js';
import { readInputs } from '../cli/read-input.js';
import { writeStderr, writeStdout } from '../cli/write-output.js';
import { renderStream } from '../render/render-stream.js';

export interface RenderFlags extends FlagValues {
  quiet?: boolean;
}

export async function renderCommand(files: string[], flags: RenderFlags): Promise<number> {
  const settings = loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: true });
  const inputs = await readInputs(files);
  const { output, report } = renderStream(inputs, settings);
  if (!flags.quiet) writeStderr(report.format());
  await writeStdout(output);
  return 0;
}
