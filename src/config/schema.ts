/**
 * The zod schema of eck-airgap's settings, built from the rules of the descriptor table (src/config/descriptors.ts):
 * it checks the config file (whose values may be of any type) and gives the JSON Schema (`eck-airgap schema`).
 * Loaded only for those two: flags and environment values are checked by src/config/rules.ts, with the same
 * messages. The config file, the environment and the command line each give a partial object of this shape;
 * they are checked separately (so every problem names where it came from) and merged, flags first, then the
 * environment, then the file.
 */
import {
  array,
  boolean,
  maxLength,
  minLength,
  optional,
  record,
  refine,
  regex,
  strictObject,
  string,
  type ZodMiniType,
} from 'zod/mini';
import { SETTING_KEYS, SETTINGS } from './descriptors.js';
import { tooFewItems, tooLong, unknownKeys, valueAt, wrongType, type Issue, type Rule } from './rules.js';

function schemaOf(rule: Rule): ZodMiniType {
  switch (rule.type) {
    case 'string': {
      const checks = [];
      if (rule.pattern) checks.push(regex(rule.pattern, { message: rule.message }));
      const { valid } = rule;
      if (valid) checks.push(refine((value: unknown) => valid(value as string), { message: rule.message }));
      if (rule.maxLength !== undefined) checks.push(maxLength(rule.maxLength, { message: tooLong(rule.maxLength) }));
      return checks.length > 0 ? string().check(...checks) : string();
    }
    case 'boolean':
      return boolean();
    case 'list':
      return rule.minItems !== undefined
        ? array(schemaOf(rule.item)).check(minLength(rule.minItems, { message: tooFewItems(rule.minItems) }))
        : array(schemaOf(rule.item));
    case 'record':
      return record(string(), schemaOf(rule.value));
    case 'object':
      return strictObject(
        Object.fromEntries(Object.entries(rule.fields).map(([key, field]) => [key, optional(schemaOf(field))])),
      );
  }
}

export const settingsSchema = strictObject(
  Object.fromEntries(SETTING_KEYS.map((key) => [key, optional(schemaOf(SETTINGS[key].rule))])),
);

export const settingsDescriptions: Record<string, string> = Object.fromEntries(
  SETTING_KEYS.map((key) => [key, SETTINGS[key].description]),
);

/** The problems of a partial settings object of any shape (a config file's), in rules.ts's words. */
export function checkWithSchema(values: Readonly<Record<string, unknown>>): Issue[] {
  const result = settingsSchema.safeParse(values);
  if (result.success) return [];
  // A value of the wrong type is that one problem (zod also runs the checks of the right type on it).
  const wrong = new Set(
    result.error.issues.filter((issue) => issue.code === 'invalid_type').map((issue) => issue.path.join('\0')),
  );
  const issues = result.error.issues.filter(
    (issue) => issue.code === 'invalid_type' || !wrong.has(issue.path.join('\0')),
  );
  return issues.map((issue) => ({
    path: issue.path as (string | number)[],
    message:
      issue.code === 'unrecognized_keys'
        ? unknownKeys(
            issue.keys,
            issue.path.length === 0 ? SETTING_KEYS : issue.path[0] === 'operator' ? ['repository'] : [],
          )
        : issue.code === 'invalid_type'
          ? wrongType(issue.expected, valueAt(values, issue.path))
          : issue.message,
  }));
}
