/**
 * `eck-airgap template`: runs `helm template` and renders its output — the preview of what a post-rendered
 * install would apply. Helm's own failures come back with Helm's message and exit code, and nothing on stdout.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { loadSettings } from '../config/load-settings.js';
import { UsageError, UserError } from '../errors.js';
import { writeStderr, writeStdout } from '../cli/write-output.js';
import { renderStream } from '../render/render-stream.js';
import type { RenderFlags } from './render.js';

export interface TemplateFlags extends RenderFlags {
  diff?: boolean;
  helm?: string;
}

/** `helm template [NAME] CHART [flags]`: a first argument after `--` that is not a flag is the release name. */
export function helmTemplateArgs(chart: string, helmArgs: readonly string[]): string[] {
  const [first, ...rest] = helmArgs;
  if (first !== undefined && !first.startsWith('-')) return ['template', first, chart, ...rest];
  return ['template', chart, ...helmArgs];
}

class HelmFailed extends UserError {}

async function runHelm(helm: string, args: string[]): Promise<string> {
  const result = await execa(helm, args, {
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    maxBuffer: 1024 * 1024 * 1024,
    encoding: 'utf8',
  });
  if (result.failed) {
    const code = (result as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new UsageError(`Cannot run helm ("${helm}" not found). Put helm on PATH, or say where it is with --helm PATH or $HELM_BIN.`);
    }
    const message = String(result.stderr ?? '').trim() || `helm exited with code ${result.exitCode}`;
    throw new HelmFailed(`helm template failed: ${message}`, 1);
  }
  if (result.stderr) writeStderr(String(result.stderr).endsWith('\n') ? String(result.stderr) : `${result.stderr}\n`);
  return String(result.stdout);
}

async function unifiedDiff(before: string, after: string, colour: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eck-airgap-diff-'));
  try {
    const a = join(dir, 'before.yaml');
    const b = join(dir, 'after.yaml');
    await writeFile(a, before);
    await writeFile(b, after);
    const result = await execa('diff', ['-u', '--label', 'helm template', '--label', 'eck-airgap', a, b], { reject: false });
    if (result.exitCode !== 0 && result.exitCode !== 1) {
      throw new UsageError(`Cannot run diff for --diff (${result.stderr || (result as { code?: string }).code || 'failed'}); install diffutils.`);
    }
    const text = String(result.stdout);
    if (!colour) return text ? text + '\n' : '';
    return (
      text
        .split('\n')
        .map((line) =>
          line.startsWith('+') && !line.startsWith('+++') ? `\x1b[32m${line}\x1b[0m` : line.startsWith('-') && !line.startsWith('---') ? `\x1b[31m${line}\x1b[0m` : line.startsWith('@@') ? `\x1b[36m${line}\x1b[0m` : line,
        )
        .join('\n') + '\n'
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function templateCommand(chart: string, helmArgs: string[], flags: TemplateFlags): Promise<number> {
  const settings = loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: true });
  const helm = flags.helm ?? process.env.HELM_BIN ?? 'helm';
  const before = await runHelm(helm, helmTemplateArgs(chart, helmArgs));
  const { output, report } = renderStream([{ text: before, file: `helm template ${chart}` }], settings);
  if (!flags.quiet) writeStderr(report.format());
  await writeStdout(flags.diff ? await unifiedDiff(before, output, Boolean(process.stdout.isTTY)) : output);
  return 0;
}
