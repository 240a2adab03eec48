// Issue 15: anchors must not spread render's edits. Only image positions get the new image and only
// imagePullSecrets get the new list; every other site keeps its value; the output is valid and a second run
// changes nothing.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renders } from './cli-contract.js';

const ES = 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3';
const MOVED = 'mirror.example:5000/elasticsearch/elasticsearch:8.15.3';
const ARGS = ['--registry', 'mirror.example:5000', '--image-pull-secret', 'regcred'];

async function renderTwice(input: string): Promise<{ out: string; js: any }> {
  const out = await renders(input, ARGS);
  expect(await renders(out, ARGS), 'a second run changes nothing').toBe(out);
  return { out, js: parse(out) };
}

describe('anchors on images', () => {
  it('an anchored image moves; its alias in an env value keeps the old value', async () => {
    const input = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: d}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: main',
      `          image: &img ${ES}`,
      '          env:',
      '            - name: ORIGINAL_IMAGE',
      '              value: *img',
      '',
    ].join('\n');
    const { out, js } = await renderTwice(input);
    const container = js.spec.template.spec.containers[0];
    expect(container.image).toBe(MOVED);
    expect(container.env[0].value).toBe(ES);
    expect(out).toContain(`value: ${ES}\n`);
  });

  it('an image that is an alias of a label: the image moves at the alias, the label keeps its value', async () => {
    const input = [
      'apiVersion: v1',
      'kind: Pod',
      `metadata: {name: p, annotations: {source-image: &src ${ES}}}`,
      'spec:',
      '  containers:',
      '    - name: main',
      '      image: *src',
      '',
    ].join('\n');
    const { js } = await renderTwice(input);
    expect(js.metadata.annotations['source-image']).toBe(ES);
    expect(js.spec.containers[0].image).toBe(MOVED);
  });

  it('an anchored image used by a second container as an image: both move, the anchor stays', async () => {
    const input = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  initContainers:',
      `    - {name: init, image: &img ${ES}}`,
      '  containers:',
      '    - {name: main, image: *img}',
      '',
    ].join('\n');
    const { js } = await renderTwice(input);
    expect(js.spec.initContainers[0].image).toBe(MOVED);
    expect(js.spec.containers[0].image).toBe(MOVED);
  });
});

describe('anchors on pull secret lists', () => {
  it('imagePullSecrets written as an alias: a copy gets the new name, the anchored list is left as it was', async () => {
    const input = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: d}',
      'x-secrets: &secrets',
      '  - name: existing',
      'spec:',
      '  template:',
      '    spec:',
      '      imagePullSecrets: *secrets',
      '      containers:',
      '        - name: main',
      `          image: ${ES}`,
      '',
    ].join('\n');
    const { js } = await renderTwice(input);
    expect(js['x-secrets']).toEqual([{ name: 'existing' }]);
    expect(js.spec.template.spec.imagePullSecrets).toEqual([{ name: 'existing' }, { name: 'regcred' }]);
  });

  it('an anchored imagePullSecrets aliased elsewhere: the pod template gets the name, the alias keeps the old list', async () => {
    const input = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: d}',
      'spec:',
      '  template:',
      '    spec:',
      '      imagePullSecrets: &secrets',
      '        - name: existing',
      '      containers:',
      '        - name: main',
      `          image: ${ES}`,
      'x-copy: *secrets',
      '',
    ].join('\n');
    const { js } = await renderTwice(input);
    expect(js.spec.template.spec.imagePullSecrets).toEqual([{ name: 'existing' }, { name: 'regcred' }]);
    expect(js['x-copy']).toEqual([{ name: 'existing' }]);
  });
});
