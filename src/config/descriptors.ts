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

/** A platform as `verify --platform` and `mirror --platform` take it: OS/ARCH or OS/ARCH/VARIANT. */
const platform: Rule = {
  type: 'string',
  pattern: /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/,
  message: 'not a platform (expected OS/ARCH or OS/ARCH/VARIANT, e.g. linux/amd64, linux/arm64/v8)',
};

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
  /**
   * `registry access`: a setting of the commands that talk to registries only (mirror and verify), whose flags only
   * they take; every other command ignores it in the environment and the file.
   */
  readonly scope?: 'registry access';
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
  plainHttp: entry(boolean, {
    flag: '--plain-http',
    flagName: '--plain-http',
    option: 'plainHttp',
    env: 'PLAIN_HTTP',
    form: 'boolean',
    fileKey: 'plainHttp',
    scope: 'registry access',
    help: 'the mirror (--registry) speaks plain HTTP, no TLS (a loopback or test registry); mirror: skopeo --dest-tls-verify=false',
    description:
      'mirror and verify: the mirror (registry) speaks plain HTTP (no TLS), e.g. a loopback or test registry. mirror passes skopeo --dest-tls-verify=false for it; the source registries are not affected (use registriesConf).',
    readme: {
      flag: '`--plain-http`',
      env: '`ECK_AIRGAP_PLAIN_HTTP`',
      default: '`false`',
      meaning:
        '`mirror`/`verify`: the mirror speaks plain HTTP (mirror: skopeo `--dest-tls-verify=false`); not the source registries ([registry access](docs/mirror-and-verify.md#registry-access))',
    },
  }),
  caFile: entry(filePath, {
    flag: '--ca-file <file>',
    flagName: '--ca-file',
    option: 'caFile',
    env: 'CA_FILE',
    form: 'string',
    fileKey: 'caFile',
    scope: 'registry access',
    help: 'also trust this CA (PEM) for the mirror (--registry); mirror gives skopeo a private directory holding only it',
    description:
      "mirror and verify: a PEM file of CA certificates also trusted for the mirror (registry). mirror copies it alone into a private temporary directory for skopeo's --dest-cert-dir (removed after), so no key next to it reaches skopeo.",
    readme: {
      flag: '`--ca-file FILE`',
      env: '`ECK_AIRGAP_CA_FILE`',
      default: 'unset',
      meaning:
        "`mirror`/`verify`: also trust this CA (PEM) for the mirror (mirror: a private copy as skopeo's `--dest-cert-dir`)",
    },
  }),
  authfile: entry(filePath, {
    flag: '--authfile <file>',
    flagName: '--authfile',
    option: 'authfile',
    env: 'AUTHFILE',
    form: 'string',
    fileKey: 'authfile',
    scope: 'registry access',
    help: 'credentials, a containers auth.json or Docker config.json (default: $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json)',
    description:
      'mirror and verify: the credentials file (a containers auth.json or Docker config.json), for every registry it names (mirror: skopeo --authfile, for source and mirror).',
    readme: {
      flag: '`--authfile FILE`',
      env: '`ECK_AIRGAP_AUTHFILE`',
      default: '`$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`, `~/.docker/config.json`',
      meaning: '`mirror`/`verify`: credentials per registry host (mirror: skopeo `--authfile`, both sides)',
    },
  }),
  registriesConf: entry(filePath, {
    flag: '--registries-conf <file>',
    flagName: '--registries-conf',
    option: 'registriesConf',
    env: 'REGISTRIES_CONF',
    form: 'string',
    fileKey: 'registriesConf',
    scope: 'registry access',
    help: 'a containers registries.conf for skopeo, e.g. a local stand-in for docker.elastic.co (verify contacts only the mirror, by its name)',
    description:
      'mirror and verify: a containers registries.conf given to skopeo (its global --registries-conf), e.g. a local stand-in or proxy for docker.elastic.co. verify contacts only the mirror, under its own name, so it checks that the file exists and reads nothing else from it.',
    readme: {
      flag: '`--registries-conf FILE`',
      env: '`ECK_AIRGAP_REGISTRIES_CONF`',
      default: 'unset',
      meaning:
        "`mirror`/`verify`: skopeo's registries.conf (where the source registries are reached); verify contacts only the mirror",
    },
  }),
  platforms: entry(
    { type: 'list', item: platform },
    {
      flag: '--platform <os/arch>',
      flagName: '--platform',
      option: 'platform',
      env: 'PLATFORMS',
      form: 'list',
      fileKey: 'platforms',
      scope: 'registry access',
      help: 'a platform every image must have, e.g. linux/arm64 (repeatable; default: all an index lists); mirror still copies every platform',
      description:
        'mirror and verify: platforms (OS/ARCH or OS/ARCH/VARIANT) every image must have on the mirror. mirror still copies every platform, digests preserved, and fails an image that lacks one; verify reports it as platform missing.',
      readme: {
        flag: '`--platform OS/ARCH[/VARIANT]` (repeatable)',
        env: '`ECK_AIRGAP_PLATFORMS` (comma list)',
        default: '`[]` (every platform an index lists)',
        meaning:
          '`mirror`/`verify`: platforms every image must have on the mirror (mirror still copies all, digests kept, and fails an image without one)',
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
