/**
 * Which operator release runs, for the operator model: from the manager's image tag, else the `eckVersion`
 * setting, else the newest release eck-airgap knows; with the warnings a reader must see (a release past the
 * newest tag follows ECK main's rules, marked unreleased; an image pinned by digest only or tagged `latest` says
 * no release).
 */
import { NEWEST_KNOWN_RELEASE, UNRELEASED_LINE } from '../eck/kinds.js';
import { NEWEST_RELEASE, operatorRelease, type OperatorRelease } from '../eck/release.js';
import { UsageError } from '../errors.js';
import { parseReference } from '../image/reference.js';
import { isOperatorImage } from '../image/relocate.js';

/** The release of an operator image (`…/eck-operator[-ubi|-fips…]:X.Y.Z[@digest]`), when its tag says it. */
export function releaseOfOperatorImage(image: string): string | undefined {
  const ref = parseReference(image);
  if (!ref || !isOperatorImage(ref) || ref.tag === undefined) return undefined;
  return operatorRelease(ref.tag) ? ref.tag : undefined;
}

/** Why an operator image's reference does not say its release (`pinned by digest only`, `tagged latest`). */
function untoldRelease(image: string): string {
  const ref = parseReference(image);
  if (ref?.tag === undefined) return ref?.digest !== undefined ? 'is pinned by digest only' : 'has no tag';
  return `is tagged ${ref.tag}, which is not a release number`;
}

export interface ChosenRelease {
  readonly release: OperatorRelease;
  /** Where the release came from, for the report: `operator image …:3.5.0`, `eckVersion 3.4.0`, or the default. */
  readonly releaseFrom: string;
  readonly warnings: readonly string[];
}

/** A manager container as this step needs it: its image and where it is written. */
export interface ReleaseSource {
  readonly image: string;
  readonly where: string;
}

/**
 * The operator release: the first manager whose image tag is a release, else `eckVersion`, else the newest known.
 * Throws a UsageError when eckVersion disagrees with the image, or is not a release number.
 */
export function chooseRelease(managers: readonly ReleaseSource[], eckVersion: string | undefined): ChosenRelease {
  const warnings: string[] = [];
  let release = NEWEST_RELEASE;
  let releaseFrom = `the newest release eck-airgap knows, ${NEWEST_RELEASE.version}: no operator image in the stream and no eckVersion set`;
  const tagged = managers.map((m) => ({ m, tag: releaseOfOperatorImage(m.image) })).find((t) => t.tag !== undefined);
  if (tagged) {
    release = operatorRelease(tagged.tag!)!;
    releaseFrom = `operator image ${tagged.m.image}`;
    if (eckVersion !== undefined && (operatorRelease(eckVersion)?.version ?? eckVersion) !== release.version) {
      throw new UsageError(
        `eckVersion ${eckVersion} disagrees with the operator in the stream (${tagged.m.image}, ${tagged.m.where}): ` +
          `set eckVersion to ${release.version}, or leave it unset to follow the stream.`,
      );
    }
  } else if (eckVersion !== undefined) {
    const found = operatorRelease(eckVersion);
    if (!found)
      throw new UsageError(`eckVersion ${eckVersion}: not an ECK operator release (expected X.Y.Z, e.g. 3.5.0).`);
    release = found;
    releaseFrom = `eckVersion ${eckVersion}`;
  } else if (managers[0]) {
    // An operator is in the stream, but its image does not say which release it is.
    const m = managers[0];
    releaseFrom = `the newest release eck-airgap knows, ${NEWEST_RELEASE.version}: the operator image ${m.image} ${untoldRelease(m.image)}`;
    warnings.push(
      `${m.where}: the operator image ${m.image} ${untoldRelease(m.image)}, so its release cannot be told; its images are ` +
        `named by the rules of ${NEWEST_RELEASE.version}. Set eckVersion (--eck-version) to the operator's release.`,
    );
  }
  const main = `ECK's main branch (VERSION ${UNRELEASED_LINE.version}, not released; names may change before ${UNRELEASED_LINE.from} is released)`;
  if (release.unreleased && release.newerThanKnown) {
    warnings.push(
      `ECK operator ${release.version} is newer than every release eck-airgap knows; its images are named by the rules of ${main}.`,
    );
  } else if (release.unreleased) {
    warnings.push(
      `ECK operator ${release.version} is past the newest release eck-airgap knows (${NEWEST_KNOWN_RELEASE}); its images are named by the rules of ${main}.`,
    );
  } else if (release.newerThanKnown) {
    warnings.push(
      `ECK operator ${release.version} is newer than every release eck-airgap knows; its images are named by the rules of ${NEWEST_RELEASE.version}.`,
    );
  }
  if (release.olderThanKnown) {
    warnings.push(
      `ECK operator ${release.version} is older than every release eck-airgap knows (2.10.0 on); its images are named by 2.10.0's rules.`,
    );
  }
  return { release, releaseFrom, warnings };
}
