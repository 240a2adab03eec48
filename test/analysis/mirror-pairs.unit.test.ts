// src/analysis/mirror-pairs.ts in process (it was reached only through `eck-airgap images` / `mirror`): each image
// use becomes one upstream → mirror pair, with every place that uses it; what no rule covers, and what is on the
// mirror with no upstream name to be told, are returned apart.
import { describe, expect, it } from 'vitest';
import { planMirror } from '../../src/analysis/mirror-pairs.js';
import type { ImageUse, UsedBy } from '../../src/analysis/image-use.js';
import { settingsFrom } from '../../src/config/load-settings.js';
import type { Settings } from '../../src/config/settings.js';
import { ELASTIC_KINDS } from '../../src/eck/kinds.js';
import { containerSettingsOf } from '../../src/eck/naming.js';

const base = settingsFrom({ flags: { registry: 'my.registry' }, env: {}, cwd: '/', requireRegistry: true });
const settings = (extra: Partial<Settings> = {}): Settings => ({ ...base, ...extra }) as Settings;
const container = containerSettingsOf({ registry: 'my.registry' });

const by = (name: string, reason: UsedBy['reason'], field = 'spec.template.spec.containers[0].image'): UsedBy => ({
  kind: 'Deployment',
  namespace: 'ns',
  name,
  field,
  reason,
});
const use = (image: string, usedBy: UsedBy, computed?: ImageUse['computed']): ImageUse => ({
  image,
  usedBy,
  ...(computed ? { computed } : {}),
  where: 'document 1',
});

describe('planMirror', () => {
  it('an upstream image becomes one pair, its users listed once each, pairs sorted by source', () => {
    const kibana = 'docker.elastic.co/kibana/kibana:8.16.1';
    const es = 'docker.elastic.co/elasticsearch/elasticsearch:8.16.1';
    const result = planMirror(
      [
        use(kibana, by('b', 'container')),
        use(es, by('a', 'container')),
        use(kibana, by('a', 'container')),
        use(kibana, by('b', 'container')),
      ],
      settings(),
      container,
    );
    expect(result.pairs.map((p) => [p.source, p.target])).toEqual([
      [es, 'my.registry/elasticsearch/elasticsearch:8.16.1'],
      [kibana, 'my.registry/kibana/kibana:8.16.1'],
    ]);
    expect(result.pairs[1]!.usedBy.map((u) => u.name)).toEqual(['b', 'a']);
    expect(result.notCovered).toEqual([]);
    expect(result.unknownOrigin).toEqual([]);
  });

  it('an image on no source registry and no mirrors entry is not covered; with a mirrors entry it is a pair', () => {
    const nginx = 'docker.io/library/nginx:1.27';
    const plain = planMirror([use(nginx, by('web', 'container'))], settings(), container);
    expect(plain.pairs).toEqual([]);
    expect(plain.notCovered).toEqual([{ image: nginx, usedBy: by('web', 'container'), where: 'document 1' }]);
    const mirrored = planMirror(
      [use(nginx, by('web', 'container'))],
      settings({ mirrors: { 'docker.io': 'my.registry/dockerhub' } }),
      container,
    );
    expect(mirrored.pairs.map((p) => [p.source, p.target])).toEqual([
      [nginx, 'my.registry/dockerhub/library/nginx:1.27'],
    ]);
  });

  it('an operator default: the upstream name the operator would use on docker.elastic.co, the mirror name as given', () => {
    const kibana = ELASTIC_KINDS.find((k) => k.kind === 'Kibana')!;
    const computed = { what: 'default', kind: kibana, version: '8.16.1' } as const;
    const result = planMirror(
      [use('my.registry/kibana/kibana:8.16.1', by('kb', 'operator-default', 'spec.image'), computed)],
      settings(),
      container,
    );
    expect(result.pairs.map((p) => [p.source, p.target])).toEqual([
      ['docker.elastic.co/kibana/kibana:8.16.1', 'my.registry/kibana/kibana:8.16.1'],
    ]);
  });

  it('already on the mirror: an ECK path maps back to the source registry; a plain workload image has no known origin', () => {
    const result = planMirror(
      [
        use('my.registry/elasticsearch/elasticsearch:8.16.1', by('es', 'explicit', 'spec.image')),
        use('my.registry/team/app:1.0', by('app', 'container')),
      ],
      settings(),
      container,
    );
    expect(result.pairs.map((p) => [p.source, p.target])).toEqual([
      ['docker.elastic.co/elasticsearch/elasticsearch:8.16.1', 'my.registry/elasticsearch/elasticsearch:8.16.1'],
    ]);
    expect(result.unknownOrigin.map((l) => l.image)).toEqual(['my.registry/team/app:1.0']);
  });

  it('a reference that does not parse is not covered (named, never copied)', () => {
    const result = planMirror([use('Not An Image', by('x', 'container'))], settings(), container);
    expect(result.pairs).toEqual([]);
    expect(result.notCovered.map((l) => l.image)).toEqual(['Not An Image']);
  });
});
