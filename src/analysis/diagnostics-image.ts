/**
 * The support-diagnostics image the `eck-diagnostics` tool (github.com/elastic/eck-diagnostics) runs in the
 * cluster to collect Elasticsearch and Kibana diagnostics: its `--diagnostic-image` default in current releases.
 */
import type { ImageUse } from './image-use.js';

export const DEFAULT_DIAGNOSTIC_IMAGE = 'docker.elastic.co/eck-dev/support-diagnostics:9.3.1';

export function diagnosticsUse(image: string): ImageUse {
  return {
    image,
    usedBy: {
      kind: 'eck-diagnostics',
      namespace: null,
      name: null,
      field: '--diagnostic-image',
      reason: 'diagnostics',
    },
    where: 'eck-diagnostics',
  };
}
