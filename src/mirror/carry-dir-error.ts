/**
 * `verify --dir DIR` and `mirror --from-dir DIR` read a carry: the directory `mirror --to-dir DIR` wrote on the
 * connected side. When DIR is not there, the error says so, where it looked, and what the flag expects.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { MANIFEST_FILE } from './layout.js';

/** The usage error for a carry directory that is missing or no directory; undefined when it is a directory. */
export function carryDirError(flag: '--dir' | '--from-dir', given: string): UsageError | undefined {
  const path = resolve(given);
  let isDirectory = false;
  const exists = existsSync(path);
  try {
    isDirectory = exists && statSync(path).isDirectory();
  } catch {
    // unreadable: said below as not a directory
  }
  if (isDirectory) return undefined;
  const what = exists ? 'not a directory' : 'no such directory';
  const use =
    flag === '--dir'
      ? 'verify --dir checks a carry before it crosses'
      : 'mirror --from-dir copies a carry to the mirror';
  return new UsageError(
    `${flag} ${given}: ${what}${path !== given ? ` (${path})` : ''}. ${use}: the directory \`mirror --to-dir DIR\` ` +
      `wrote on the connected side (an OCI layout with its record ${MANIFEST_FILE}); give that directory, or write ` +
      `one first with eck-airgap mirror --to-dir DIR.`,
  );
}
