// A structural check of a document against a CRD's openAPIV3Schema, as the API server's structural-schema
// validation does for the parts a generated policy uses: type (object, array, string, boolean, integer, number),
// properties with unknown fields refused (unless x-kubernetes-preserve-unknown-fields or additionalProperties),
// required, enum, items, x-kubernetes-int-or-string. Written here from the Kubernetes structural-schema rules;
// returns every problem with its path.
type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: unknown[];
  items?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
};

export function checkAgainstSchema(value: unknown, schema: Schema, path = ''): string[] {
  const problems: string[] = [];
  const at = path || '<root>';
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) problems.push(`${at}: not an integer or string`);
    return problems;
  }
  switch (schema.type) {
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      const obj = value as Record<string, unknown>;
      for (const r of schema.required ?? []) if (!(r in obj)) problems.push(`${at}: required field ${r} missing`);
      for (const [k, v] of Object.entries(obj)) {
        const sub = schema.properties?.[k];
        if (sub) problems.push(...checkAgainstSchema(v, sub, `${path}.${k}`));
        else if (typeof schema.additionalProperties === 'object')
          problems.push(...checkAgainstSchema(v, schema.additionalProperties, `${path}.${k}`));
        else if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true)
          problems.push(`${path}.${k}: unknown field`);
      }
      break;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`];
      value.forEach((v, i) => schema.items && problems.push(...checkAgainstSchema(v, schema.items, `${path}[${i}]`)));
      break;
    case 'string':
      if (typeof value !== 'string') problems.push(`${at}: not a string`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${at}: not a boolean`);
      break;
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${at}: not an integer`);
      break;
    case 'number':
      if (typeof value !== 'number') problems.push(`${at}: not a number`);
      break;
    default:
      break;
  }
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${at}: ${JSON.stringify(value)} not one of ${JSON.stringify(schema.enum)}`);
  return problems;
}
