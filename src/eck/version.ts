/**
 * Elastic Stack versions as the ECK operator reads them: strict semantic versions
 * (`MAJOR.MINOR.PATCH[-prerelease][+build]`, the grammar of semver 2.0.0 that ECK's
 * blang/semver parser enforces), compared by semver precedence.
 */

export interface StackVersion {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers, e.g. `['SNAPSHOT']` for `8.16.0-SNAPSHOT`. */
  prerelease: string[];
  /** Build metadata identifiers (ignored for precedence). */
  build: string[];
  /** The version exactly as written. */
  text: string;
}

const NUMERIC = '0|[1-9]\\d*';
const PRERELEASE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD_ID = '[0-9A-Za-z-]+';
const SEMVER = new RegExp(
  `^(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})` +
    `(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?` +
    `(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`,
);

function toNumber(digits: string): number | undefined {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parses a strict semantic version; `8.16`, `v8.16.0`, ` 8.16.0` and the like give `undefined`. */
export function parseVersion(text: string): StackVersion | undefined {
  const m = SEMVER.exec(text);
  if (!m) return undefined;
  const major = toNumber(m[1] ?? '');
  const minor = toNumber(m[2] ?? '');
  const patch = toNumber(m[3] ?? '');
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  return {
    major,
    minor,
    patch,
    prerelease: m[4] === undefined ? [] : m[4].split('.'),
    build: m[5] === undefined ? [] : m[5].split('.'),
    text,
  };
}

const isNumericId = (id: string): boolean => /^\d+$/.test(id);

/** Compares two numeric identifiers of any length (no leading zeros, by the grammar). */
function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrereleaseIds(a: string, b: string): number {
  const an = isNumericId(a);
  const bn = isNumericId(b);
  if (an && bn) return compareDigits(a, b);
  if (an) return -1; // numeric identifiers have lower precedence than alphanumeric ones
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0; // ASCII order
}

/** Semver precedence: negative when a < b, 0 when equal, positive when a > b. Build metadata is ignored. */
export function compareVersions(a: StackVersion, b: StackVersion): number {
  for (const [x, y] of [
    [a.major, b.major],
    [a.minor, b.minor],
    [a.patch, b.patch],
  ] as const) {
    if (x !== y) return x < y ? -1 : 1;
  }
  // A version without pre-release has higher precedence than one with (8.12.0-SNAPSHOT < 8.12.0).
  if (a.prerelease.length === 0 && b.prerelease.length === 0) return 0;
  if (a.prerelease.length === 0) return 1;
  if (b.prerelease.length === 0) return -1;
  const n = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const c = comparePrereleaseIds(a.prerelease[i] ?? '', b.prerelease[i] ?? '');
    if (c !== 0) return c;
  }
  return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length < b.prerelease.length ? -1 : 1;
}

/**
 * True when `v` is below the release `major.minor.patch` by semver precedence, so pre-releases of that
 * release count as below it (9.0.0-SNAPSHOT is below 9.0.0). ECK's `version.From(...)` with `LT`.
 */
export function isBelow(v: StackVersion, major: number, minor: number, patch: number): boolean {
  return compareVersions(v, { major, minor, patch, prerelease: [], build: [], text: '' }) < 0;
}

/**
 * True when `v` is below ECK's `version.MinFor(major, minor, patch)`: the version with pre-release `1`
 * (pkg/controller/common/version/version.go, `minPreReleaseVersion = mustNewPRVersion("1")`, v2.10.0 to v3.5.0
 * and main). So `8.12.0-SNAPSHOT` and `8.12.0-1` are not below 8.12.0 here, but `8.12.0-0` (numeric 0 < 1) is.
 * The operator uses it for its UBI-suffix and Maps thresholds.
 */
export function isBelowMinFor(v: StackVersion, major: number, minor: number, patch: number): boolean {
  return compareVersions(v, { major, minor, patch, prerelease: ['1'], build: [], text: '' }) < 0;
}
