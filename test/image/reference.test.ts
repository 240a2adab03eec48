import { describe, it, expect } from 'vitest';
import {
  formatReference,
  isRegistryHost,
  lastPathElement,
  parseMirrorTarget,
  parseReference,
  type ImageReference,
} from '../../src/image/reference.js';

const SHA = 'sha256:' + 'a'.repeat(64);
const SHA_MIXED = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('parseReference: valid references', () => {
  const cases: [string, ImageReference, string][] = [
    // [input, parsed, normalized]
    [
      'docker.elastic.co/elasticsearch/elasticsearch:8.16.1',
      { domain: 'docker.elastic.co', path: 'elasticsearch/elasticsearch', tag: '8.16.1' },
      'docker.elastic.co/elasticsearch/elasticsearch:8.16.1',
    ],
    [
      'docker.elastic.co/eck/eck-operator-ubi:2.16.0',
      { domain: 'docker.elastic.co', path: 'eck/eck-operator-ubi', tag: '2.16.0' },
      'docker.elastic.co/eck/eck-operator-ubi:2.16.0',
    ],
    [
      'docker.elastic.co/kibana/kibana:8.16.0-SNAPSHOT',
      { domain: 'docker.elastic.co', path: 'kibana/kibana', tag: '8.16.0-SNAPSHOT' },
      'docker.elastic.co/kibana/kibana:8.16.0-SNAPSHOT',
    ],
    [
      `docker.elastic.co/kibana/kibana@${SHA}`,
      { domain: 'docker.elastic.co', path: 'kibana/kibana', digest: SHA },
      `docker.elastic.co/kibana/kibana@${SHA}`,
    ],
    [
      `docker.elastic.co/kibana/kibana:8.16.1@${SHA_MIXED}`,
      { domain: 'docker.elastic.co', path: 'kibana/kibana', tag: '8.16.1', digest: SHA_MIXED },
      `docker.elastic.co/kibana/kibana:8.16.1@${SHA_MIXED}`,
    ],
    [
      'docker.elastic.co/kibana/kibana',
      { domain: 'docker.elastic.co', path: 'kibana/kibana' },
      'docker.elastic.co/kibana/kibana',
    ],
    // Docker Hub short names
    ['nginx', { domain: 'docker.io', path: 'library/nginx' }, 'docker.io/library/nginx'],
    ['nginx:1.27', { domain: 'docker.io', path: 'library/nginx', tag: '1.27' }, 'docker.io/library/nginx:1.27'],
    [`nginx@${SHA}`, { domain: 'docker.io', path: 'library/nginx', digest: SHA }, `docker.io/library/nginx@${SHA}`],
    [
      'curlimages/curl:8.5.0',
      { domain: 'docker.io', path: 'curlimages/curl', tag: '8.5.0' },
      'docker.io/curlimages/curl:8.5.0',
    ],
    ['docker.io/nginx', { domain: 'docker.io', path: 'library/nginx' }, 'docker.io/library/nginx'],
    [
      'docker.io/library/nginx:latest',
      { domain: 'docker.io', path: 'library/nginx', tag: 'latest' },
      'docker.io/library/nginx:latest',
    ],
    ['index.docker.io/nginx', { domain: 'docker.io', path: 'library/nginx' }, 'docker.io/library/nginx'],
    [
      'index.docker.io/bitnami/kubectl:1.30',
      { domain: 'docker.io', path: 'bitnami/kubectl', tag: '1.30' },
      'docker.io/bitnami/kubectl:1.30',
    ],
    ['a/b/c/d', { domain: 'docker.io', path: 'a/b/c/d' }, 'docker.io/a/b/c/d'],
    // Domains: dots, ports, localhost, IPs
    ['localhost/nginx', { domain: 'localhost', path: 'nginx' }, 'localhost/nginx'],
    ['localhost:5000/nginx:1', { domain: 'localhost:5000', path: 'nginx', tag: '1' }, 'localhost:5000/nginx:1'],
    [
      'my.registry:5000/elastic/kibana:8.16.1',
      { domain: 'my.registry:5000', path: 'elastic/kibana', tag: '8.16.1' },
      'my.registry:5000/elastic/kibana:8.16.1',
    ],
    ['registry:5000/foo', { domain: 'registry:5000', path: 'foo' }, 'registry:5000/foo'],
    ['10.0.0.1:5000/foo/bar:v1', { domain: '10.0.0.1:5000', path: 'foo/bar', tag: 'v1' }, '10.0.0.1:5000/foo/bar:v1'],
    ['[::1]:5000/foo:v1', { domain: '[::1]:5000', path: 'foo', tag: 'v1' }, '[::1]:5000/foo:v1'],
    ['[2001:db8::1]/foo', { domain: '[2001:db8::1]', path: 'foo' }, '[2001:db8::1]/foo'],
    ['My.Registry.example/foo', { domain: 'My.Registry.example', path: 'foo' }, 'My.Registry.example/foo'],
    [
      'quay.io/prometheus/node-exporter:v1.8.2',
      { domain: 'quay.io', path: 'prometheus/node-exporter', tag: 'v1.8.2' },
      'quay.io/prometheus/node-exporter:v1.8.2',
    ],
    [
      'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.10.0',
      { domain: 'registry.k8s.io', path: 'kube-state-metrics/kube-state-metrics', tag: 'v2.10.0' },
      'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.10.0',
    ],
    // Path separators
    ['foo/a.b_c__d-e---f', { domain: 'docker.io', path: 'foo/a.b_c__d-e---f' }, 'docker.io/foo/a.b_c__d-e---f'],
    // Tags
    ['foo:_x', { domain: 'docker.io', path: 'library/foo', tag: '_x' }, 'docker.io/library/foo:_x'],
    ['foo:A.b-C_d', { domain: 'docker.io', path: 'library/foo', tag: 'A.b-C_d' }, 'docker.io/library/foo:A.b-C_d'],
    [
      `foo:${'t'.repeat(128)}`,
      { domain: 'docker.io', path: 'library/foo', tag: 't'.repeat(128) },
      `docker.io/library/foo:${'t'.repeat(128)}`,
    ],
    // Digests: other algorithms per grammar, known ones with their lengths
    [
      `foo@sha512:${'f'.repeat(128)}`,
      { domain: 'docker.io', path: 'library/foo', digest: `sha512:${'f'.repeat(128)}` },
      `docker.io/library/foo@sha512:${'f'.repeat(128)}`,
    ],
    [
      `foo@sha384:${'0'.repeat(96)}`,
      { domain: 'docker.io', path: 'library/foo', digest: `sha384:${'0'.repeat(96)}` },
      `docker.io/library/foo@sha384:${'0'.repeat(96)}`,
    ],
    [
      `foo@multihash+base58:${'AbC0'.repeat(8)}`,
      { domain: 'docker.io', path: 'library/foo', digest: `multihash+base58:${'AbC0'.repeat(8)}` },
      `docker.io/library/foo@multihash+base58:${'AbC0'.repeat(8)}`,
    ],
  ];

  it.each(cases)('%s', (text, parsed, normalized) => {
    const ref = parseReference(text);
    expect(ref).toEqual(parsed);
    expect(formatReference(ref as ImageReference)).toBe(normalized);
    // Normalized output parses to the same reference (idempotent round trip).
    expect(parseReference(normalized)).toEqual(parsed);
  });

  it('accepts a name of exactly 255 characters and refuses 256', () => {
    const name255 = 'a/' + 'b'.repeat(253);
    expect(parseReference(name255)).toEqual({ domain: 'docker.io', path: name255 });
    expect(parseReference(name255 + 'b')).toBeUndefined();
  });

  it('omits absent tag and digest (no undefined keys)', () => {
    expect(Object.keys(parseReference('nginx') ?? {})).toEqual(['domain', 'path']);
  });
});

describe('parseReference: invalid references', () => {
  it.each([
    ['empty', ''],
    ['space inside', 'docker.elastic.co/kibana/kibana :8.16.1'],
    ['leading space', ' nginx'],
    ['trailing space', 'nginx '],
    ['newline', 'nginx\n'],
    ['uppercase path', 'docker.elastic.co/Kibana/kibana:8.16.1'],
    ['uppercase short name', 'Nginx'],
    ['uppercase Docker Hub path', 'library/Nginx'],
    ['empty tag', 'nginx:'],
    ['tag starting with dot', 'nginx:.1'],
    ['tag starting with dash', 'nginx:-1'],
    ['tag too long', `nginx:${'t'.repeat(129)}`],
    ['tag with +', 'nginx:a+b'],
    ['empty digest', 'nginx@'],
    ['digest without algorithm', `nginx@${'a'.repeat(64)}`],
    ['sha256 digest too short', `nginx@sha256:${'a'.repeat(63)}`],
    ['sha256 digest too long', `nginx@sha256:${'a'.repeat(65)}`],
    ['sha256 digest uppercase hex', `nginx@sha256:${'A'.repeat(64)}`],
    ['sha512 digest wrong length', `nginx@sha512:${'a'.repeat(64)}`],
    ['digest hex under 32 chars', `nginx@foo:${'a'.repeat(31)}`],
    ['digest not hex', `nginx@sha256:${'g'.repeat(64)}`],
    ['two @', `nginx@${SHA}@${SHA}`],
    ['digest before tag', `nginx@${SHA}:tag`],
    ['scheme', 'https://docker.elastic.co/kibana/kibana'],
    ['empty path component', 'docker.elastic.co//kibana'],
    ['trailing slash', 'docker.elastic.co/kibana/'],
    ['leading slash', '/kibana'],
    ['only a domain', 'docker.elastic.co/'],
    ['path separator at start', 'foo/-bar'],
    ['path separator at end', 'foo/bar_'],
    ['double dot separator', 'foo/a..b'],
    ['triple underscore', 'foo/a___b'],
    ['bad domain (leading dash)', '-bad.example/foo'],
    ['bad domain (trailing dash)', 'bad-.example/foo'],
    ['bad domain (empty label)', 'bad..example/foo'],
    ['port not numeric', 'my.registry:port/foo'],
    ['empty port', 'my.registry:/foo'],
    ['bad IPv6', '[::g]/foo'],
    ['64-hex image id', 'a'.repeat(64)],
    ['domain and port with a trailing slash', 'my.registry:5000/'],
  ])('%s: %j', (_label, text) => {
    expect(parseReference(text)).toBeUndefined();
  });
});

describe('parseReference: Docker Hub rules for the first component', () => {
  it.each([
    ['foo/bar', 'docker.io', 'foo/bar'],
    ['foo.bar/baz', 'foo.bar', 'baz'],
    ['foo:1/baz', 'foo:1', 'baz'],
    ['localhost/baz', 'localhost', 'baz'],
    ['localhost', 'docker.io', 'library/localhost'],
    // docker treats a first component with uppercase letters as a domain, too
    ['Registry/baz', 'Registry', 'baz'],
  ])('%s -> domain %s, path %s', (text, domain, path) => {
    expect(parseReference(text)).toMatchObject({ domain, path });
  });

  it('a bare host:port is a short name with a tag, as docker reads it', () => {
    expect(parseReference('localhost:5000')).toEqual({ domain: 'docker.io', path: 'library/localhost', tag: '5000' });
  });
});

describe('formatReference', () => {
  it.each([
    [{ domain: 'my.registry', path: 'elastic/kibana' }, 'my.registry/elastic/kibana'],
    [{ domain: 'my.registry', path: 'elastic/kibana', tag: '8.16.1' }, 'my.registry/elastic/kibana:8.16.1'],
    [{ domain: 'my.registry', path: 'elastic/kibana', digest: SHA }, `my.registry/elastic/kibana@${SHA}`],
    [{ domain: 'my.registry:5000', path: 'k', tag: 't', digest: SHA }, `my.registry:5000/k:t@${SHA}`],
    [{ domain: 'docker.io', path: 'library/nginx' }, 'docker.io/library/nginx'],
  ] as [ImageReference, string][])('%j -> %s', (ref, text) => {
    expect(formatReference(ref)).toBe(text);
  });
});

describe('lastPathElement', () => {
  it.each([
    ['elasticsearch/elasticsearch', 'elasticsearch'],
    ['elastic-maps-service/elastic-maps-server', 'elastic-maps-server'],
    ['a/b/c', 'c'],
    ['nginx', 'nginx'],
  ])('%s -> %s', (path, last) => {
    expect(lastPathElement(path)).toBe(last);
  });
});

describe('isRegistryHost', () => {
  it.each([
    'docker.elastic.co',
    'my.registry',
    'my.registry:5000',
    'localhost',
    'localhost:5000',
    'registry:5000',
    '10.0.0.1',
    '10.0.0.1:443',
    '[::1]',
    '[::1]:5000',
    '[2001:db8::1]:5000',
    'My-Registry.Example.COM',
    'a.b',
    'my.registry:65535',
  ])('accepts %j', (text) => {
    expect(isRegistryHost(text)).toBe(true);
  });

  it.each([
    '',
    'registry', // a single label without a port would read as a Docker Hub namespace
    'https://my.registry',
    'my.registry/path',
    'my.registry:',
    'my.registry:0',
    'my.registry:65536',
    'my.registry:port',
    'my registry.example',
    ' my.registry',
    'my.registry ',
    '-my.registry',
    'my-.registry',
    'my..registry',
    '.my.registry',
    'my.registry.',
    'my_registry.example',
    '[::1',
    '::1',
    '[zz::1]',
  ])('refuses %j', (text) => {
    expect(isRegistryHost(text)).toBe(false);
  });
});

describe('parseMirrorTarget', () => {
  it.each([
    ['my.registry', { domain: 'my.registry', prefix: '' }],
    ['my.registry:5000', { domain: 'my.registry:5000', prefix: '' }],
    ['my.registry/dockerhub', { domain: 'my.registry', prefix: 'dockerhub' }],
    ['my.registry:5000/mirrors/docker-hub', { domain: 'my.registry:5000', prefix: 'mirrors/docker-hub' }],
    ['localhost:5000/a', { domain: 'localhost:5000', prefix: 'a' }],
    ['[::1]:5000/quay', { domain: '[::1]:5000', prefix: 'quay' }],
  ])('%s', (text, target) => {
    expect(parseMirrorTarget(text)).toEqual(target);
  });

  it.each([
    '',
    'dockerhub',
    'registry/dockerhub',
    'https://my.registry/dockerhub',
    'my.registry/',
    'my.registry//x',
    'my.registry/Docker',
    'my.registry/a b',
    'my.registry/x:tag',
    'my.registry:99999/x',
    '/x',
  ])('refuses %j', (text) => {
    expect(parseMirrorTarget(text)).toBeUndefined();
  });
});
