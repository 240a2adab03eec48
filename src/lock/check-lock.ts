/** `check --lock FILE`: the hermetic gate's report (offenders on stdout, a summary on stderr) and exit code. */
import { writeStderr, writeStdout } from '../io/write-output.js';
import { describeUse } from '../analysis/describe-use.js';
import type { ImageUse } from '../analysis/image-use.js';
import { findOffenders } from '../analysis/offenders.js';
import { unpinnedUses } from './hermetic.js';
import { LockPins } from './pins.js';

/** With the lock, every use must be pinned to a locked digest; and from an accepted registry, when any is given. */
export async function checkLock(
  uses: readonly ImageUse[],
  allowed: ReadonlySet<string>,
  lockPath: string,
  quiet: boolean,
): Promise<number> {
  const pins = LockPins.read(lockPath);
  const unpinned = unpinnedUses(uses, pins);
  const outside = allowed.size > 0 ? findOffenders(uses, allowed) : [];
  const lines = [
    ...unpinned.map((u) => `${u.use.image} (${u.why}): ${describeUse(u.use.usedBy)} [${u.use.where}]\n`),
    ...outside
      .filter((o) => !unpinned.some((u) => u.use === o.use))
      .map(
        (o) =>
          `${o.use.image} (${o.registry}, not an accepted registry): ${describeUse(o.use.usedBy)} [${o.use.where}]\n`,
      ),
  ];
  if (lines.length === 0) {
    if (!quiet)
      writeStderr(
        `eck-airgap: check passed: all ${uses.length} image uses are pinned to digests the lock ${lockPath} holds.\n`,
      );
    return 0;
  }
  await writeStdout(lines.join(''));
  writeStderr(
    `eck-airgap: check failed: ${lines.length} of ${uses.length} image uses are not pinned to a digest the lock ${lockPath} holds` +
      `${outside.length > 0 ? ' or come from outside the accepted registries' : ''} (listed on stdout). Render with --lock ${lockPath} ` +
      `(after eck-airgap verify --lock-output ${lockPath}).\n`,
  );
  return 1;
}
