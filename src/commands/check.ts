/**
 * `eck-airgap check`: exit 0 when every image the release would pull — operator defaults and monitoring sidecars
 * included, named as the operator in the cluster will name them — comes from the mirror, a `mirrors`
 * destination or an allowed registry; exit 1 listing each offender on stdout otherwise. See docs/images-and-check.md.
 */
import { loadSettings } from '../config/load-settings.js';
import type { FlagValues } from '../config/sources.js';
import { readInputs } from '../io/read-input.js';
import { writeStderr, writeStdout } from '../io/write-output.js';
import { UsageError } from '../errors.js';
import { readRelease } from '../analysis/read-release.js';
import {
  acceptedRegistries,
  judgeRelease,
  offenderAdvice,
  offenderLines,
  unseenAdvice,
} from '../analysis/judge-release.js';
import { DOCKER_HUB_DOMAIN, isRegistryHost, parseMirrorTarget } from '../image/reference.js';

export interface CheckFlags extends FlagValues {
  quiet?: boolean;
  allow?: string[];
  operatorRegistry?: string;
}

function registryFlag(flag: string, value: string): string {
  if (!isRegistryHost(value)) {
    throw new UsageError(
      `${flag} ${value}: not a registry host (expected host[:port], e.g. my.registry:5000 or docker.io).`,
    );
  }
  return value === 'index.docker.io' ? DOCKER_HUB_DOMAIN : value;
}

/** The operator's container registry may carry a path (`harbor.corp/elastic`): the operator prefixes it as it is. */
function containerRegistryFlag(value: string): string {
  const parts = parseMirrorTarget(value);
  if (!parts)
    throw new UsageError(
      `--operator-registry ${value}: not a container registry (expected host[:port][/path], e.g. my.registry:5000 or harbor.corp/elastic).`,
    );
  return parts.domain === 'index.docker.io' ? value.replace('index.docker.io', DOCKER_HUB_DOMAIN) : value;
}

export async function checkCommand(files: string[], flags: CheckFlags): Promise<number> {
  const allow = (flags.allow ?? []).map((a) => registryFlag('--allow', a));
  // The operator's container registry may carry a path (`harbor.corp/elastic`), as the operator prefixes it as it is.
  const operatorRegistry =
    flags.operatorRegistry === undefined ? undefined : containerRegistryFlag(flags.operatorRegistry);
  const settings = await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: false });
  if (acceptedRegistries(settings, allow).size === 0 && settings.lock === undefined) {
    throw new UsageError(
      'check needs to know where images may come from: give the mirror (--registry my.registry, ECK_AIRGAP_REGISTRY, ' +
        'or `registry:` in the config file) and/or --allow REGISTRY.',
    );
  }
  const judgement = judgeRelease(readRelease(await readInputs(files)), settings, { allow, operatorRegistry });
  const { uses, offenders, where } = judgement;
  if (!flags.quiet) for (const warning of judgement.warnings) writeStderr(`eck-airgap: warning: ${warning}\n`);
  // --lock: the hermetic gate (every image use pinned to a digest the lock holds), src/lock/check-lock.ts
  if (settings.lock !== undefined)
    return (await import('../lock/check-lock.js')).checkLock(
      uses,
      judgement.allowed,
      settings.lock,
      flags.quiet === true,
    );
  // No pass on a guess: a settings source of the operator the stream does not hold may name other images.
  if (judgement.unseen.length > 0) {
    const lines = judgement.unseen.map(
      ({ source, keys }) => `${source.id}: ${source.what}; may set ${keys.join(', ')}\n`,
    );
    await writeStdout(
      offenderLines(judgement)
        .map((line) => `${line}\n`)
        .join('') + lines.join(''),
    );
    writeStderr(`eck-airgap: check failed: ${unseenAdvice(judgement)}\n`);
    return 1;
  }
  if (offenders.length === 0) {
    if (!flags.quiet) writeStderr(`eck-airgap: check passed: all ${uses.length} image uses pull from ${where}.\n`);
    return 0;
  }
  await writeStdout(
    offenderLines(judgement)
      .map((line) => `${line}\n`)
      .join(''),
  );
  writeStderr(
    `eck-airgap: check failed: ${offenders.length} of ${uses.length} image uses would be pulled from outside ${where} ` +
      `(listed on stdout). ${offenderAdvice(judgement, { rendered: false })}\n`,
  );
  return 1;
}
