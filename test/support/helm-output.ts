// Reading what `helm template` prints: documents, their `# Source:` lines, and every image reference in them,
// named by document and field so that a run with the post-renderer can be paired with one without.
import { parseAllDocuments } from 'yaml';

/** One YAML document of a stream, as text (without its `---` separator line) and parsed. */
export interface StreamDocument {
  index: number;
  text: string;
  source: string | undefined;
  value: unknown;
  kind: string;
  name: string;
}

/** Splits a multi-document stream on `---` lines; drops documents that are empty or only comments. */
export function splitDocuments(stream: string): StreamDocument[] {
  const parts = stream.split(/^---[ \t]*(?:\r?\n|$)/m);
  const documents: StreamDocument[] = [];
  for (const text of parts) {
    if (!/^(?!\s*#)\s*\S/m.test(text)) continue;
    const parsed = parseAllDocuments(text);
    const first = Array.isArray(parsed) ? parsed[0] : undefined;
    const value: unknown = first ? first.toJS({ maxAliasCount: -1 }) : null;
    const object = isRecord(value) ? value : {};
    const metadata = isRecord(object.metadata) ? object.metadata : {};
    documents.push({
      index: documents.length,
      text,
      source: /^# Source: (.*)$/m.exec(text)?.[1],
      value,
      kind: typeof object.kind === 'string' ? object.kind : '',
      name: typeof metadata.name === 'string' ? metadata.name : '',
    });
  }
  return documents;
}

/** An image reference found in a document: `field` is a path such as `spec.nodeSets[1].podTemplate...image`. */
export interface ImageSite {
  document: number;
  resource: string;
  field: string;
  image: string;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** True for the API groups of the Elastic resources ECK manages (`*.k8s.elastic.co`). */
export function isElasticResource(value: unknown): boolean {
  return isRecord(value) && typeof value.apiVersion === 'string' && /\.k8s\.elastic\.co\//.test(value.apiVersion);
}

/** Every image of a document: `spec.image` of Elastic resources, and `image` of every container anywhere. */
export function imagesOf(document: StreamDocument): ImageSite[] {
  const sites: ImageSite[] = [];
  const resource = `${document.kind}/${document.name}`;
  const add = (field: string, image: unknown): void => {
    if (typeof image === 'string') sites.push({ document: document.index, resource, field, image });
  };
  const walk = (node: unknown, path: string, resourceNode: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`, resourceNode));
      return;
    }
    if (!isRecord(node)) return;
    const prefix = path ? `${path}.` : '';
    // An item of a kind List is a resource of its own.
    const current = typeof node.apiVersion === 'string' && typeof node.kind === 'string' ? node : resourceNode;
    if (node === current && isElasticResource(node) && isRecord(node.spec)) add(`${prefix}spec.image`, node.spec.image);
    for (const [key, child] of Object.entries(node)) {
      if (CONTAINER_LISTS.has(key) && Array.isArray(child)) {
        child.forEach((container, i) => {
          if (isRecord(container)) add(`${prefix}${key}[${i}].image`, container.image);
        });
      }
      walk(child, `${prefix}${key}`, current);
    }
  };
  walk(document.value, '', undefined);
  return sites;
}

/** Every image of every document of a stream. */
export function imagesOfStream(documents: StreamDocument[]): ImageSite[] {
  return documents.flatMap(imagesOf);
}

/** Every `imagePullSecrets` name list found in a document, by field (pod specs and Elastic pod templates). */
export function pullSecretsOf(document: StreamDocument): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    if (!isRecord(node)) return;
    const prefix = path ? `${path}.` : '';
    for (const [key, child] of Object.entries(node)) {
      if (key === 'imagePullSecrets' && Array.isArray(child)) {
        found.set(
          `${prefix}${key}`,
          child.map((s) => (isRecord(s) && typeof s.name === 'string' ? s.name : '')),
        );
      }
      walk(child, `${prefix}${key}`);
    }
  };
  walk(document.value, '');
  return found;
}

/** The annotation Helm 4 puts on every document it sends to a post-renderer. */
export const POSTRENDER_FILENAME = 'postrenderer.helm.sh/postrender-filename';

/** Every `postrenderer.helm.sh/postrender-filename` line, exactly as written, in stream order. */
export function postrenderFilenameLines(stream: string): string[] {
  return stream.split('\n').filter((line) => line.includes(POSTRENDER_FILENAME));
}

/** The registry host of a reference, `docker.io` for Docker Hub short names (`nginx`, `curlimages/curl`). */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return /[.:]/.test(first) || first === 'localhost' ? first : 'docker.io';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
