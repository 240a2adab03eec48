/**
 * The config file as a source of settings (`-c FILE`, `$ECK_AIRGAP_CONFIG`, `./eck-airgap.yaml`). Its own module,
 * loaded only when there is a config file: it is the only reason the settings would need the YAML parser.
 */
import { parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import { BoundedReadError, readBounded } from '../io/read-bounded.js';
import { checkWithSchema } from './schema.js';
import { SETTING_KEYS, SETTINGS } from './descriptors.js';
import { parseBoolean } from './rules.js';
import type { Source } from './sources.js';

/** A settings file is small; past this it is not one (and must not fill memory). */
export const MAX_CONFIG_FILE = 1024 * 1024;

export function fileSource(path: string): Source {
  let text: string;
  try {
    // Only a regular file, or a pipe that has a writer now (`-c <(…)`; a FIFO with no writer is refused at once, not
    // waited for), and at most MAX_CONFIG_FILE bytes; a device could be endless.
    text = readBounded(path, { what: 'config file', maxBytes: MAX_CONFIG_FILE, fifoWaitMs: 0 }).toString('utf8');
  } catch (error) {
    if (!(error instanceof BoundedReadError)) throw error;
    const why =
      error.code === 'EINVAL' || error.code === 'EFBIG'
        ? error.message.slice(`config file ${path}: `.length)
        : (error.code ?? error.message);
    throw new UsageError(`Cannot read config file ${path}: ${why}.`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  const problem = doc.errors[0];
  if (problem) {
    const at = problem.linePos?.[0];
    throw new UsageError(
      `Config file ${path}${at ? `, line ${at.line}, column ${at.col}` : ''}: not valid YAML (${problem.message.split('\n')[0]}).`,
    );
  }
  let values: unknown;
  try {
    values = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    // yaml refuses to expand an alias bomb (ReferenceError: excessive alias count); nothing else is expected here.
    if (!(error instanceof ReferenceError)) throw error;
    throw new UsageError(
      `Config file ${path}: its aliases expand to too many values (${error.message}); write the settings out.`,
    );
  }
  if (values !== null && values !== undefined && (typeof values !== 'object' || Array.isArray(values))) {
    throw new UsageError(
      `Config file ${path}: expected a mapping of settings (registry, repository, …), found ${Array.isArray(values) ? 'a list' : typeof values}.`,
    );
  }
  return {
    label: `config file ${path}`,
    keyName: (key) => key,
    values: booleansRead((values ?? {}) as Record<string, unknown>),
    validate: checkWithSchema,
  };
}

/**
 * A boolean setting written as a string (`ubiOnly: "yes"`, or `yes`, which YAML 1.2 reads as a string) is read
 * by the same rule as the environment and Argo CD's parameters (rules.ts parseBoolean); any other string stays
 * as it is, for the schema to refuse with the accepted spellings.
 */
function booleansRead(values: Record<string, unknown>): Record<string, unknown> {
  const out = { ...values };
  for (const key of SETTING_KEYS) {
    const value = out[key];
    if (SETTINGS[key].rule.type !== 'boolean' || typeof value !== 'string') continue;
    const parsed = parseBoolean(value);
    if (parsed !== undefined) out[key] = parsed;
  }
  return out;
}
