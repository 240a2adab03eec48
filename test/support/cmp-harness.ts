// Runs argocd/plugin.yaml the way Argo CD's cmp-server runs a config-management plugin, without Argo CD:
// - the repository is copied into a fresh work directory and commands run in <work>/<app path>
//   (cmp-server: a temp dir under its work dir, the app path joined to it);
// - discover: spec.discover.fileName (a filepath.Glob pattern joined to the app directory), else find.glob
//   (the same, with ** for nested directories), else find.command (matches when it exits 0 and prints something);
// - init then generate: command[0] exec'd (no shell) with command[1:] + args, cwd = the app directory,
//   env = the sidecar's environment + the build environment + ARGOCD_ENV_<name> for each plugin.env entry
//   (its value expanded against the build environment) + ARGOCD_APP_PARAMETERS (JSON) and PARAM_<NAME>
//   variables for plugin.parameters; entries with an empty value are dropped, as cmp-server's environ() does;
// - a non-zero exit of init or generate fails manifest generation; generate's stdout is the manifest stream.
// The sidecar's environment here is minimal: PATH = a temporary bin directory holding `helm` (the real Helm 3
// or Helm 4 extracted by the test set-up) and `eck-airgap`, nothing else the plugin's commands may use. By default
// `eck-airgap` is this repository's launcher, a shell script that runs `node` (so `node` is in that directory too,
// then /usr/bin:/bin for the launcher's own tools); given an `executable` (or $ECK_AIRGAP_TEST_EXECUTABLE: a single
// executable built by the release), PATH is that bin directory alone: only eck-airgap and Helm, as in the
// sidecar image. HOME and the Helm homes are in the temporary directory (the image sets them under /tmp).
// The repository is copied with its symbolic links as they are (cmp-server receives a tar stream of the
// repository, links included).
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { runCli } from './cli.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const pluginConfigPath = join(repoRoot, 'argocd', 'plugin.yaml');

export interface PluginCommand {
  command?: string[];
  args?: string[];
}

export interface PluginConfig {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string };
  spec: {
    version?: string;
    init?: PluginCommand;
    generate: PluginCommand;
    discover?: { fileName?: string; find?: PluginCommand & { glob?: string } };
    parameters?: { static?: Array<Record<string, unknown>>; dynamic?: PluginCommand };
    preserveFileMode?: boolean;
  };
}

/** One entry of an Application's spec.source.plugin.parameters. */
export interface PluginParameter {
  name: string;
  string?: string;
  array?: string[];
  map?: Record<string, string>;
}

/** What an Application (and the cluster it targets) gives the plugin. */
export interface ApplicationSpec {
  name?: string;
  namespace?: string;
  project?: string;
  repoURL?: string;
  targetRevision?: string;
  revision?: string;
  kubeVersion?: string;
  apiVersions?: string[];
  /** spec.source.plugin.env, in order. */
  env?: Array<{ name: string; value: string }> | undefined;
  /** spec.source.plugin.parameters. */
  parameters?: PluginParameter[] | undefined;
  /** How parameters reach the plugin: Argo CD sends both forms; tests can restrict to one. */
  parameterDelivery?: 'both' | 'json' | 'env';
}

export interface StepResult {
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CmpRun {
  matched: boolean;
  discover?: StepResult;
  init?: StepResult;
  generate?: StepResult;
  /** Parsed generate output (only when generate exited 0). */
  manifests: Array<Record<string, unknown>>;
  /** The environment the commands got. */
  env: Record<string, string>;
}

export interface CmpRunOptions {
  /** Directory copied as the repository root. */
  repo: string;
  /** The Application's source path inside the repository ('.' for the root). */
  path: string;
  app?: ApplicationSpec;
  helm?: 'v3' | 'v4';
  /** Extra variables in the sidecar container's own environment. */
  sidecarEnv?: Record<string, string>;
  plugin?: PluginConfig;
  /** The eck-airgap put on PATH: default $ECK_AIRGAP_TEST_EXECUTABLE, else the repository's launcher (with node). */
  executable?: string;
}

export const defaultApiVersions = [
  'v1',
  'apps/v1',
  'apps/v1/Deployment',
  'batch/v1',
  'elasticsearch.k8s.elastic.co/v1',
  'kibana.k8s.elastic.co/v1',
  'beat.k8s.elastic.co/v1beta1',
];

export async function loadPluginConfig(path = pluginConfigPath): Promise<PluginConfig> {
  const config = parse(await readFile(path, 'utf8')) as PluginConfig;
  // The checks cmp-server's ValidatePluginConfig makes before it starts.
  if (!config?.metadata?.name) throw new Error(`${path}: metadata.name should be non-empty`);
  if (config.kind !== 'ConfigManagementPlugin') throw new Error(`${path}: kind should be ConfigManagementPlugin`);
  if (!config.spec?.generate?.command?.length) throw new Error(`${path}: spec.generate command should be non-empty`);
  const discover = config.spec.discover;
  if (!discover?.fileName && !discover?.find?.glob && !discover?.find?.command?.length) {
    throw new Error(`${path}: one of discover.fileName, discover.find.glob, discover.find.command is needed`);
  }
  return config;
}

/** Go's os.Expand as Argo CD uses it for plugin.env values: $NAME, ${NAME}, and $$ for a literal $. */
export function envsubst(value: string, variables: Record<string, string>): string {
  return value.replace(
    /\$(?:\{([^}]*)\}|([A-Za-z0-9_]+)|(\$))/g,
    (_match, braced?: string, bare?: string, dollar?: string) => {
      if (dollar) return '$';
      return variables[(braced ?? bare) as string] ?? '';
    },
  );
}

/** Argo CD's escaping of a parameter name into an environment variable name. */
export function parameterEnvName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** ARGOCD_APP_PARAMETERS and PARAM_* exactly as ApplicationSourcePluginParameters.Environ() builds them. */
export function parameterEnvironment(parameters: PluginParameter[]): Array<[string, string]> {
  // Go marshals each parameter from a map, so keys come out sorted: array, map, name, string.
  const json = parameters.map((parameter) => {
    const out: Record<string, unknown> = {};
    if (parameter.array !== undefined) out['array'] = parameter.array;
    if (parameter.map !== undefined) out['map'] = parameter.map;
    out['name'] = parameter.name;
    if (parameter.string !== undefined) out['string'] = parameter.string;
    return out;
  });
  const entries: Array<[string, string]> = [['ARGOCD_APP_PARAMETERS', JSON.stringify(json)]];
  for (const parameter of parameters) {
    const base = `PARAM_${parameterEnvName(parameter.name)}`;
    if (parameter.string !== undefined) entries.push([base, parameter.string]);
    for (const [key, value] of Object.entries(parameter.map ?? {}))
      entries.push([`${base}_${parameterEnvName(key)}`, value]);
    (parameter.array ?? []).forEach((value, index) => entries.push([`${base}_${index}`, value]));
  }
  return entries;
}

/** The build environment plus plugin env and parameters, as the repo-server sends them to the sidecar. */
export function applicationEnvironment(app: ApplicationSpec, path: string): Array<[string, string]> {
  const revision = app.revision ?? '2f5ad8c2b7e64c1c9a4f3e1d0b9a8c7d6e5f4a3b';
  const build: Array<[string, string]> = [
    ['ARGOCD_APP_NAME', app.name ?? 'elastic-stack'],
    ['ARGOCD_APP_NAMESPACE', app.namespace ?? 'elastic'],
    ['ARGOCD_APP_PROJECT_NAME', app.project ?? 'default'],
    ['ARGOCD_APP_REVISION', revision],
    ['ARGOCD_APP_REVISION_SHORT', revision.slice(0, 7)],
    ['ARGOCD_APP_REVISION_SHORT_8', revision.slice(0, 8)],
    ['ARGOCD_APP_SOURCE_REPO_URL', app.repoURL ?? 'https://git.example.internal/platform/elastic.git'],
    ['ARGOCD_APP_SOURCE_PATH', path],
    ['ARGOCD_APP_SOURCE_TARGET_REVISION', app.targetRevision ?? 'main'],
    // text.SemVer: the cluster's version with '+' removed.
    ['KUBE_VERSION', (app.kubeVersion ?? '1.31.0').replaceAll('+', '')],
    ['KUBE_API_VERSIONS', (app.apiVersions ?? defaultApiVersions).join(',')],
  ];
  const variables = Object.fromEntries(build);
  const entries = [...build];
  for (const entry of app.env ?? []) entries.push([`ARGOCD_ENV_${entry.name}`, envsubst(entry.value, variables)]);
  if (app.parameters !== undefined) {
    const delivery = app.parameterDelivery ?? 'both';
    for (const [name, value] of parameterEnvironment(app.parameters)) {
      const isJson = name === 'ARGOCD_APP_PARAMETERS';
      if (delivery === 'both' || (delivery === 'json') === isJson) entries.push([name, value]);
    }
  }
  return entries;
}

/** A segment of a filepath.Glob pattern as a regular expression (*, ?, [...] and \ escapes). */
function segmentPattern(segment: string): RegExp {
  let source = '';
  for (let index = 0; index < segment.length; index += 1) {
    const character = segment[index] as string;
    if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else if (character === '[') {
      const end = segment.indexOf(']', index + 1);
      if (end < 0) throw new Error(`bad glob pattern ${segment}`);
      source += `[${segment
        .slice(index + 1, end)
        .replace(/^\^/, '^')
        .replace(/\\/g, '\\\\')}]`;
      index = end;
    } else if (character === '\\' && index + 1 < segment.length) {
      index += 1;
      source += (segment[index] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else source += character.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Whether a glob pattern (relative to dir, ** allowed when recursive) matches at least one path. */
export async function globMatches(dir: string, pattern: string, recursive: boolean): Promise<boolean> {
  const segments = pattern.split('/').filter((segment) => segment !== '' && segment !== '.');
  async function walk(current: string, rest: string[]): Promise<boolean> {
    if (rest.length === 0) return true;
    const [head, ...tail] = rest as [string, ...string[]];
    if (head === '..') return walk(dirname(current), tail);
    let names: string[];
    try {
      names = await readdir(current);
    } catch {
      return false;
    }
    if (recursive && head === '**') {
      if (await walk(current, tail)) return true;
      for (const name of names) {
        const child = join(current, name);
        if ((await stat(child)).isDirectory() && (await walk(child, rest))) return true;
      }
      return false;
    }
    const matcher = segmentPattern(head);
    for (const name of names) {
      if (!matcher.test(name)) continue;
      if (tail.length === 0) return true;
      const child = join(current, name);
      if ((await stat(child)).isDirectory() && (await walk(child, tail))) return true;
    }
    return false;
  }
  return walk(dir, segments);
}

/** One plugin command as cmp-server execs it: no shell, the sidecar's environment alone, no stdin, its timeout. */
async function exec(command: PluginCommand, cwd: string, env: Record<string, string>): Promise<StepResult> {
  const argv = [...(command.command ?? []), ...(command.args ?? [])];
  if (argv[0] === undefined) throw new Error('Command is empty');
  // the command is the plugin's (`eck-airgap argocd …` found on the sidecar's PATH), run by the one CLI runner
  const result = await runCli([], { command: argv, cwd, bareEnv: true, env, timeout: 90_000 }); // ARGOCD_EXEC_TIMEOUT's default
  return { argv, exitCode: result.exitCode < 0 ? 1 : result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** Copies the repository, then runs discover, init and generate as cmp-server would. */
export async function runCmp(options: CmpRunOptions): Promise<CmpRun> {
  const plugin = options.plugin ?? (await loadPluginConfig());
  const temp = await mkdtemp(join(tmpdir(), 'eck-airgap-cmp-'));
  try {
    const bin = join(temp, 'bin');
    await mkdir(bin);
    await symlink(join(repoRoot, '.cache', 'helm', options.helm ?? 'v3', 'helm'), join(bin, 'helm'));
    const executable = options.executable ?? (process.env['ECK_AIRGAP_TEST_EXECUTABLE'] || undefined);
    await symlink(executable ?? join(repoRoot, 'eck-airgap'), join(bin, 'eck-airgap'));
    if (executable === undefined) await symlink(process.execPath, join(bin, 'node'));
    const work = join(temp, 'work');
    await cp(options.repo, work, { recursive: true, verbatimSymlinks: true });
    const appDir = resolve(work, options.path);
    if (appDir !== work && !appDir.startsWith(work + sep)) throw new Error('illegal appPath: out of workDir bound');

    const sidecar: Array<[string, string]> = [
      ['PATH', executable === undefined ? `${bin}:/usr/bin:/bin` : bin],
      ['HOME', join(temp, 'home')],
      ['HELM_CACHE_HOME', join(temp, 'helm', 'cache')],
      ['HELM_CONFIG_HOME', join(temp, 'helm', 'config')],
      ['HELM_DATA_HOME', join(temp, 'helm', 'data')],
      ...Object.entries(options.sidecarEnv ?? {}),
    ];
    const relPath = relative(work, appDir) || '.';
    const env: Record<string, string> = {};
    for (const [name, value] of [...sidecar, ...applicationEnvironment(options.app ?? {}, relPath)]) {
      if (name !== '' && value !== '') env[name] = value;
    }

    const run: CmpRun = { matched: false, manifests: [], env };
    const discover = plugin.spec.discover ?? {};
    if (discover.fileName) run.matched = await globMatches(appDir, discover.fileName, false);
    else if (discover.find?.glob) run.matched = await globMatches(appDir, discover.find.glob, true);
    else if (discover.find?.command?.length) {
      run.discover = await exec(discover.find, appDir, env);
      run.matched = run.discover.exitCode === 0 && run.discover.stdout.replace(/\n$/, '') !== '';
    }
    if (!run.matched) return run;

    if (plugin.spec.init?.command?.length) {
      run.init = await exec(plugin.spec.init, appDir, env);
      if (run.init.exitCode !== 0) return run;
    }
    run.generate = await exec(plugin.spec.generate, appDir, env);
    if (run.generate.exitCode === 0) {
      for (const document of parseAllDocuments(run.generate.stdout)) {
        if (document.errors.length > 0)
          throw new Error(`generate printed invalid YAML: ${document.errors[0]?.message}`);
        const value: unknown = document.toJS();
        if (value !== null && typeof value === 'object') run.manifests.push(value as Record<string, unknown>);
      }
    }
    return run;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
