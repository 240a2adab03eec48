/**
 * Prints the small values render inserts (strings, lists of `{name: …}`, nested mappings) as YAML text,
 * in block style at a given indentation or in flow style, always in forms every YAML parser reads back the same.
 */
import { plainIsStringUnderBoth } from './plain-scalar-reading.js';

export type InsertValue = string | readonly InsertValue[] | { readonly [key: string]: InsertValue };

// A leading `-` is plain only when a non-blank follows (`-ubi`, `--container-registry=r`), never `---`.
const PLAIN_SAFE = /^(?:[A-Za-z0-9_./]|-(?!--)(?=[A-Za-z0-9_./:@+=-]))[A-Za-z0-9_./:@+=-]*$/;
const RESERVED =
  /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\.inf|\.nan|\.?[0-9][0-9_.eE:+-]*|0x[0-9a-fA-F]+|0o[0-7]+|0b[01_]+))$/i;

/**
 * True when `value` written plain reads back as the same string, under YAML 1.2 and YAML 1.1 rules alike (the caller
 * has checked it is one plain scalar: PLAIN_SAFE, no `: `). The schemas' own tags decide (plain-scalar-reading.ts);
 * a test holds this to the library's parse of the value under both versions.
 */
function readsBackAsString(value: string): boolean {
  // No YAML 1.1 or 1.2 type (null, bool, number, timestamp) has a slash: an image reference reads back as itself.
  return value.includes('/') || plainIsStringUnderBoth(value);
}

/** A scalar in plain style when that reads back as the same string, else double-quoted. */
export function scalar(value: string, jsonStyle = false): string {
  if (
    !jsonStyle &&
    PLAIN_SAFE.test(value) &&
    !RESERVED.test(value) &&
    !value.includes(': ') &&
    !value.endsWith(':') &&
    readsBackAsString(value)
  ) {
    return value;
  }
  return JSON.stringify(value);
}

function key(name: string, jsonStyle: boolean): string {
  return scalar(name, jsonStyle);
}

export function flow(value: InsertValue, jsonStyle = false): string {
  if (typeof value === 'string') return scalar(value, jsonStyle);
  if (Array.isArray(value)) return `[${value.map((v) => flow(v, jsonStyle)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, InsertValue>);
  return `{${entries.map(([k, v]) => `${key(k, jsonStyle)}: ${flow(v, jsonStyle)}`).join(', ')}}`;
}

/**
 * Block lines for `name: value` at `indent` spaces, each line ending with `eol`.
 * Lists are written the way Helm and kubectl write them: `- ` at the key's own indentation.
 */
export function blockPair(name: string, value: InsertValue, indent: number, eol: string): string {
  const pad = ' '.repeat(indent);
  if (typeof value === 'string') return `${pad}${key(name, false)}: ${scalar(value)}${eol}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}${key(name, false)}: []${eol}`;
    return `${pad}${key(name, false)}:${eol}${value.map((item) => blockItem(item, indent, eol)).join('')}`;
  }
  const entries = Object.entries(value as Record<string, InsertValue>);
  if (entries.length === 0) return `${pad}${key(name, false)}: {}${eol}`;
  return `${pad}${key(name, false)}:${eol}${entries.map(([k, v]) => blockPair(k, v, indent + 2, eol)).join('')}`;
}

/** One `- item` of a block sequence whose dashes stand at `indent`. */
export function blockItem(item: InsertValue, indent: number, eol: string): string {
  const pad = ' '.repeat(indent);
  if (typeof item === 'string' || Array.isArray(item)) return `${pad}- ${flow(item)}${eol}`;
  const entries = Object.entries(item as Record<string, InsertValue>);
  if (entries.length === 0) return `${pad}- {}${eol}`;
  const [first, ...rest] = entries;
  const head = blockPair(first![0], first![1], indent + 2, eol).slice(indent + 2);
  return `${pad}- ${head}${rest.map(([k, v]) => blockPair(k, v, indent + 2, eol)).join('')}`;
}
