/**
 * `eck-airgap check`: exit 0 when every image the release would pull — operator defaults and monitoring sidecars
 * included, named as the operator in the cluster will name them — comes from the mirror, a `mirrors`
 * destination or an allowed registry; exit 1 listing each offender on stdout otherwise. See docs/images-and-check.md.
 */
import { loadSettings } from '../config/load-settings.js';
import type { FlagValues } from '../config/sources.js';
import { readInputs } from '../cli/read-input.js';
import { writeStderr, writeStdout } from '../cli/write-output.js';
import { UsageError } from '../errors.js';
import { collectImageUses } from '../analysis/collect-image-uses.js';
import { findOffenders } from '../analysis/offenders.js';
import { operatorOfRelease, readRelease } from '../analysis/read-release.js';
import { pullsFromNow, type OperatorModel } from '../operator/operator-model.js';
import { DEFAULT_CONTAINER_REGISTRY } from '../eck/kinds.js';
import type { ContainerSettings } from '../eck/naming.js';
import { DOCKER_HUB_DOMAIN, isRegistryHost, parseMirrorTarget } from '../image/reference.js';
import { mirrorDomains } from '../image/relocate.js';
import { registryKey } from '../image/reference.js';
import type { Settings } from '../config/settings.js';
import { describeUse } from '../analysis/describe-use.js';

export interface CheckFlags extends FlagValues {
  quiet?: boolean;
  allow?: string[];
  operatorRegistry?: string;
}

function registryFlag(flag: string, value: string): string {
  if (!isRegistryHost(value)) {
    throw new UsageError(`${flag} ${value}: not a registry host (expected host[:port], e.g. my.registry:5000 or docker.io).`);
  }
  return value === 'index.docker.io' ? DOCKER_HUB_DOMAIN : value;
}

function containerRegistryFlag(value: string): string {
  const parts = parseMirrorTarget(value);
  if (!parts) throw new UsageError(`--operator-registry ${value}: not a container registry (expected host[:port][/path], e.g. my.registry:5000 or harbor.corp/elastic).`);
  return parts.domain === 'index.docker.io' ? value.replace('index.docker.io', DOCKER_HUB_DOMAIN) : value;
}

/** Where the operator in the cluster pulls its defaults and sidecars from: as the stream says, else as configured. */
function operatorContainer(operator: OperatorModel, settings: Settings, operatorRegistry: string | undefined): ContainerSettings {
  if (operator.inStream) return pullsFromNow(operator);
  return {
    registry: operatorRegistry ?? DEFAULT_CONTAINER_REGISTRY,
    ...(settings.repository !== undefined ? { repository: settings.repository } : {}),
    ...(settings.suffix !== undefined ? { suffix: settings.suffix } : {}),
    release: operator.release,
  };
}

export async function checkCommand(files: string[], flags: CheckFlags): Promise<number> {
  const allow = (flags.allow ?? []).map((a) => registryFlag('--allow', a));
  // The operator's container registry may carry a path (`harbor.corp/elastic`), as the operator prefixes it as it is.
  const operatorRegistry = flags.operatorRegistry === undefined ? undefined : containerRegistryFlag(flags.operatorRegistry);
  const settings = await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: false });
  const allowed = new Set<string>([...allow, ...allow.map(registryKey)]);
  for (const domain of mirrorDomains(settings)) if (domain !== '') allowed.add(domain);
  if (allowed.size === 0 && settings.lock === undefined) {
    throw new UsageError(
      'check needs to know where images may come from: give the mirror (--registry my.registry, ECK_AIRGAP_REGISTRY, ' +
        'or `registry:` in the config file) and/or --allow REGISTRY.',
    );
  }
  const parsed = readRelease(await readInputs(files));
  const operator = operatorOfRelease(parsed, settings.eckVersion);
  const container = operatorContainer(operator, settings, operatorRegistry);
  const warnings = [...operator.warnings];
  const uses = collectImageUses(parsed, container, operator.releaseFrom, warnings);
  if (!flags.quiet) for (const warning of warnings) writeStderr(`eck-airgap: warning: ${warning}\n`);
  if (settings.lock !== undefined) return (await import('../lock/check-lock.js')).checkLock(uses, allowed, settings.lock, flags.quiet === true);
  const offenders = findOffenders(uses, allowed);
  const where = [...allowed].sort().join(', ');
  if (offenders.length === 0) {
    if (!flags.quiet) writeStderr(`eck-airgap: check passed: all ${uses.length} image uses pull from ${where}.\n`);
    return 0;
  }
  const lines = offenders.map((o) => `${o.use.image} (${o.registry}): ${describeUse(o.use.usedBy)} [${o.use.where}]\n`);
  await writeStdout(lines.join(''));
  writeStderr(
    `eck-airgap: check failed: ${offenders.length} of ${uses.length} image uses would be pulled from outside ${where} ` +
      `(listed on stdout). Mirror them and render with eck-airgap, or allow their registry with --allow.\n`,
  );
  return 1;
}
