/** Checks of an Elastic resource against the operator release that will manage it. */
import type { ElasticKind } from '../eck/kinds.js';
import { kindImage, NamingError, type ContainerSettings } from '../eck/naming.js';
import { InputError } from '../errors.js';
import { NEWEST_RELEASE, releaseIsBelow } from '../eck/release.js';
import { parseVersion } from '../eck/version.js';

/** ECK supports stack 9.x from operator 3.0.0 on: a warning for a 9.x resource under an older operator. */
export function stackVersionWarning(version: string | undefined, container: ContainerSettings, where: string): string | undefined {
  const release = container.release ?? NEWEST_RELEASE;
  const v = version === undefined ? undefined : parseVersion(version);
  if (!v || v.major < 9 || !releaseIsBelow(release, '3.0.0')) return undefined;
  return `${where}: stack ${version} under ECK operator ${release.version}: ECK supports 9.x from operator 3.0.0 on.`;
}

/** An Elastic kind the operator release does not manage is an error (exit 1), whether spec.image is set or not. */
export function checkKindInRelease(kind: ElasticKind, container: ContainerSettings, where: string, releaseFrom: string): void {
  try {
    kindImage(kind, container.release);
  } catch (error) {
    if (error instanceof NamingError) throw new InputError(`${where}: ${error.message} (release from ${releaseFrom}).`);
    throw error;
  }
}
