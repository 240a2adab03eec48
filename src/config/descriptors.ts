/**
 * The settings descriptor table: one entry per setting — its file key, flag, environment variable, schema and
 * help (and `rule`, what a valid value is: see rules.ts). The commander options (src/cli/render-options.ts), the environment names and flag values
 * (src/config/sources.ts), the JSON Schema (`eck-airgap schema`) and the README's configuration table all follow
 * from it, so a new setting is one entry here.
 */
import { isRegistryHost, parseMirrorTarget } from '../image/reference.js';
import type { Rule } from './rules.js';

const registryHost: Rule = {
  type: 'string',
  valid: isRegistryHost,
  message: 'not a registry host (expected a host name or IP, optional :port, no scheme or path)',
};

/**
 * The mirror: a host (DNS bounds, optional :port) and optionally a path of repository components (a Harbor /
 * Artifactory / Nexus project: `harbor.corp/elastic`), which the operator's --container-registry takes as it is.
 */
const mirrorRegistry: Rule = {
  type: 'string',
  valid: (s) => parseMirrorTarget(s) !== undefined,
  message:
    'not a registry host (expected a host as Docker reads one: with a dot, a :port or localhost, e.g. my.registry, mirror:5000 — a bare "mirror" would be a Docker Hub repository; optional /path of repository components such as harbor.corp/elastic; no scheme)',
};

/** A repository path as the operator's --container-repository takes it: lowercase path components. */
const repositoryPath: Rule = {
  type: 'string',
  pattern: /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/,
  message: 'not a repository path (lowercase letters, digits, separators, slashes)',
};

/**
 * The operator appends --container-suffix to the image name as it is (cloud-on-k8s 3.5.0,
 * pkg/controller/common/container/container.go, ImageRepository: `suffix += containerSuffix`, then appended to the name): `wolfi` would name
 * `elastic-agentwolfi`, an image that does not exist, so a suffix must start with "-".
 */
const suffix: Rule = {
  type: 'string',
  pattern: /^-[a-z0-9._-]{1,63}$/,
  message:
    'not an image name suffix: it must start with "-" (e.g. -ubi, -wolfi), as the operator appends it to the image name as it is',
};

/** A Kubernetes Secret name (DNS-1123 subdomain). */
const secretName: Rule = {
  type: 'string',
  pattern: /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/,
  message: 'not a Secret name',
  maxLength: 253,
};

const mirrorTarget: Rule = {
  type: 'string',
  valid: (s) => parseMirrorTarget(s) !== undefined,
  message: 'not a mirror destination (host[:port][/path])',
};

/** An ECK operator release, X.Y.Z (a pre-release such as 3.0.0-rc1 is accepted). */
const eckRelease: Rule = {
  type: 'string',
  pattern: /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/,
  message: 'not an ECK operator release (expected X.Y.Z, e.g. 3.5.0)',
};

const boolean: Rule = { type: 'boolean' };

/** A file path (the images lock): any non-empty path without NUL. */
const filePath: Rule = {
  type: 'string',
  valid: (s) => s !== '' && !s.includes('\0'),
  message: 'not a file path',
  maxLength: 4096,
};
/** A settings source of the operator, as eck-airgap names it: ConfigMap/NAME, Secret/NAME, env/VAR, file:PATH. */
const vouchedSource: Rule = {
  type: 'string',
  pattern: /^(?:(?:ConfigMap|Secret)\/[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?|env\/[A-Za-z_][A-Za-z0-9_]*|file:\/[^\s,]*)$/,
  message: 'not an operator settings source (expected ConfigMap/NAME, Secret/NAME, env/VAR or file:/PATH)',
};

/**
 * How a flag or environment value becomes the setting: as it is, a boolean, a list (repeatable flag, comma list
 * in the environment), `SRC=DST` pairs, a flag that turns a default-true setting off (`--no-…`), or the
 * `repository` of a mapping (`operator.repository`).
 */
export type ValueForm = 'string' | 'boolean' | 'list' | 'pairs' | 'negated' | 'repository';

export interface SettingDescriptor {
  /** The flag as commander takes it, e.g. `--registry <host>`. */
  readonly flag: string;
  /** The flag's name in messages, e.g. `--registry`. */
  readonly flagName: string;
  /** The option's attribute as commander hands it over (camelCase of the flag). */
  readonly option: string;
  /** The environment variable without its prefix (`ECK_AIRGAP_`, or Argo CD's `ARGOCD_ENV_ECK_AIRGAP_`). */
  readonly env: string;
  readonly form: ValueForm;
  /** The key in the file, as the README writes it (nested keys dotted). */
  readonly fileKey: string;
  /** The one-line help of the flag. */
  readonly help: string;
  /** The JSON Schema description. */
  readonly description: string;
  /** README: the flag and environment columns, the default, the meaning. */
  readonly readme: { readonly flag: string; readonly env: string; readonly default: string; readonly meaning: string };
  /**
   * The names it had before it had one name across flag, environment and file: still accepted, with a deprecation
   * note on stderr (the flag is hidden from --help).
   */
  readonly formerly?: {
    readonly flag: string;
    readonly flagName: string;
    readonly option: string;
    readonly env: string;
  };
}

function entry(rule: Rule, descriptor: SettingDescriptor): SettingDescriptor & { readonly rule: Rule } {
  return { ...descriptor, rule };
}

/** Every setting, in the order of the README table and of `--help`. */
export const SETTINGS = {
  registry: entry(mirrorRegistry, {
    flag: '--registry <host>',
    flagName: '--registry',
    option: 'registry',
    env: 'REGISTRY',
    form: 'string',
    fileKey: 'registry',
    help: 'private mirror host, optional :port and path (e.g. my.registry:5000, harbor.corp/elastic)',
    description:
      'Host (optional port, optional path such as a Harbor project) of the private mirror, e.g. my.registry:5000 or harbor.corp/elastic. Required.',
    readme: {
      flag: '`--registry HOST[:PORT][/PATH]`',
      env: '`ECK_AIRGAP_REGISTRY`',
      default: '— (required)',
      meaning:
        "the mirror, e.g. `my.registry:5000` or `harbor.corp/elastic` (a project path: images go under it, as the operator's `--container-registry` names them)",
    },
  }),
  repository: entry(repositoryPath, {
    flag: '--repository <name>',
    flagName: '--repository',
    option: 'repository',
    env: 'REPOSITORY',
    form: 'string',
    fileKey: 'repository',
    help: "like the operator's --container-repository: <registry>/<repository>/<image>",
    description: "Like the operator's --container-repository: images go to <registry>/<repository>/<name>.",
    readme: {
      flag: '`--repository NAME`',
      env: '`ECK_AIRGAP_REPOSITORY`',
      default: 'unset',
      meaning: "like the operator's `--container-repository`: `<registry>/<repository>/<last path element>`",
    },
  }),
  suffix: entry(suffix, {
    flag: '--suffix <suffix>',
    flagName: '--suffix',
    option: 'suffix',
    env: 'SUFFIX',
    form: 'string',
    fileKey: 'suffix',
    help: "like the operator's --container-suffix (write --suffix=-ubi)",
    description: "Like the operator's --container-suffix, e.g. -wolfi; -ubi is the same as ubiOnly.",
    readme: {
      flag: '`--suffix=SUFFIX`',
      env: '`ECK_AIRGAP_SUFFIX`',
      default: 'unset',
      meaning: 'like `--container-suffix` (`-wolfi`, …); `-ubi` is UBI mode',
    },
  }),
  ubiOnly: entry(boolean, {
    flag: '--ubi-only',
    flagName: '--ubi-only',
    option: 'ubiOnly',
    env: 'UBI_ONLY',
    form: 'boolean',
    fileKey: 'ubiOnly',
    help: "like the operator's --ubi-only (the same as --suffix=-ubi)",
    description: "Like the operator's --ubi-only: use the UBI images.",
    readme: {
      flag: '`--ubi-only`',
      env: '`ECK_AIRGAP_UBI_ONLY` (`true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`)',
      default: '`false`',
      meaning: 'like `--ubi-only`; the same as suffix `-ubi` (setting both is an error)',
    },
  }),
  imagePullSecrets: entry(
    { type: 'list', item: secretName },
    {
      flag: '--image-pull-secret <name>',
      flagName: '--image-pull-secret',
      option: 'imagePullSecret',
      env: 'IMAGE_PULL_SECRETS',
      form: 'list',
      fileKey: 'imagePullSecrets',
      formerly: { flag: '--pull-secret <name>', flagName: '--pull-secret', option: 'pullSecret', env: 'PULL_SECRETS' },
      help: 'image pull secret to add to pod templates (repeatable)',
      description: 'Names of Secrets added to every pod template that pulls from the mirror.',
      readme: {
        flag: '`--image-pull-secret NAME` (repeatable)',
        env: '`ECK_AIRGAP_IMAGE_PULL_SECRETS` (comma list)',
        default: '`[]`',
        meaning:
          'merged into every pod template that pulls from the mirror (formerly `--pull-secret`, `ECK_AIRGAP_PULL_SECRETS`: still accepted, with a deprecation note)',
      },
    },
  ),
  sourceRegistries: entry(
    { type: 'list', item: registryHost, minItems: 1 },
    {
      flag: '--source-registry <host>',
      flagName: '--source-registry',
      option: 'sourceRegistry',
      env: 'SOURCE_REGISTRIES',
      form: 'list',
      fileKey: 'sourceRegistries',
      help: 'another registry whose images move to the mirror, besides docker.elastic.co (repeatable)',
      description:
        'Registries whose images are moved to the mirror besides docker.elastic.co (which defaultSourceRegistry: false drops).',
      readme: {
        flag: '`--source-registry HOST` (repeatable)',
        env: '`ECK_AIRGAP_SOURCE_REGISTRIES`',
        default: '`[]`',
        meaning:
          'registries whose images move to the mirror, in addition to `docker.elastic.co` (see `defaultSourceRegistry`)',
      },
    },
  ),
  defaultSourceRegistry: entry(boolean, {
    flag: '--no-default-source-registry',
    flagName: '--no-default-source-registry',
    option: 'defaultSourceRegistry',
    env: 'DEFAULT_SOURCE_REGISTRY',
    form: 'negated',
    fileKey: 'defaultSourceRegistry',
    help: 'do not move docker.elastic.co images (only the --source-registry ones)',
    description: 'Move docker.elastic.co images to the mirror (default true); false leaves only sourceRegistries.',
    readme: {
      flag: '`--no-default-source-registry`',
      env: '`ECK_AIRGAP_DEFAULT_SOURCE_REGISTRY`',
      default: '`true`',
      meaning:
        '`false` drops `docker.elastic.co` from the source registries (then `sourceRegistries` must name at least one)',
    },
  }),
  operator: entry(
    { type: 'object', fields: { repository: repositoryPath } },
    {
      flag: '--operator-repository <name>',
      flagName: '--operator-repository',
      option: 'operatorRepository',
      env: 'OPERATOR_REPOSITORY',
      form: 'repository',
      fileKey: 'operator.repository',
      help: 'repository of the operator image on the mirror (default eck)',
      description: 'Settings for the operator image.',
      readme: {
        flag: '`--operator-repository NAME`',
        env: '`ECK_AIRGAP_OPERATOR_REPOSITORY`',
        default: '`eck`',
        meaning: 'where the operator image lives on the mirror',
      },
    },
  ),
  setDefaultImages: entry(boolean, {
    flag: '--no-set-default-images',
    flagName: '--no-set-default-images',
    option: 'setDefaultImages',
    env: 'SET_DEFAULT_IMAGES',
    form: 'negated',
    fileKey: 'setDefaultImages',
    help: "leave spec.image unset where the operator's default applies",
    description: "Write spec.image on Elastic resources that rely on the operator's default (default true).",
    readme: {
      flag: '`--no-set-default-images`',
      env: '`ECK_AIRGAP_SET_DEFAULT_IMAGES`',
      default: '`true`',
      meaning: "write `spec.image` on Elastic resources that rely on the operator's default",
    },
  }),
  mirrors: entry(
    { type: 'record', value: mirrorTarget },
    {
      flag: '--mirror <src=dst>',
      flagName: '--mirror',
      option: 'mirror',
      env: 'MIRRORS',
      form: 'pairs',
      fileKey: 'mirrors',
      help: 'move another registry too, e.g. docker.io=my.registry/dockerhub (repeatable)',
      description: 'Other registries to move, e.g. {docker.io: my.registry/dockerhub}.',
      readme: {
        flag: '`--mirror SRC=DST` (repeatable)',
        env: '`ECK_AIRGAP_MIRRORS` (comma list of `SRC=DST`)',
        default: '`{}`',
        meaning:
          'other registries, e.g. `docker.io: my.registry/dockerhub` (Docker Hub short names such as `nginx` count as `docker.io/library/nginx`)',
      },
    },
  ),
  eckVersion: entry(eckRelease, {
    flag: '--eck-version <X.Y.Z>',
    flagName: '--eck-version',
    option: 'eckVersion',
    env: 'ECK_VERSION',
    form: 'string',
    fileKey: 'eckVersion',
    help: 'ECK operator release to name images for when the stream has no operator image (default: the newest known)',
    description:
      'The ECK operator release to name images for when the stream has no operator image (default: the newest release eck-airgap knows). Must agree with the operator image when the stream has one.',
    readme: {
      flag: '`--eck-version X.Y.Z`',
      env: '`ECK_AIRGAP_ECK_VERSION`',
      default: 'the operator image in the stream, else the newest release known (3.5.0)',
      meaning: 'the ECK operator release whose naming rules apply ([which release](#which-operator-release))',
    },
  }),
  lock: entry(filePath, {
    flag: '--lock <file>',
    flagName: '--lock',
    option: 'lock',
    env: 'LOCK',
    form: 'string',
    fileKey: 'lock',
    help: 'images lock (verify --lock-output): render pins every mirror image to its digest; check fails on anything unpinned; verify reports drift',
    description:
      'An images lock written by `eck-airgap verify --lock-output` (relative paths from the working directory): render writes every image pulled from the mirror as name:tag@digest, check fails on any image not pinned to a digest the lock holds, verify reports tags that drifted.',
    readme: {
      flag: '`--lock FILE`',
      env: '`ECK_AIRGAP_LOCK`',
      default: 'unset',
      meaning:
        'an images lock ([format](docs/mirror-and-verify.md#the-images-lock)): render pins digests, `check` is hermetic, `verify` reports drift',
    },
  }),
  strict: entry(boolean, {
    flag: '--strict',
    flagName: '--strict',
    option: 'strict',
    env: 'STRICT',
    form: 'boolean',
    fileKey: 'strict',
    help: 'render and template fail (exit 1, nothing on stdout) when an image a pod would pull stays off the mirror, as check judges it',
    description:
      'Fail render and template (exit 1, nothing on stdout) when any image a pod would pull stays off the mirror (the judgement of `eck-airgap check`).',
    readme: {
      flag: '`--strict`',
      env: '`ECK_AIRGAP_STRICT`',
      default: '`false`',
      meaning:
        'render/template exit 1 with nothing on stdout when an image would still be pulled from outside the mirror (as `check` judges), so Helm and Argo CD fail with the report',
    },
  }),
  vouchedSources: entry(
    { type: 'list', item: vouchedSource },
    {
      flag: '--vouch-source <source>',
      flagName: '--vouch-source',
      option: 'vouchSource',
      env: 'VOUCHED_SOURCES',
      form: 'list',
      fileKey: 'vouchedSources',
      help: 'a settings source of the operator the stream does not hold (ConfigMap/NAME, Secret/NAME, env/VAR, file:PATH) that you vouch sets no image setting (repeatable)',
      description:
        'Sources the ECK operator reads its settings from that the stream does not hold (an envFrom or valueFrom ConfigMap/Secret, a --config file applied separately): ConfigMap/NAME, Secret/NAME, env/VAR (a valueFrom field reference) or file:PATH. Vouching says the source sets none of container-registry, container-repository, container-suffix and ubi-only, so check may pass on what the stream shows.',
      readme: {
        flag: '`--vouch-source SOURCE` (repeatable)',
        env: '`ECK_AIRGAP_VOUCHED_SOURCES` (comma list)',
        default: '`[]`',
        meaning:
          'operator settings sources not in the stream (`ConfigMap/NAME`, `Secret/NAME`, `env/VAR`, `file:PATH`) you vouch set no image setting; without it `check` fails naming them',
      },
    },
  ),
} as const;

export type SettingKey = keyof typeof SETTINGS;

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The README's configuration table (the settings rows), generated from the descriptors. */
export function settingsTableRows(): string {
  return SETTING_KEYS.map((key) => {
    const d = SETTINGS[key];
    return `| \`${d.fileKey}\` | ${d.readme.flag} | ${d.readme.env} | ${d.readme.default} | ${d.readme.meaning} |`;
  }).join('\n');
}
