// Resources that are valid YAML but nonsense as Kubernetes objects: each is a clear error naming the document
// and the resource (exit 1, nothing on stdout), or passes through when render has nothing to do with it.
import { describe, expect, it } from 'vitest';
import { rejects, renders } from './cli-contract.js';

const head = (apiVersion: string, kind: string, name: string) =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;

describe('resource-level nonsense', () => {
  it('an Elastic resource with `spec: null`', async () => {
    expect(await rejects(`${head('elasticsearch.k8s.elastic.co/v1', 'Elasticsearch', 'es')}spec: null\n`)).toMatch(
      /document 1: Elasticsearch es: .*spec/,
    );
  });

  it('an Elastic resource with no spec, second in the stream', async () => {
    const input = `${head('v1', 'Service', 's')}---\n${head('kibana.k8s.elastic.co/v1', 'Kibana', 'kb')}`;
    expect(await rejects(input)).toMatch(/document 2: Kibana kb: /);
  });

  it('a workload whose `containers` is not a list', async () => {
    const input = `${head('apps/v1', 'Deployment', 'd')}spec:\n  template:\n    spec:\n      containers: {name: x, image: nginx}\n`;
    expect(await rejects(input)).toMatch(/document 1: Deployment d: spec\.template\.spec\.containers is a mapping/);
  });

  it('an image that is a number', async () => {
    const input = `${head('v1', 'Pod', 'p')}spec:\n  containers:\n    - name: x\n      image: 42\n`;
    expect(await rejects(input)).toMatch(/document 1: Pod p: spec\.containers\[0\]\.image is a number/);
  });

  it('an Elastic resource whose version cannot be parsed', async () => {
    const input = `${head('kibana.k8s.elastic.co/v1', 'Kibana', 'kb')}spec:\n  version: eight\n`;
    expect(await rejects(input)).toMatch(/document 1: Kibana kb: .*"eight" is not a valid version/);
  });

  it('a `spec.image` that is not an image reference', async () => {
    const input = `${head('kibana.k8s.elastic.co/v1', 'Kibana', 'kb')}spec:\n  version: 8.15.3\n  image: "docker.elastic.co/UPPER CASE:::"\n`;
    expect(await rejects(input)).toMatch(/document 1: Kibana kb: spec\.image/);
  });

  it('a workload with `spec: null` has no pod spec, so nothing to do: passed on as it came', async () => {
    const input = `${head('apps/v1', 'Deployment', 'd')}spec: null\n`;
    expect(await renders(input)).toBe(input);
  });

  it('a document that is a list or a scalar, not a resource: passed on as it came', async () => {
    const input = '- a\n- b\n---\njust a string\n---\n42\n';
    expect(await renders(input)).toBe(input);
  });
});
