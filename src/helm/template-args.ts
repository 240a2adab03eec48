/**
 * The argument vector of `helm template`, built from typed values (so no value can be read by Helm as a flag), and
 * Helm's release-name rule. Shared by `eck-airgap template` and the Argo CD plugin's `generate` step.
 */
import type { FlagValues } from '../config/sources.js';
import { UsageError } from '../errors.js';
import { quoted } from '../text/quoted.js';

/** The flags of `eck-airgap template` (render's, plus Helm's). */
export interface TemplateFlags extends FlagValues {
  quiet?: boolean;
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
