/**
 * eck-airgap models one ECK operator per stream. A stream with two (one per team namespace, each restricted with
 * `--namespaces`, with their own settings) cannot be rendered with one model: every resource would get the first
 * operator's settings, and the second operator's flags would be rewritten to match. Such a stream is refused,
 * naming each operator.
 */
import { InputError } from '../errors.js';
import { get, scalarText } from '../yaml/node-lookup.js';
import type { ManagerContainer } from './manager-container.js';

/**
 * An escape that can stand for any character (`\x65`, `\u0065`, `\U00000065`) or an escaped line break, which
 * joins two lines of a double-quoted scalar without a space: either could spell `eck-operator` in other characters.
 */
const SPELLING_ESCAPE = /\\(?:[xuU]|\r?\n)/;

/**
 * Whether a document's raw text may hold an operator manager container: its image names `eck-operator` (the
 * detection of manager-container.ts goes by that name), or the text has an escape that could spell it. Any other
 * document cannot hold one, and need not be parsed to know.
 */
export function mayHoldManager(text: string): boolean {
  return text.includes('eck-operator') || SPELLING_ESCAPE.test(text);
}

/** How many operators the refusal names one by one (a stream of many copies of a chart would fill a screen). */
const NAMED_AT_MOST = 10;

/** Throws an InputError naming each operator when the stream holds more than one manager container. */
export function refuseSeveralOperators(managers: readonly ManagerContainer[]): void {
  if (managers.length < 2) return;
  const counts = new Map<string, number>();
  for (const m of managers) counts.set(m.where, (counts.get(m.where) ?? 0) + 1);
  const names = managers.map((m) => {
    // Two manager containers in one workload: the container names tell them apart.
    const container = scalarText(get(m.container, 'name', m.doc));
    return (counts.get(m.where) ?? 0) > 1 && container !== undefined ? `${m.where}, container ${container}` : m.where;
  });
  // A paragraph a reader takes in: the first few are named, the rest counted.
  const shown =
    names.length > NAMED_AT_MOST
      ? [...names.slice(0, NAMED_AT_MOST), `and ${names.length - NAMED_AT_MOST} more`]
      : names;
  throw new InputError(
    `The stream holds ${managers.length} ECK operators (${shown.join('; ')}). eck-airgap models one operator per ` +
      `stream: the images a resource needs depend on the settings of the operator that manages it, and with one ` +
      `model every resource and every operator would get the first operator's settings. Render each operator's ` +
      `release on its own (e.g. \`helm template\` one release at a time, each through eck-airgap), or leave all ` +
      `but one operator out of the stream.`,
  );
}
