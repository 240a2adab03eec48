// src/analysis/upstream-of-mirror.ts in process (it was reached only through `eck-airgap images` / `check` on
// rendered output): the upstream name of an image already on the mirror, or undefined where it cannot be told.
import { describe, expect, it } from 'vitest';
import { upstreamOfMirrorImage } from '../../src/analysis/upstream-of-mirror.js';
import { settingsFrom } from '../../src/config/load-settings.js';
import type { Settings } from '../../src/config/settings.js';
import { parseReference } from '../../src/image/reference.js';

const base = settingsFrom({ flags: { registry: 'my.registry' }, env: {}, cwd: '/', requireRegistry: true });
const settings = (extra: Partial<Settings> = {}): Settings => ({ ...base, ...extra }) as Settings;
const upstream = (image: string, s: Settings, repository?: string, ofElasticResource = false): string | undefined => {
  const ref = parseReference(image);
  if (!ref) throw new Error(`not an image reference: ${image}`);
  const found = upstreamOfMirrorImage(ref, s, repository, ofElasticResource);
  return (
    found &&
    `${found.domain}/${found.path}${found.tag !== undefined ? `:${found.tag}` : ''}${found.digest !== undefined ? `@${found.digest}` : ''}`
  );
};

describe('upstreamOfMirrorImage', () => {
  it('an ECK image on the mirror under its own path comes from the one source registry', () => {
    expect(upstream('my.registry/elasticsearch/elasticsearch:8.16.1', settings())).toBe(
      'docker.elastic.co/elasticsearch/elasticsearch:8.16.1',
    );
    expect(upstream('my.registry/kibana/kibana-ubi:8.16.1', settings())).toBe(
      'docker.elastic.co/kibana/kibana-ubi:8.16.1',
    );
  });

  it("a plain workload's image on the mirror is not assumed to come from the source registry, unless it is an Elastic resource's", () => {
    expect(upstream('my.registry/team/app:1.0', settings())).toBeUndefined();
    expect(upstream('my.registry/team/app:1.0', settings(), undefined, true)).toBe('docker.elastic.co/team/app:1.0');
  });

  it('the operator image goes back to eck/eck-operator', () => {
    const s = settings();
    expect(upstream(`my.registry/${s.operatorRepository}/eck-operator:3.5.0`, s)).toBe(
      'docker.elastic.co/eck/eck-operator:3.5.0',
    );
  });

  it('with a repository (flattened names), the ECK path of that name; the Agent by its tag', () => {
    expect(upstream('my.registry/elastic/kibana-ubi:8.16.1', settings(), 'elastic')).toBe(
      'docker.elastic.co/kibana/kibana-ubi:8.16.1',
    );
    expect(upstream('my.registry/elastic/elastic-agent:8.16.1', settings(), 'elastic')).toBe(
      'docker.elastic.co/beats/elastic-agent:8.16.1',
    );
    expect(upstream('my.registry/elastic/elastic-agent:9.0.0', settings(), 'elastic')).toBe(
      'docker.elastic.co/elastic-agent/elastic-agent:9.0.0',
    );
    // not under that repository, or a name no ECK image has: cannot be told
    expect(upstream('my.registry/other/kibana:8.16.1', settings(), 'elastic')).toBeUndefined();
    expect(upstream('my.registry/elastic/not-an-eck-image:1', settings(), 'elastic')).toBeUndefined();
  });

  it('a mirrors destination: the longest matching prefix is taken off and its source registry put back, digest kept', () => {
    const s = settings({ mirrors: { 'docker.io': 'my.registry/dockerhub', 'quay.io': 'my.registry/dockerhub/quay' } });
    expect(upstream('my.registry/dockerhub/library/nginx:1.27', s)).toBe('docker.io/library/nginx:1.27');
    expect(upstream('my.registry/dockerhub/quay/prometheus/node-exporter:v1', s)).toBe(
      'quay.io/prometheus/node-exporter:v1',
    );
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(upstream(`my.registry/dockerhub/library/nginx@${digest}`, s)).toBe(`docker.io/library/nginx@${digest}`);
  });

  it('an image on another host, or with more than one source registry, is ambiguous', () => {
    expect(upstream('other.registry/elasticsearch/elasticsearch:8.16.1', settings())).toBeUndefined();
    expect(
      upstream(
        'my.registry/elasticsearch/elasticsearch:8.16.1',
        settings({ sourceRegistries: ['docker.elastic.co', 'mirror.example'] }),
      ),
    ).toBeUndefined();
  });
});
