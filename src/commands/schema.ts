/** `eck-airgap schema`: the JSON Schema of the config file, for editors (yaml-language-server and the like). */
import { toJSONSchema } from 'zod/mini';
import { writeStdout } from '../io/write-output.js';
import { settingsDescriptions, settingsSchema } from '../config/schema.js';

export async function schemaCommand(): Promise<number> {
  const schema = toJSONSchema(settingsSchema, { io: 'input' }) as Record<string, unknown> & {
    properties?: Record<string, Record<string, unknown>>;
  };
  for (const [key, description] of Object.entries(settingsDescriptions)) {
    const property = schema.properties?.[key];
    if (property) property.description = description;
  }
  schema.$id = 'https://github.com/eck-airgap/eck-airgap/schema/eck-airgap.json';
  schema.title = 'eck-airgap configuration';
  await writeStdout(JSON.stringify(schema, null, 2) + '\n');
  return 0;
}
