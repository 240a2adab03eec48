/** The container images of a pod spec: every `image` of its init, regular and ephemeral containers. */
import { isMap, isScalar, isSeq, type Document, type Scalar, type YAMLMap } from 'yaml';
import { InputError } from '../errors.js';
import { describeNode, get, isNullNode, scalarText, seqItems } from '../yaml/node-lookup.js';
import { CONTAINER_LISTS } from './workload-kinds.js';

export interface ContainerImage {
  /** The scalar that holds the image, where it is written (through aliases and merge keys). */
  readonly node: Scalar;
  readonly image: string;
  /** Field path from the document root, e.g. `spec.template.spec.containers[0].image`. */
  readonly field: string;
  readonly container?: string | undefined;
  /** The list it is in: `containers`, `initContainers` or `ephemeralContainers`. */
  readonly list: string;
}

export function containerImages(podSpec: YAMLMap, field: string, doc: Document, where: () => string): ContainerImage[] {
  const found: ContainerImage[] = [];
  for (const list of CONTAINER_LISTS) {
    const value = get(podSpec, list, doc);
    if (isNullNode(value)) continue;
    if (!isSeq(value)) {
      throw new InputError(`${where()}: ${field}.${list} is ${describeNode(value)}, expected a list of containers.`);
    }
    seqItems(value, doc).forEach((container, i) => {
      if (!isMap(container)) return;
      const image = get(container, 'image', doc);
      if (isNullNode(image)) return;
      const at = `${field}.${list}[${i}].image`;
      if (!isScalar(image) || typeof image.value !== 'string') {
        throw new InputError(`${where()}: ${at} is ${describeNode(image)}, expected an image reference (a string).`);
      }
      found.push({
        node: image,
        image: image.value,
        field: at,
        container: scalarText(get(container, 'name', doc)),
        list,
      });
    });
  }
  return found;
}
