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
import { writeStderr, writeStdout } from '../io/write-output.js';
import { renderStream } from '../render/render-stream.js';
import { escapeControl } from '../text/escape.js';
import { strictFailure } from '../render/strict.js';
import { readLockOf, type RenderFlags } from './render.js';
import type { Settings } from '../config/settings.js';

export interface TemplateFlags extends RenderFlags {
  diff?: boolean;
  helm?: string;
}

/**
 * Helm's own rule for a release name (pkg/chartutil ValidateReleaseName, quoted in Helm 3 and 4's error message):
 * lower-case DNS-1123 labels joined by dots, at most 53 characters. Nothing that passes can be read as a flag.
 */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const RELEASE_NAME_MAX = 53;

/** Why a release name is not one Helm accepts, or undefined when it is. */
export function releaseNameProblem(name: string): string | undefined {
  if (name.length > RELEASE_NAME_MAX)
    return `it is ${name.length} characters long; Helm accepts at most ${RELEASE_NAME_MAX}`;
  if (!RELEASE_NAME.test(name)) {
    return 'Helm accepts only lower-case letters, digits, "-" and "." (each dot-separated part starting and ending with a letter or digit)';
  }
  return undefined;
}

/** Shows a value from outside in a message: quoted, control characters escaped, cut after 80 characters. */
export function quoted(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown);
}

/**
 * What `helm template` is asked to do, as typed values. Each becomes one `--flag=value` argument or a positional
 * after `--`, so no value can ever be read by Helm as a flag, whatever it holds.
 */
export interface HelmTemplateRequest {
  readonly chart: string;
  readonly releaseName?: string | undefined;
  readonly namespace?: string | undefined;
  readonly kubeVersion?: string | undefined;
  readonly apiVersions?: readonly string[];
  /** Paths of values files, in order (`--values`). */
  readonly valuesFiles?: readonly string[];
  /** `--set` entries, `key=value` each, the value already escaped for Helm's --set syntax. */
  readonly set?: readonly string[];
}

/**
 * The argument vector for `helm template`: `template`, the typed flags as `--flag=value`, then `passThrough` (the
 * free-form helm flags a person gives `eck-airgap template` after `--` at a terminal; never used by the Argo CD
 * plugin), then `--` and the positionals (release name, chart).
 */
export function helmTemplateArgs(request: HelmTemplateRequest, passThrough: readonly string[] = []): string[] {
  if (request.chart === '' || request.chart.startsWith('-')) {
    throw new UsageError(
      `Chart ${quoted(request.chart)}: a chart path or repo/name cannot be empty or start with "-" (write ./${request.chart} for a directory).`,
    );
  }
  if (request.releaseName !== undefined) {
    const problem = releaseNameProblem(request.releaseName);
    if (problem)
      throw new UsageError(`Release name ${quoted(request.releaseName)} is not one Helm accepts: ${problem}.`);
  }
  const args = ['template'];
  if (request.namespace !== undefined) args.push(`--namespace=${request.namespace}`);
  if (request.kubeVersion !== undefined) args.push(`--kube-version=${request.kubeVersion}`);
  for (const apiVersion of request.apiVersions ?? []) args.push(`--api-versions=${apiVersion}`);
  for (const file of request.valuesFiles ?? []) args.push(`--values=${file}`);
  for (const entry of request.set ?? []) args.push(`--set=${entry}`);
  args.push(...passThrough, '--');
  if (request.releaseName !== undefined) args.push(request.releaseName);
  args.push(request.chart);
  return args;
}

/**
 * `eck-airgap template CHART -- [NAME] [helm flags]` at a terminal: a first argument that does not start with "-"
 * is the release name (checked as Helm checks it); the rest are helm flags, passed as given (the person at the
 * terminal controls them, as they control helm itself).
 */
export function terminalTemplateArgs(chart: string, helmArgs: readonly string[]): string[] {
  const [first, ...rest] = helmArgs;
  if (first !== undefined && !first.startsWith('-')) return helmTemplateArgs({ chart, releaseName: first }, rest);
  return helmTemplateArgs({ chart }, helmArgs);
}

class HelmFailed extends UserError {}

/**
 * Helm 3 reads every plugin.yaml in its plugins folder strictly: a Helm 4 plugin there (eck-airgap's, installed by
 * Helm 4 into the same default folder) makes it print this line on every command. What it means, and the fix.
 */
export function helmPluginNote(stderr: string): string {
  if (!/failed to load plugins: .*unknown field "apiVersion"/.test(stderr)) return '';
  // Helm 3 names the manifest it could not read; its folder is what to remove (a link for a checkout installed by
  // Helm 4, a folder for the release archive, named eck-airgap-helm-plugin: not always "eck-airgap").
  const at = /failed to load plugin at "([^"\n]+)\/plugin\.yaml"/.exec(stderr);
  const folder = at?.[1] ? escapeControl(at[1]) : '';
  return (
    'eck-airgap: note: the "failed to load plugins" line above is Helm 3 reading a Helm 4 plugin manifest (apiVersion: v1) ' +
    `in the plugins folder both versions share${folder ? ` (${folder})` : ''}. Remove it with Helm 4 as it was installed ` +
    `(helm4 plugin uninstall eck-airgap) or delete it (rm -r "${folder || '$(helm env HELM_PLUGINS)/<folder>'}"), ` +
    'then give Helm 4 its own data home (HELM_DATA_HOME=~/.local/share/helm4 for every helm4 command) and install the plugin again. ' +
    'See docs/helm.md, "Helm 3 and Helm 4 on one machine".\n'
  );
}

interface FinishedProcess {
  exitCode?: number | undefined;
  signal?: string | undefined;
  stderr?: unknown;
  timedOut?: boolean;
  isMaxBuffer?: boolean;
  code?: string;
  shortMessage?: string;
}

/** Why a helm run failed, in words: its own message, else its exit code or the signal that killed it. */
export function helmFailure(result: FinishedProcess): string {
  const stderr = String(result.stderr ?? '').trim();
  let how: string;
  if (result.signal) how = `helm was killed by signal ${result.signal}`;
  else if (result.timedOut) how = 'helm timed out';
  else if (result.isMaxBuffer) how = 'helm printed more than eck-airgap can hold';
  else if (typeof result.exitCode === 'number') how = `helm exited with code ${result.exitCode}`;
  else how = `helm did not run (${result.code ?? result.shortMessage ?? 'unknown reason'})`;
  if (!stderr) return how;
  return result.signal || typeof result.exitCode !== 'number' || result.exitCode === 0 ? `${stderr} (${how})` : stderr;
}

/** Runs helm with an argument array (no shell); returns its stdout, or throws with Helm's message. */
export async function runHelm(helm: string, args: string[], what = 'helm template'): Promise<string> {
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
      throw new UsageError(
        `Cannot run helm ("${helm}" not found). Put helm on PATH, or say where it is with --helm PATH or $HELM_BIN.`,
      );
    }
    const note = helmPluginNote(String(result.stderr ?? ''));
    throw new HelmFailed(
      `${what} failed: ${helmFailure(result as FinishedProcess)}${note ? `\n${note.replace(/^eck-airgap: note: /, '').trimEnd()}` : ''}`,
      1,
    );
  }
  if (result.stderr)
    writeStderr(
      (String(result.stderr).endsWith('\n') ? String(result.stderr) : `${result.stderr}\n`) +
        helmPluginNote(String(result.stderr)),
    );
  return String(result.stdout);
}

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
