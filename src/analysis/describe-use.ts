/** `Deployment ns/name, spec.template.spec.containers[0].image (container)`: one use of an image, for messages. */
import type { UsedBy } from './image-use.js';

export function describeUse(u: UsedBy): string {
  const who =
    u.kind === 'eck-diagnostics'
      ? 'eck-diagnostics'
      : `${u.kind} ${u.namespace ? `${u.namespace}/` : ''}${u.name ?? '(unnamed)'}`;
  return `${who}, ${u.field} (${u.reason})`;
}
