/**
 * The Application's plugin parameters as Argo CD sends them to a config-management plugin
 * (ApplicationSourcePluginParameters.Environ): ARGOCD_APP_PARAMETERS, a JSON list of {name, string | array | map},
 * and PARAM_<NAME> variables (name upper-cased, every character outside [A-Z0-9_] replaced by "_"; array items as
 * PARAM_<NAME>_<index>, map entries as PARAM_<NAME>_<KEY>). The JSON is the only form that keeps map keys such as
 * image.tag intact, so it is read when present; the variables are the fallback (strings and arrays only).
 * Everything here is written by whoever may edit the Application: it is checked, never trusted.
 */
import { UsageError } from '../errors.js';

export interface Parameter {
  readonly name: string;
  readonly string?: string;
  readonly array?: readonly string[];
  readonly map?: Readonly<Record<string, string>>;
}

/** How a parameter reaches the plugin: from the JSON list, or from PARAM_* variables. */
export interface Parameters {
  readonly source: 'json' | 'env';
  /** A string parameter, or undefined when it is not set. */
  text(name: string): string | undefined;
  /** An array parameter (a string parameter counts as a one-item array). */
  list(name: string): string[];
  /** A map parameter, as [key, value] pairs in the order Argo CD sent them. */
  map(name: string): Array<[string, string]>;
  /** Names given in the JSON list that the plugin does not know (none for PARAM_* variables). */
  unknown(known: readonly string[]): string[];
}

export class ParameterError extends UsageError {}

/** Argo CD's escaping of a parameter name into an environment variable name. */
export function parameterEnvName(name: string): string {
  return `PARAM_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/** Parses ARGOCD_APP_PARAMETERS into checked parameters: each a name and at most one string, array or map of strings. */
export function parseParameterJson(json: string): Map<string, Parameter> {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch (error) {
    throw new ParameterError(`ARGOCD_APP_PARAMETERS is not valid JSON: ${(error as Error).message}.`);
  }
  if (list !== null && !Array.isArray(list))
    throw new ParameterError(`ARGOCD_APP_PARAMETERS is not a JSON list (found ${describe(list)}).`);
  const parameters = new Map<string, Parameter>();
  for (const [index, item] of (list ?? []).entries()) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new ParameterError(
        `ARGOCD_APP_PARAMETERS item ${index}: expected a mapping with a name, found ${describe(item)}.`,
      );
    }
    const record = item as Record<string, unknown>;
    const name = record['name'];
    if (typeof name !== 'string' || name === '') {
      throw new ParameterError(
        `ARGOCD_APP_PARAMETERS item ${index}: expected a non-empty string "name", found ${describe(name)}.`,
      );
    }
    const parameter: { name: string; string?: string; array?: string[]; map?: Record<string, string> } = { name };
    const text = record['string'];
    if (text !== undefined && text !== null) {
      if (typeof text !== 'string')
        throw new ParameterError(`parameter ${name}: "string" must be a string, found ${describe(text)}.`);
      parameter.string = text;
    }
    const array = record['array'];
    if (array !== undefined && array !== null) {
      if (!Array.isArray(array) || array.some((entry) => typeof entry !== 'string')) {
        throw new ParameterError(
          `parameter ${name}: "array" must be a list of strings, found ${describe(array)}${Array.isArray(array) ? ' holding a non-string' : ''}.`,
        );
      }
      parameter.array = array as string[];
    }
    const map = record['map'];
    if (map !== undefined && map !== null) {
      if (typeof map !== 'object' || Array.isArray(map))
        throw new ParameterError(`parameter ${name} must be a map, found ${describe(map)}.`);
      for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
        if (typeof value !== 'string')
          throw new ParameterError(
            `parameter ${name}: the value of ${JSON.stringify(key)} must be a string, found ${describe(value)}.`,
          );
      }
      parameter.map = map as Record<string, string>;
    }
    // The last entry of a name wins, as it would for the PARAM_ variable Argo CD sets twice.
    parameters.set(name, parameter);
  }
  return parameters;
}

/** The parameters in an environment: from ARGOCD_APP_PARAMETERS when it is set and not blank, else from PARAM_*. */
export function readParameters(env: NodeJS.ProcessEnv): Parameters {
  const json = env['ARGOCD_APP_PARAMETERS'];
  if (json !== undefined && json.trim() !== '') {
    const parameters = parseParameterJson(json);
    return {
      source: 'json',
      text: (name) => parameters.get(name)?.string,
      list(name) {
        const parameter = parameters.get(name);
        if (parameter?.array !== undefined) return [...parameter.array];
        if (parameter?.string !== undefined) return [parameter.string];
        return [];
      },
      map: (name) => Object.entries(parameters.get(name)?.map ?? {}),
      unknown: (known) => [...parameters.keys()].filter((name) => !known.includes(name)),
    };
  }
  return {
    source: 'env',
    text: (name) => env[parameterEnvName(name)],
    list(name) {
      const base = parameterEnvName(name);
      const items: string[] = [];
      for (let index = 0; env[`${base}_${index}`] !== undefined; index += 1)
        items.push(env[`${base}_${index}`] as string);
      if (items.length === 0 && env[base] !== undefined) items.push(env[base] as string);
      return items;
    },
    map(name) {
      const prefix = `${parameterEnvName(name)}_`;
      if (Object.keys(env).some((key) => key.startsWith(prefix))) {
        throw new ParameterError(
          `the ${name} parameter needs ARGOCD_APP_PARAMETERS: PARAM_ variables do not keep map keys.`,
        );
      }
      return [];
    },
    unknown: () => [],
  };
}
