/**
 * Which ECK operator release runs, and the release line whose naming rules it follows (see RELEASE_LINES and
 * each kind's `images` in kinds.ts). Releases are compared by their numbers alone: a pre-release of 3.0.0
 * already follows 3.0.0's rules.
 */
import {
  KNOWN_RELEASES,
  NEWEST_KNOWN_RELEASE,
  RELEASE_LINES,
  UNRELEASED_LINE,
  type ElasticKind,
  type KindImage,
  type ReleaseLine,
} from './kinds.js';
import { parseVersion, type StackVersion } from './version.js';

export interface OperatorRelease {
  /** The release as written (`3.5.0`, `2.16.1`, `3.6.0-SNAPSHOT`). */
  readonly version: string;
  /** The release line whose rules apply. */
  readonly line: ReleaseLine;
  /**
   * Newer than every release eck-airgap knows and not main's VERSION (3.5.1, 3.7.0): the newest rules it knows
   * apply (3.5.0's below main's VERSION, main's from it; warn about it).
   */
  readonly newerThanKnown: boolean;
  /** At or past ECK main's VERSION (3.6.0-SNAPSHOT, 3.6.0, 3.7.0): main's rules apply, a line not released (warn). */
  readonly unreleased: boolean;
  /** Older than every release eck-airgap knows: the oldest known rules apply (warn about it). */
  readonly olderThanKnown: boolean;
}

function numbers(v: StackVersion): [number, number, number] {
  return [v.major, v.minor, v.patch];
}

/** Compares two release numbers, pre-release and build ignored. */
function compareRelease(a: StackVersion, b: StackVersion): number {
  const x = numbers(a);
  const y = numbers(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

const parsedReleases = new Map<string, StackVersion>();

/** A release number of the tables (or of a release already accepted), parsed once. */
function mustParse(text: string): StackVersion {
  let v = parsedReleases.get(text);
  if (v) return v;
  v = parseRelease(text);
  if (!v) throw new Error(`internal error: ${text} is not a release number`);
  parsedReleases.set(text, v);
  return v;
}

const LINES = RELEASE_LINES.map((line) => ({ line, from: mustParse(line.from) }));
const NEWEST = mustParse(NEWEST_KNOWN_RELEASE);
const OLDEST = mustParse(KNOWN_RELEASES[0]!);
const UNRELEASED_FROM = mustParse(UNRELEASED_LINE.from);

/** A release number as the operator image tags it: X.Y.Z, optionally with a pre-release or build (3.0.0-rc1). */
export function parseRelease(text: string): StackVersion | undefined {
  return parseVersion(text.startsWith('v') ? text.slice(1) : text);
}

/** The operator release for a version text; undefined when it is not X.Y.Z. */
export function operatorRelease(text: string): OperatorRelease | undefined {
  const v = parseRelease(text);
  if (!v) return undefined;
  let line = LINES[0]!.line;
  for (const entry of LINES) if (compareRelease(entry.from, v) <= 0) line = entry.line;
  return {
    version: v.text,
    line,
    newerThanKnown: compareRelease(v, NEWEST) > 0 && compareRelease(v, UNRELEASED_FROM) !== 0,
    unreleased: compareRelease(v, UNRELEASED_FROM) >= 0,
    olderThanKnown: compareRelease(v, OLDEST) < 0,
  };
}

/** The newest release eck-airgap knows (the default when nothing says which release runs). */
export const NEWEST_RELEASE: OperatorRelease = operatorRelease(NEWEST_KNOWN_RELEASE)!;

/** How this release names a kind's default image; undefined when the release does not manage the kind. */
export function kindImageFor(kind: ElasticKind, release: OperatorRelease): KindImage | undefined {
  const v = mustParse(release.version);
  let found: KindImage | undefined;
  for (const image of kind.images) if (compareRelease(mustParse(image.from), v) <= 0) found = image;
  // An operator older than every known release follows the oldest known rules, kinds included.
  if (!found && release.olderThanKnown && kind.images[0]?.from === KNOWN_RELEASES[0]) found = kind.images[0];
  return found;
}

/** The first release that manages a kind. */
export function firstReleaseOf(kind: ElasticKind): string {
  return kind.images[0]!.from;
}

/** True when the release is below X.Y.Z (numbers only). */
export function releaseIsBelow(release: OperatorRelease, text: string): boolean {
  return compareRelease(mustParse(release.version), mustParse(text)) < 0;
}
