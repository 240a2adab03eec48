/**
 * `eck-airgap version`: what a bug report needs — eck-airgap's version, the Node.js it runs on (inside the single
 * executable: the Node.js it carries), and the ECK operator releases whose naming rules it knows: the first, the
 * last, and a release line past the last release (rules from ECK's main branch) when the table has one.
 */
import { writeStdout } from '../io/write-output.js';
import { VERSION } from '../version.js';
import { KNOWN_RELEASES, NEWEST_KNOWN_RELEASE, RELEASE_LINES } from '../eck/kinds.js';
import { parseRelease } from '../eck/release.js';

/** The release lines that start past the newest known release (computed from the table, not written here). */
export function unreleasedLines(): string[] {
  const newest = parseRelease(NEWEST_KNOWN_RELEASE);
  if (!newest) return [];
  const key = (v: { major: number; minor: number; patch: number }): number[] => [v.major, v.minor, v.patch];
  const after = (a: number[], b: number[]): boolean => {
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
    return false;
  };
  return RELEASE_LINES.filter((line) => {
    const from = parseRelease(line.from);
    return from !== undefined && after(key(from), key(newest));
  }).map((line) => line.from);
}

declare const ECK_AIRGAP_NODE_ENGINES: string;
declare const ECK_AIRGAP_PINNED_NODE: string;

/** package.json `engines.node` (`>=22`) and the Node.js the single executable carries, set by scripts/build.mjs. */
const NODE_ENGINES = typeof ECK_AIRGAP_NODE_ENGINES === 'string' ? ECK_AIRGAP_NODE_ENGINES : undefined;
const PINNED_NODE = typeof ECK_AIRGAP_PINNED_NODE === 'string' ? ECK_AIRGAP_PINNED_NODE : undefined;

/** When a Node.js release line that eck-airgap no longer supports reached its end of life (nodejs.org schedule). */
const END_OF_LIFE: Readonly<Record<number, string>> = { 16: '2023-09-11', 18: '2025-04-30', 20: '2026-04-30' };

/**
 * What follows the Node.js line when the running Node.js is below package.json's `engines` (the CLI still runs:
 * the launcher may be started by an older node, and refusing would help no one); empty otherwise.
 */
export function nodeSupportNote(version: string, engines: string | undefined, pinned: string | undefined): string {
  const minimum = /^>=\s*(\d+)/.exec(engines ?? '')?.[1];
  const major = /^v?(\d+)\./.exec(version)?.[1];
  if (minimum === undefined || major === undefined || Number(major) >= Number(minimum)) return '';
  const eol = END_OF_LIFE[Number(major)];
  return (
    ` — ${eol ? `end of life since ${eol}, ` : ''}unsupported; eck-airgap supports Node.js ${minimum} or later` +
    (pinned ? `; the single executable carries Node.js ${pinned}` : '')
  );
}

/** The report's lines. */
export function versionReport(inSingleExecutable: boolean): string {
  const unreleased = unreleasedLines();
  const lts = typeof process.release.lts === 'string' ? ` (LTS ${process.release.lts})` : ' (not an LTS release)';
  return [
    `eck-airgap ${VERSION}`,
    `Node.js ${process.version}${lts} ${process.platform}-${process.arch}${inSingleExecutable ? ', carried by the single executable' : ''}${nodeSupportNote(process.version, NODE_ENGINES, PINNED_NODE)}`,
    `ECK operator releases known: ${KNOWN_RELEASES[0]} to ${NEWEST_KNOWN_RELEASE} (${KNOWN_RELEASES.length} releases)`,
    `unreleased ECK release line: ${unreleased.length > 0 ? unreleased.map((from) => `${from} (rules from ECK's main branch)`).join(', ') : 'none'}`,
    '',
  ].join('\n');
}

export async function versionCommand(): Promise<number> {
  const { isSea } = await import('node:sea');
  await writeStdout(versionReport(isSea()));
  return 0;
}
