/** The output formats of `eck-airgap images`. */
import type { MirrorPair } from '../analysis/mirror-pairs.js';
import { formatJson } from './format-json.js';
import { formatScript } from './format-script.js';
import { formatSkopeo } from './format-skopeo.js';
import { formatText } from './format-text.js';

export const IMAGE_FORMATS = ['text', 'json', 'skopeo', 'script'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export function isImageFormat(value: string): value is ImageFormat {
  return (IMAGE_FORMATS as readonly string[]).includes(value);
}

export function formatImages(format: ImageFormat, pairs: readonly MirrorPair[], producedBy: string): string {
  switch (format) {
    case 'text':
      return formatText(pairs);
    case 'json':
      return formatJson(pairs);
    case 'skopeo':
      return formatSkopeo(pairs, producedBy);
    case 'script':
      return formatScript(pairs, producedBy);
  }
}
