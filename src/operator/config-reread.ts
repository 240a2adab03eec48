/**
 * The configuration file re-read after an edit: it must say what the changes say, every other key as it did, under
 * YAML 1.2 and YAML 1.1 rules (the operator reads it with Go's YAML), keys as viper reads them (lower-cased).
 */
import { isMap, parseDocument } from 'yaml';
import { composeBlockSubset } from '../yaml/compose-block-subset.js';
import { readsAlikeUnder11 } from '../yaml/plain-scalar-reading.js';
import type { OperatorConfigChanges } from './config-read.js';

/**
 * The configuration as the operator will read it must say what `changes` says, and everything else must read as it
 * did: checked under YAML 1.2 and YAML 1.1 rules (the operator reads it with Go's YAML). Returns a reason when not.
 * `was` is `before` as the fast composer reads it (a caller that has composed it already passes it in).
 */
export function configProblem(
  before: string,
  after: string,
  changes: OperatorConfigChanges,
  was = composeBlockSubset(before),
): string | undefined {
  // Both texts plain block YAML whose every plain scalar reads alike under 1.1 and 1.2 (plain-scalar-reading.ts): one
  // reading stands for both versions, and the fast composer gives it (it reads exactly as the library does; no
  // aliases, so nothing to expand). Else the library reads both texts under each version.
  const now = composeBlockSubset(after);
  if (isMap(was) && isMap(now) && readsAlikeUnder11(was) && readsAlikeUnder11(now)) {
    return readingProblem(was.toJSON() as Record<string, unknown>, now.toJSON() as unknown, changes);
  }
  return configProblemByLibrary(before, after, changes);
}

/** configProblem read by the `yaml` library under YAML 1.2 and 1.1 (exported for the test that holds both equal). */
export function configProblemByLibrary(
  before: string,
  after: string,
  changes: OperatorConfigChanges,
): string | undefined {
  try {
    for (const version of ['1.2', '1.1'] as const) {
      const was = parseDocument(before, { version, uniqueKeys: false });
      const now = parseDocument(after, { version, uniqueKeys: true });
      if (now.errors.length > 0) return `it would no longer be valid YAML (${now.errors[0]!.message.split('\n')[0]})`;
      const problem = readingProblem(
        (was.toJS({ maxAliasCount: 1000 }) ?? {}) as Record<string, unknown>,
        now.toJS({ maxAliasCount: 1000 }) as unknown,
        changes,
      );
      if (problem) return problem;
    }
    return undefined;
  } catch (error) {
    // toJS refuses an alias left without its anchor, or one that expands too far.
    return `it would not read back (${(error as Error).message.split('\n')[0]})`;
  }
}

/** What is wrong with the configuration as read after the edit (`nowJs`), given how it read before (`wasJs`). */
function readingProblem(
  wasJs: Record<string, unknown>,
  nowJs: unknown,
  changes: OperatorConfigChanges,
): string | undefined {
  if (typeof nowJs !== 'object' || nowJs === null || Array.isArray(nowJs)) return 'it would no longer be a mapping';
  // As viper reads it: keys lower-cased (two spellings of one key are refused before any edit).
  const lower = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
  const got = lower(nowJs as Record<string, unknown>);
  wasJs = lower(wasJs);
  for (const [key, value] of changes) {
    const want = value === null ? undefined : key === 'ubi-only' ? value === 'true' : value;
    if (got[key] !== want) return `${key} would read as ${JSON.stringify(got[key])}`;
  }
  const others = (o: Record<string, unknown>): string =>
    JSON.stringify(
      Object.keys(o)
        .filter((k) => !changes.has(k))
        .sort()
        .map((k) => [k, o[k]]),
    );
  if (others(wasJs) !== others(got)) return 'other keys would change';
  return undefined;
}

/** The configuration rewritten through the YAML library (comments kept, layout normalised). */
