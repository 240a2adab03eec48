/**
 * What a valid setting value is, as data (the descriptor table's `rule`), and the checker of flag and environment
 * values. The config file is checked by the zod schema built from the same rules (src/config/schema.ts), loaded
 * only when there is a config file; flags and environment values, present on every run, are checked here
 * without it. Both give the same messages for the same problems.
 */
import { didYouMean } from '../text/suggest.js';

export type Rule =
  | {
      readonly type: 'string';
      /** A pattern the value must match (it also goes into the JSON Schema), or a test for what a pattern cannot say. */
      readonly pattern?: RegExp;
      readonly valid?: (value: string) => boolean;
      readonly message?: string;
      readonly maxLength?: number;
    }
  | { readonly type: 'boolean' }
  | { readonly type: 'list'; readonly item: Rule; readonly minItems?: number }
  | { readonly type: 'record'; readonly value: Rule }
  | { readonly type: 'object'; readonly fields: Readonly<Record<string, Rule>> };

/** A problem with a value: where (key path) and what. */
export interface Issue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export function valueAt(values: unknown, path: readonly PropertyKey[]): unknown {
  let value = values;
  for (const key of path)
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** How a message names a value of the wrong type: `the number 5000`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${JSON.stringify(value)}`;
}

/**
 * The one rule for a boolean written as text, in every source (a flag's value, an environment variable, a string in
 * the config file, an Argo CD parameter): these spellings, any case, surrounding blanks ignored.
 */
export const BOOLEAN_SPELLINGS = 'true/false, yes/no, on/off, 1/0';
export function parseBoolean(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(value)) return true;
  if (['false', 'no', 'off', '0'].includes(value)) return false;
  return undefined;
}

/** `expected a list, found the string "regcred"`. */
export function wrongType(expected: 'string' | 'boolean' | 'array' | 'object' | string, found: unknown): string {
  const what =
    expected === 'array'
      ? 'a list'
      : expected === 'object' || expected === 'record'
        ? 'a mapping'
        : expected === 'boolean'
          ? `a boolean (${BOOLEAN_SPELLINGS})`
          : `a ${expected}`;
  return `expected ${what}, found ${describeValue(found)}`;
}

/** `unknown key colour`, `unknown keys a, b`, with a suggestion for each key close to one of `known`. */
export function unknownKeys(keys: readonly string[], known: readonly string[] = []): string {
  return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((key) => key + didYouMean(key, known)).join(', ')}`;
}

/** The messages for lengths (the zod schema is given the same). */
export const tooLong = (max: number): string => `longer than ${max} characters`;
export const tooFewItems = (min: number): string =>
  `expected at least ${min} ${min === 1 ? 'entry' : 'entries'}, found none${min === 1 ? '' : ' or fewer'}`;

export function checkRule(rule: Rule, value: unknown, path: (string | number)[], issues: Issue[]): void {
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string') {
        issues.push({ path, message: wrongType('string', value) });
        return;
      }
      if (rule.pattern && !rule.pattern.test(value)) issues.push({ path, message: rule.message ?? 'Invalid string' });
      if (rule.valid && !rule.valid(value)) issues.push({ path, message: rule.message ?? 'Invalid input' });
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        issues.push({ path, message: tooLong(rule.maxLength) });
      return;
    case 'boolean':
      if (typeof value !== 'boolean') issues.push({ path, message: wrongType('boolean', value) });
      return;
    case 'list':
      if (!Array.isArray(value)) {
        issues.push({ path, message: wrongType('array', value) });
        return;
      }
      if (rule.minItems !== undefined && value.length < rule.minItems)
        issues.push({ path, message: tooFewItems(rule.minItems) });
      value.forEach((item, i) => checkRule(rule.item, item, [...path, i], issues));
      return;
    case 'record':
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        issues.push({ path, message: wrongType('object', value) });
        return;
      }
      const entries = Object.entries(value as Record<string, unknown>);
      if (rule.type === 'record') {
        for (const [key, item] of entries) checkRule(rule.value, item, [...path, key], issues);
        return;
      }
      const unknown = entries.map(([key]) => key).filter((key) => !Object.hasOwn(rule.fields, key));
      if (unknown.length > 0) issues.push({ path, message: unknownKeys(unknown, Object.keys(rule.fields)) });
      for (const [key, item] of entries) {
        const field = rule.fields[key];
        if (field && item !== undefined) checkRule(field, item, [...path, key], issues);
      }
      return;
    }
  }
}

/** The problems of a partial settings object (every key optional; unknown keys are problems too). */
export function checkSettings(
  rules: Readonly<Record<string, Rule>>,
  values: Readonly<Record<string, unknown>>,
): Issue[] {
  const issues: Issue[] = [];
  checkRule({ type: 'object', fields: rules }, values, [], issues);
  return issues;
}
