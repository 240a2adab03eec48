/**
 * `eck-airgap argocd generate`: what the plugin's generate step renders, planned from the environment Argo CD's
 * cmp-server gives it. Who writes what:
 * - the sidecar's own environment (ECK_AIRGAP_*, HELM_BIN, PATH): the Argo CD administrator; trusted;
 * - the build environment (ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE, KUBE_VERSION, KUBE_API_VERSIONS, …): the
 *   repo-server, from the Application (name, destination namespace) and the destination cluster; checked;
 * - ARGOCD_ENV_* (plugin.env) and the parameters (ARGOCD_APP_PARAMETERS / PARAM_*): whoever may edit the
 *   Application; checked, and each becomes one typed value (a render setting, or one `--flag=value` for Helm).
 */
import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { releaseNameProblem, type HelmTemplateRequest, type TemplateFlags } from '../helm/template-args.js';
import { quoted } from '../text/quoted.js';
import { containedPath, linkLeadingOutside, repositoryRoot } from './paths.js';
import { ParameterError, readParameters } from './parameters.js';
import { BOOLEAN_SPELLINGS, parseBoolean } from '../config/rules.js';
import { refuseOutsideDependencies } from './init.js';

/** The parameters plugin.yaml announces (spec.parameters.static), the only ones generate reads. */
export const KNOWN_PARAMETERS = [
  'registry',
  'repository',
  'suffix',
  'ubi-only',
  'image-pull-secrets',
  'mirrors',
  'strict',
  'values-files',
  'helm-set',
  'release-name',
  'lock',
] as const;

export interface GeneratePlan {
  /** eck-airgap's own settings from the parameters (the highest precedence, as command-line flags would be). */
  readonly flags: TemplateFlags;
  /** What `helm template` renders. */
  readonly request: HelmTemplateRequest;
  /** Things worth saying on stderr (unknown parameters). */
  readonly warnings: string[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KUBE_VERSION = /^v?[0-9]+\.[0-9]+(\.[0-9]+)?[0-9A-Za-z.+-]*$/;
const API_VERSION = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** A namespace as Kubernetes accepts one: a DNS-1123 label, at most 63 characters. */
export function checkNamespace(namespace: string): string {
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) {
    throw new UsageError(
      `ARGOCD_APP_NAMESPACE ${quoted(namespace)} is not a Kubernetes namespace name (lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters).`,
    );
  }
  return namespace;
}

export function checkKubeVersion(version: string): string {
  if (!KUBE_VERSION.test(version))
    throw new UsageError(`KUBE_VERSION ${quoted(version)} is not a Kubernetes version such as 1.31.0.`);
  return version;
}

export function checkApiVersions(list: string): string[] {
  const versions = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const version of versions) {
    if (!API_VERSION.test(version))
      throw new UsageError(
        `KUBE_API_VERSIONS entry ${quoted(version)} is not an API version such as apps/v1 or apps/v1/Deployment.`,
      );
  }
  return versions;
}

/** The release name: the release-name parameter, else the Application's name; Helm's rule either way. */
export function checkReleaseName(fromParameter: string | undefined, appName: string | undefined): string | undefined {
  if (fromParameter !== undefined && fromParameter !== '') {
    const problem = releaseNameProblem(fromParameter);
    if (problem)
      throw new ParameterError(
        `parameter release-name ${quoted(fromParameter)} is not a Helm release name: ${problem}.`,
      );
    return fromParameter;
  }
  if (appName === undefined || appName === '') return undefined;
  const problem = releaseNameProblem(appName);
  if (problem) {
    throw new ParameterError(
      `the Application's name ${quoted(appName)} (ARGOCD_APP_NAME) is not a Helm release name: ${problem}. Set the release-name parameter.`,
    );
  }
  return appName;
}

/**
 * Argo CD's own Helm source escapes every comma not already escaped, unless the value is a {a,b} list, so that
 * one --set carries one value (util/helm/cmd.go, cleanSetParameters). Same rule here.
 */
export function escapeSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let escaped = '';
  let previous = '';
  for (const character of value) {
    escaped += character === ',' && previous !== '\\' ? '\\,' : character;
    previous = character;
  }
  return escaped;
}

/** A helm-set key: a dotted path (a.b, a\.b, list[0]); nothing that Helm's --set syntax reads as another entry. */
export function checkSetKey(key: string): string {
  if (key === '' || /[=,\s\u0000-\u001f\u007f]/.test(key)) {
    throw new ParameterError(
      `parameter helm-set: key ${quoted(key)} is not a values path such as image.tag (no "=", ",", spaces or control characters).`,
    );
  }
  return key;
}

/** A boolean parameter, read by the one rule of every source (config/rules.ts parseBoolean). */
export function checkBoolean(name: string, value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return false;
  const parsed = parseBoolean(value);
  if (parsed === undefined)
    throw new ParameterError(
      `parameter ${name} must be a boolean (accepted: ${BOOLEAN_SPELLINGS}), not ${quoted(value)}.`,
    );
  return parsed;
}

export function checkUbiOnly(value: string | undefined): boolean {
  return checkBoolean('ubi-only', value);
}

/**
 * The config file an Application may name (ARGOCD_ENV_ECK_AIRGAP_CONFIG, or an eck-airgap.yaml in its directory)
 * is held to the same rule as values files. The sidecar's own ECK_AIRGAP_CONFIG wins over both and is trusted.
 */
function configFile(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if ((env['ECK_AIRGAP_CONFIG'] ?? '').trim() !== '') return undefined;
  const fromApplication = (env['ARGOCD_ENV_ECK_AIRGAP_CONFIG'] ?? '').trim();
  if (fromApplication !== '') return containedPath(cwd, fromApplication, 'The config file ECK_AIRGAP_CONFIG');
  const local = join(cwd, 'eck-airgap.yaml');
  let present = existsSync(local);
  try {
    present = present || lstatSync(local).isSymbolicLink();
  } catch {
    // absent
  }
  return present ? containedPath(cwd, 'eck-airgap.yaml', 'The config file') : undefined;
}

/** Plans the render from the environment cmp-server gives generate; throws a UsageError on anything invalid. */
export function planGenerate(env: NodeJS.ProcessEnv, cwd: string): GeneratePlan {
  const parameters = readParameters(env);
  const warnings = parameters
    .unknown([...KNOWN_PARAMETERS, 'pull-secrets'])
    .map((name) => `parameter ${quoted(name)} is not one of eck-airgap's (${KNOWN_PARAMETERS.join(', ')}); ignored.`);

  const flags: { -readonly [K in keyof TemplateFlags]: TemplateFlags[K] } = {};
  for (const name of ['registry', 'repository', 'suffix'] as const) {
    const value = parameters.text(name);
    if (value !== undefined && value !== '') flags[name] = value;
  }
  if (checkUbiOnly(parameters.text('ubi-only'))) flags.ubiOnly = true;
  if (checkBoolean('strict', parameters.text('strict'))) flags.strict = true;
  const mirrors = parameters.map('mirrors').map(([source, target]) => `${source}=${target}`);
  if (mirrors.length > 0) flags.mirror = mirrors;
  // pull-secrets: the parameter's former name, still read (with a note) since the setting has one name everywhere.
  const pullSecrets = [...parameters.list('image-pull-secrets'), ...parameters.list('pull-secrets')]
    .flatMap((entry) => entry.split(','))
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');
  if (pullSecrets.length > 0) flags.imagePullSecret = pullSecrets;
  if (parameters.list('pull-secrets').length > 0)
    warnings.push(
      'parameter "pull-secrets" is deprecated; use "image-pull-secrets" (one name across flag, environment, file and parameter).',
    );
  // The images lock (render --lock): a file of the Application's source, held to the values files' rule.
  const lock = parameters.text('lock');
  if (lock !== undefined && lock !== '') flags.lock = containedPath(cwd, lock, 'parameter lock: file');
  const config = configFile(env, cwd);
  if (config !== undefined) flags.config = config;

  const valuesFiles = parameters
    .list('values-files')
    .filter((file) => file !== '')
    .map((file) => containedPath(cwd, file, 'parameter values-files: file'));
  const set = parameters.map('helm-set').map(([key, value]) => `${checkSetKey(key)}=${escapeSetValue(value)}`);

  const namespace = env['ARGOCD_APP_NAMESPACE'];
  const kubeVersion = env['KUBE_VERSION'];
  const request: HelmTemplateRequest = {
    chart: '.',
    releaseName: checkReleaseName(parameters.text('release-name'), env['ARGOCD_APP_NAME']),
    namespace: namespace ? checkNamespace(namespace) : undefined,
    kubeVersion: kubeVersion ? checkKubeVersion(kubeVersion) : undefined,
    apiVersions: checkApiVersions(env['KUBE_API_VERSIONS'] ?? ''),
    valuesFiles,
    set,
  };
  const outward = linkLeadingOutside(cwd, repositoryRoot(cwd, env['ARGOCD_APP_SOURCE_PATH']));
  if (outward) {
    throw new UsageError(
      `The chart directory holds a symbolic link that leads outside the repository: ${quoted(outward.link)} -> ${quoted(outward.target)}. Helm would read it as part of the chart; remove the link or replace it by the file.`,
    );
  }
  // never render a chart from outside the repository (init refuses to build one; charts/ may have been filled otherwise)
  refuseOutsideDependencies(cwd, repositoryRoot(cwd, env['ARGOCD_APP_SOURCE_PATH']));
  return { flags, request, warnings };
}
