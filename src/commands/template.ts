/**
 * `eck-airgap template`: runs `helm template` and renders its output — the preview of what a post-rendered
 * install would apply. Helm's own failures come back with Helm's message and exit code, and nothing on stdout.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { loadSettings } from '../config/load-settings.js';
import { UsageError } from '../errors.js';
import { writeStderr, writeStdout } from '../io/write-output.js';
import { renderStream } from '../render/render-stream.js';
import { strictFailure } from '../render/strict.js';
import { readLockOf } from './render.js';
import type { Settings } from '../config/settings.js';
import { runHelm } from '../helm/run-helm.js';
import { terminalTemplateArgs, type TemplateFlags } from '../helm/template-args.js';

export type { TemplateFlags } from '../helm/template-args.js';

async function unifiedDiff(before: string, after: string, colour: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eck-airgap-diff-'));
  try {
    const a = join(dir, 'before.yaml');
    const b = join(dir, 'after.yaml');
    await writeFile(a, before);
    await writeFile(b, after);
    const result = await execa('diff', ['-u', '--label', 'helm template', '--label', 'eck-airgap', a, b], {
      reject: false,
    });
    if (result.exitCode !== 0 && result.exitCode !== 1) {
      throw new UsageError(
        `Cannot run diff for --diff (${result.stderr || (result as { code?: string }).code || 'failed'}); install diffutils.`,
      );
    }
    const text = String(result.stdout);
    if (!colour) return text ? text + '\n' : '';
    return (
      text
        .split('\n')
        .map((line) =>
          line.startsWith('+') && !line.startsWith('+++')
            ? `\x1b[32m${line}\x1b[0m`
            : line.startsWith('-') && !line.startsWith('---')
              ? `\x1b[31m${line}\x1b[0m`
              : line.startsWith('@@')
                ? `\x1b[36m${line}\x1b[0m`
                : line,
        )
        .join('\n') + '\n'
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function templateCommand(chart: string, helmArgs: string[], flags: TemplateFlags): Promise<number> {
  const settings = await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: true });
  const args = terminalTemplateArgs(chart, helmArgs);
  return renderTemplate(args, chart, settings, flags);
}

/** Runs `helm template` with `args` (from helmTemplateArgs), renders its output and writes it to stdout. */
export async function renderTemplate(
  args: string[],
  chart: string,
  settings: Settings,
  flags: TemplateFlags,
): Promise<number> {
  const helm = flags.helm ?? process.env.HELM_BIN ?? 'helm';
  const before = await runHelm(helm, args);
  const { output, report } = renderStream(
    [{ text: before, file: `helm template ${chart}` }],
    settings,
    await readLockOf(settings),
  );
  if (!flags.quiet) writeStderr(report.format());
  const failure = strictFailure(output, settings, `helm template ${chart}`);
  if (failure !== undefined) {
    writeStderr(failure);
    return 1;
  }
  await writeStdout(flags.diff ? await unifiedDiff(before, output, Boolean(process.stdout.isTTY)) : output);
  return 0;
}
