// Builds the benchmark inputs under .cache/bench/<id>/: input.yaml (the stream eck-airgap reads on stdin) and
// kustomization.yaml (`resources: [input.yaml]` + an `images:` entry per Elastic image), the directory a
// kustomize post-renderer would build after writing Helm's stdin to a file.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Images the ECK operator pulls by default (kustomize gets an `images:` entry for each, plus those found). */
const ELASTIC_IMAGES = [
  'eck/eck-operator',
  'eck/eck-operator-ubi',
  'eck/eck-operator-fips',
  'eck/eck-operator-ubi-fips',
  'elasticsearch/elasticsearch',
  'kibana/kibana',
  'apm/apm-server',
  'enterprise-search/enterprise-search',
  'beats/filebeat',
  'beats/metricbeat',
  'beats/heartbeat',
  'beats/auditbeat',
  'beats/journalbeat',
  'beats/packetbeat',
  'beats/elastic-agent',
  'elastic-agent/elastic-agent',
  'elastic-maps-service/elastic-maps-server',
  'logstash/logstash',
  'elastic-agent/elastic-otel-collector',
  'package-registry/distribution',
];

/** Splits a multi-document YAML stream into documents (each starting with its `---` line), keeping only real ones. */
export function splitDocuments(text) {
  const documents = [];
  let current = [];
  const flush = () => {
    const body = current.join('');
    if (/^kind:/m.test(body)) documents.push(/^---/.test(body) ? body : `---\n${body}`);
    current = [];
  };
  for (const line of text.split(/(?<=\n)/)) {
    if (/^---(\s|$)/.test(line)) flush();
    current.push(line);
  }
  flush();
  return documents.map((d) => (d.endsWith('\n') ? d : `${d}\n`));
}

/** Appends `suffix` to the document's top-level metadata.name (quoted or plain), leaving every other byte. */
export function renameDocument(document, suffix) {
  const lines = document.split('\n');
  const start = lines.findIndex((l) => /^metadata:[ \t]*$/.test(l));
  if (start < 0) return document;
  for (let i = start + 1; i < lines.length; i += 1) {
    const line = lines[i];
    if (/^\S/.test(line) && !line.startsWith('#')) break;
    const match = /^( +)name:([ \t]+)(["']?)([^"'#\s]+)\3(.*)$/.exec(line);
    if (match && match[1].length === (/^( +)/.exec(lines[start + 1] ?? '') ?? ['', ''])[1].length) {
      lines[i] = `${match[1]}name:${match[2]}${match[3]}${match[4]}${suffix}${match[3]}${match[5]}`;
      return lines.join('\n');
    }
  }
  return document;
}

/** A workload whose container runs the ECK operator (its image is `…/eck-operator[-ubi|-fips…]`). */
export function holdsOperator(document) {
  return (
    /^kind:[ \t]*["']?(?:Deployment|StatefulSet|DaemonSet|ReplicaSet|Pod|Job|CronJob)\b/m.test(document) &&
    /image:[ \t]*["']?[^\s"']*\/eck-operator[a-z0-9-]*[:@"'\s]/.test(document)
  );
}

/**
 * A stream of exactly `count` documents, taken round-robin from `sourceDocuments`, each with a unique name. The
 * operator's workload comes once (the first one in the sources): eck-airgap models one operator per stream and
 * refuses a stream with two.
 */
export function buildStream(sourceDocuments, count) {
  // Only documents with a top-level metadata.name can be made unique (a `kind: List` has none, and its items would
  // repeat across copies, which kustomize refuses): the others are left out of the pool.
  const named = sourceDocuments.filter((d) => renameDocument(d, '-b') !== d);
  const operator = named.find(holdsOperator);
  const pool = named.filter((d) => !holdsOperator(d));
  const parts = [];
  if (operator !== undefined) parts.push(renameDocument(operator, '-b0'));
  for (let i = parts.length; i < count; i += 1) parts.push(renameDocument(pool[i % pool.length], `-b${i}`));
  return parts.join('');
}

/** The kustomization equivalent to `eck-airgap --registry <registry>` for the images kustomize can see. */
export function kustomization(text, registry) {
  const names = new Set(ELASTIC_IMAGES);
  for (const match of text.matchAll(/image:\s*["']?docker\.elastic\.co\/([a-z0-9._/-]+)/g)) names.add(match[1]);
  const images = [...names].sort().map((name) => `- name: docker.elastic.co/${name}\n  newName: ${registry}/${name}`);
  return `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- input.yaml\nimages:\n${images.join('\n')}\n`;
}

/** Writes .cache/bench/<id>/{input.yaml,kustomization.yaml}; returns the input's facts. */
export function writeInput(cacheDir, id, label, text, registry) {
  const dir = join(cacheDir, id);
  mkdirSync(dir, { recursive: true });
  const input = join(dir, 'input.yaml');
  writeAtomically(input, text);
  writeAtomically(join(dir, 'kustomization.yaml'), kustomization(text, registry));
  return { id, label, dir, input, bytes: Buffer.byteLength(text), documents: splitDocuments(text).length };
}

/** Another bench run reading the same file never sees half of it. */
function writeAtomically(path, text) {
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, text);
  renameSync(partial, path);
}
