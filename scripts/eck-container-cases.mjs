#!/usr/bin/env node
// Builds test/eck/fixtures/eck-container-cases.json: the image-naming cases of ECK's own
// pkg/controller/common/container/container_test.go at every release tag eck-airgap knows, read from a bare
// clone of elastic/cloud-on-k8s (default /work/.mirror/elastic+cloud-on-k8s/repo, or $ECK_REPO). Facts only:
// each case is a release, an image constant, a version, repository, suffix (as the operator's container suffix
// is set: -ubi means UBI mode from 2.11 on, 2.10 sets -ubi8) and the image the operator names.
// Usage: node scripts/eck-container-cases.mjs > test/eck/fixtures/eck-container-cases.json
import { execFileSync } from 'node:child_process';

const repo = process.env.ECK_REPO ?? '/work/.mirror/elastic+cloud-on-k8s/repo';
const tags = execFileSync('git', ['-C', repo, 'tag', '--list', 'v*'], { encoding: 'utf8' })
  .split('\n')
  .filter((t) => /^v(2\.(1\d)|3\.\d+)\.\d+$/.test(t))
  .sort((a, b) =>
    a
      .slice(1)
      .split('.')
      .map(Number)
      .reduce((c, n, i) => c || n - b.slice(1).split('.').map(Number)[i], 0),
  );

const KINDS = {
  APMServerImage: 'ApmServer',
  ElasticsearchImage: 'Elasticsearch',
  KibanaImage: 'Kibana',
  MapsImage: 'ElasticMapsServer',
  PackageRegistryImage: 'PackageRegistry',
  EnterpriseSearchImage: 'EnterpriseSearch',
  LogstashImage: 'Logstash',
};

function field(block, name) {
  const m = new RegExp(`\\b${name}:\\s*(?:testRegistry \\+ )?"([^"]*)"`).exec(block);
  return m ? m[1] : undefined;
}

function casesAt(tag) {
  const source = execFileSync('git', ['-C', repo, 'show', `${tag}:pkg/controller/common/container/container_test.go`], {
    encoding: 'utf8',
  });
  const registry = /testRegistry := "([^"]+)"/.exec(source)[1];
  const cases = [];
  const imageRepo = source.slice(
    source.indexOf('func TestImageRepository'),
    source.indexOf('\n}\n', source.indexOf('func TestImageRepository')),
  );
  for (const block of imageRepo.split(/\n\t\t\{\n/).slice(1)) {
    const image = /\bimage:\s*([A-Za-z]+)/.exec(block)?.[1];
    if (!image || !KINDS[image]) throw new Error(`${tag}: unknown image constant ${image}`);
    cases.push({
      name: field(block, 'name'),
      kind: KINDS[image],
      version: field(block, 'version'),
      repository: field(block, 'repository') ?? '',
      suffix: field(block, 'suffix') ?? '',
      want: registry + field(block, 'want'),
      registry,
    });
  }
  const at = source.indexOf('func Test_getPackageRegistryImage');
  if (at >= 0) {
    const body = source.slice(at, source.indexOf('\n}\n', at));
    for (const block of body.split(/\n\t\t\{\n/).slice(1)) {
      const ubi = /useUBI:\s*(true|false)/.exec(block)?.[1] === 'true';
      cases.push({
        name: field(block, 'name'),
        kind: 'PackageRegistry',
        version: /MustParse\("([^"]+)"\)/.exec(block)[1],
        repository: '',
        suffix: ubi ? '-ubi' : (field(block, 'suffix') ?? ''),
        want: field(block, 'wantImage'),
        registry: 'docker.elastic.co',
      });
    }
  }
  const agent = source.indexOf('func TestAgentImageFor');
  if (agent >= 0) {
    const body = source.slice(agent, source.indexOf('\n}\n', agent));
    for (const block of body.split(/\n\t\t\{\n/).slice(1)) {
      const version = /MustParse\("([^"]+)"\)/.exec(block)[1];
      const path = /want:\s*"([^"]+)"/.exec(block)[1];
      cases.push({
        name: field(block, 'name'),
        kind: 'Agent',
        version,
        repository: '',
        suffix: '',
        want: `docker.elastic.co/${path}:${version}`,
        registry: 'docker.elastic.co',
      });
    }
  }
  return cases;
}

const out = {};
for (const tag of tags) out[tag.slice(1)] = casesAt(tag);
process.stdout.write(
  JSON.stringify(
    { source: 'elastic/cloud-on-k8s pkg/controller/common/container/container_test.go', releases: out },
    null,
    1,
  ) + '\n',
);
