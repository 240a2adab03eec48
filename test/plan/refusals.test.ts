// What the operator refuses, by operator release, and how render, images and check agree on it: a refused resource
// gets no image; all three exit 1 naming the resource, its version and the rule, with nothing on stdout.
// Facts from ECK's source at each tag (elastic/cloud-on-k8s):
// - pkg/controller/common/version/version.go: SupportedEnterpriseSearchVersions {7.7.0, 8.99.99} (v2.10.0–v2.14.0, v2.16.0–v3.5.0;
//   {7.7.0, 9.99.99} at v2.15.0);
//   SupportedLogstashVersions Min 8.6.0 (v2.10.0, v2.11.0), 8.12.0 (v2.12.0–v3.5.0); SupportedAutoOpsAgentVersions
//   Min 9.2.1 (v3.3.0); SupportedAutoOpsAgentBasicVersions 9.2.4 / EnterpriseVersions 9.2.1 (v3.4.0, v3.5.0), chosen
//   by the licence in pkg/controller/autoops/validation/validations.go checkSupportedVersion.
// - pkg/controller/common/stackmon/validations/validations.go: MinStackVersion 7.14.0-SNAPSHOT when monitoring is
//   defined (Elasticsearch, Kibana, Beat, v2.10.0–v3.5.0); pkg/apis/logstash/v1alpha1/validations.go
//   MinStackMonVersion 8.7.0-SNAPSHOT (v2.10.0, v2.11.0; gone from v2.12.0's pkg/controller/logstash/validation).
import { describe, expect, it } from 'vitest';
import { ELASTIC_KINDS, type ElasticKind } from '../../src/eck/kinds.js';
import { operatorRelease } from '../../src/eck/release.js';
import { versionVerdict } from '../../src/operator/resource-checks.js';
import { runCli } from '../support/cli.js';

const kind = (name: string): ElasticKind => ELASTIC_KINDS.find((k) => k.kind === name)!;
const at = (v: string) => operatorRelease(v)!;

describe('versionVerdict (unit)', () => {
  it('Enterprise Search 9.x: accepted by 2.15.0 alone (Max 9.99.99 at v2.15.0 version.go)', () => {
    expect(versionVerdict(kind('EnterpriseSearch'), '9.0.0', false, at('2.15.0'))).toEqual({});
    expect(versionVerdict(kind('EnterpriseSearch'), '9.0.0', false, at('2.14.0')).refused).toBeDefined();
    expect(versionVerdict(kind('EnterpriseSearch'), '9.0.0', false, at('2.16.0')).refused).toBeDefined();
  });

  it('ubi-only: stack versions below 7.10.0 refused (GlobalMinStackVersion, cmd/manager/main.go v2.10.0..v3.5.0)', () => {
    expect(versionVerdict(kind('Kibana'), '7.9.3', false, at('2.16.0'), true).refused).toMatch(/with ubi-only/);
    expect(versionVerdict(kind('Elasticsearch'), '7.10.0-SNAPSHOT', false, at('3.5.0'), true).refused).toBeDefined();
    expect(versionVerdict(kind('Kibana'), '7.10.0', false, at('2.16.0'), true)).toEqual({});
    expect(versionVerdict(kind('Kibana'), '7.9.3', false, at('2.16.0'), false)).toEqual({});
  });

  it("the other kinds' Supported…Versions by release (version.go, elasticsearch/version/supported_versions.go)", () => {
    const refused = (k: string, v: string, r: string): boolean =>
      versionVerdict(kind(k), v, false, at(r)).refused !== undefined;
    expect(refused('Kibana', '7.0.1', '2.16.1')).toBe(false); // Min 6.8.0 until v2.16.x
    expect(refused('Kibana', '7.0.1', '3.0.0')).toBe(true); // Min 7.1.0 from v3.0.0
    expect(refused('Kibana', '9.0.0', '2.14.0')).toBe(true); // Max 8.99.99 before v2.15.0
    expect(refused('Kibana', '9.0.0', '2.15.0')).toBe(false);
    expect(refused('ApmServer', '6.8.0', '2.16.1')).toBe(false); // Min 6.2.0, then 7.0.0 from v3.0.0
    expect(refused('ApmServer', '6.8.0', '3.0.0')).toBe(true);
    expect(refused('ElasticMapsServer', '7.10.2', '3.5.0')).toBe(true); // Min 7.11.0
    expect(refused('Agent', '7.9.3', '3.5.0')).toBe(true); // Min 7.10.0
    expect(refused('Beat', '6.8.0', '3.5.0')).toBe(true); // Min 7.0.0
    expect(refused('PackageRegistry', '7.17.7', '3.5.0')).toBe(true); // Min 7.17.8
    expect(refused('Elasticsearch', '6.8.23', '2.16.1')).toBe(false); // case 6 until v2.16.x
    expect(refused('Elasticsearch', '6.8.23', '3.0.0')).toBe(true);
    expect(refused('Elasticsearch', '9.0.0', '2.14.0')).toBe(true); // case 9 from v2.15.0
    expect(refused('Elasticsearch', '10.0.0', '3.5.0')).toBe(true);
  });

  it('Enterprise Search: 7.7.0 to 8.99.99 at every release but 2.15; 9.x refused', () => {
    for (const r of ['2.10.0', '3.0.0', '3.5.0']) {
      expect(versionVerdict(kind('EnterpriseSearch'), '9.0.0', false, at(r)).refused).toMatch(
        /Enterprise Search must be 7\.7\.0 to 8\.99\.99/,
      );
      expect(versionVerdict(kind('EnterpriseSearch'), '8.19.0', false, at(r))).toEqual({});
    }
    expect(versionVerdict(kind('EnterpriseSearch'), '7.6.2', false, at('3.5.0')).refused).toBeDefined();
    // From(8, 99, 99) is the bound: 8.99.99 itself passes, 9.0.0-SNAPSHOT is above it.
    expect(versionVerdict(kind('EnterpriseSearch'), '8.99.99', false, at('3.5.0'))).toEqual({});
    expect(versionVerdict(kind('EnterpriseSearch'), '9.0.0-SNAPSHOT', false, at('3.5.0')).refused).toBeDefined();
  });

  it('Logstash: 8.6.0 before operator 2.12.0, 8.12.0 from 2.12.0 on (From: 8.12.0-SNAPSHOT is below)', () => {
    expect(versionVerdict(kind('Logstash'), '8.11.4', false, at('2.11.1'))).toEqual({});
    expect(versionVerdict(kind('Logstash'), '8.5.3', false, at('2.11.1')).refused).toMatch(
      /Logstash must be 8\.6\.0 or later/,
    );
    expect(versionVerdict(kind('Logstash'), '8.11.4', false, at('2.12.0')).refused).toMatch(
      /Logstash must be 8\.12\.0 or later/,
    );
    expect(versionVerdict(kind('Logstash'), '8.12.0-SNAPSHOT', false, at('3.5.0')).refused).toBeDefined();
    expect(versionVerdict(kind('Logstash'), '8.12.0', false, at('3.5.0'))).toEqual({});
  });

  it('AutoOps: 9.2.1 in 3.3.x; from 3.4.0 below 9.2.1 refused, 9.2.1-9.2.3 a warning (licence), 9.2.4 fine', () => {
    expect(versionVerdict(kind('AutoOpsAgentPolicy'), '9.2.0', false, at('3.3.0')).refused).toMatch(/9\.2\.1 or later/);
    expect(versionVerdict(kind('AutoOpsAgentPolicy'), '9.2.1', false, at('3.3.1'))).toEqual({});
    expect(versionVerdict(kind('AutoOpsAgentPolicy'), '9.2.2', false, at('3.3.1'))).toEqual({});
    expect(versionVerdict(kind('AutoOpsAgentPolicy'), '9.2.0', false, at('3.4.0')).refused).toMatch(
      /Enterprise licence, 9\.2\.4 or later on Basic/,
    );
    const unsure = versionVerdict(kind('AutoOpsAgentPolicy'), '9.2.3', false, at('3.5.0'));
    expect(unsure.refused).toBeUndefined();
    expect(unsure.unsure).toMatch(/only with an Enterprise licence/);
    expect(versionVerdict(kind('AutoOpsAgentPolicy'), '9.2.4', false, at('3.4.0'))).toEqual({});
    // MustParse("9.2.1"): its pre-releases are below it.
    expect(versionVerdict(kind('AutoOpsAgentPolicy'), '9.2.1-SNAPSHOT', false, at('3.5.0')).refused).toBeDefined();
  });

  it('stack monitoring: 7.14.0-SNAPSHOT or later on Elasticsearch, Kibana, Beat; Logstash 8.7.0-SNAPSHOT before 2.12.0', () => {
    for (const k of ['Elasticsearch', 'Kibana', 'Beat']) {
      expect(versionVerdict(kind(k), '7.13.4', true, at('3.5.0')).refused, k).toMatch(
        /stack monitoring needs 7\.14\.0 or later/,
      );
      expect(versionVerdict(kind(k), '7.13.4', false, at('3.5.0')), k).toEqual({});
      expect(versionVerdict(kind(k), '7.14.0-SNAPSHOT', true, at('2.10.0')), k).toEqual({});
      expect(versionVerdict(kind(k), '7.14.0', true, at('2.10.0')), k).toEqual({});
    }
    expect(versionVerdict(kind('Logstash'), '8.6.2', true, at('2.11.0')).refused).toMatch(
      /stack monitoring needs 8\.7\.0 or later/,
    );
    expect(versionVerdict(kind('Logstash'), '8.6.2', false, at('2.11.0'))).toEqual({});
    expect(versionVerdict(kind('Logstash'), '8.12.0', true, at('2.12.0'))).toEqual({});
  });
});

const ENT9 = `apiVersion: enterprisesearch.k8s.elastic.co/v1
kind: EnterpriseSearch
metadata:
  name: ent
  namespace: search
spec:
  version: 9.0.0
  count: 1
`;
const ES = `apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata:
  name: es
spec:
  version: 8.16.1
  nodeSets:
  - name: default
    count: 1
`;
const LOGSTASH_8_11 = `apiVersion: logstash.k8s.elastic.co/v1alpha1
kind: Logstash
metadata:
  name: ls
spec:
  version: 8.11.4
  count: 1
`;
const AUTOOPS = (version: string): string => `apiVersion: autoops.k8s.elastic.co/v1alpha1
kind: AutoOpsAgentPolicy
metadata:
  name: autoops
  namespace: ops
spec:
  version: ${version}
`;
const MONITORED_7_13 = `apiVersion: kibana.k8s.elastic.co/v1
kind: Kibana
metadata:
  name: kb
spec:
  version: 7.13.4
  count: 1
  monitoring:
    metrics:
      elasticsearchRefs:
      - name: monitoring
`;

/** render, images and check on the same stream. */
async function allThree(input: string, extra: string[] = []) {
  return {
    render: await runCli(['--registry', 'my.registry', ...extra], { input }),
    images: await runCli(['images', '--registry', 'my.registry', ...extra], { input }),
    check: await runCli(['check', '--registry', 'my.registry', ...extra], { input }),
  };
}

describe('refused resources: render, images and check exit 1 naming resource, version and rule (CLI)', () => {
  it('Enterprise Search 9.0.0 (SupportedEnterpriseSearchVersions, v3.5.0 pkg/controller/common/version/version.go)', async () => {
    const results = await allThree(`${ES}---\n${ENT9}`);
    for (const [command, r] of Object.entries(results)) {
      expect(r.exitCode, `${command}: ${r.stderr}`).toBe(1);
      expect(r.stdout, command).toBe('');
      expect(r.stderr, command).toMatch(
        /document 2: EnterpriseSearch search\/ent: ECK operator 3\.5\.0 refuses spec\.version 9\.0\.0: Enterprise Search must be 7\.7\.0 to 8\.99\.99/,
      );
      expect(r.stderr, command).not.toMatch(/enterprise-search:9/);
    }
  });

  it('Logstash 8.11.4: refused by operator 3.5.0 (8.12.0), accepted by 2.11.0 (8.6.0; v2.11.0 version.go)', async () => {
    const refused = await allThree(LOGSTASH_8_11);
    for (const [command, r] of Object.entries(refused)) {
      expect(r.exitCode, command).toBe(1);
      expect(r.stdout, command).toBe('');
      expect(r.stderr, command).toMatch(
        /Logstash ls: ECK operator 3\.5\.0 refuses spec\.version 8\.11\.4: Logstash must be 8\.12\.0 or later/,
      );
    }
    const accepted = await allThree(LOGSTASH_8_11, ['--eck-version', '2.11.0']);
    expect(accepted.render.exitCode, accepted.render.stderr).toBe(0);
    expect(accepted.render.stdout).toContain('image: my.registry/logstash/logstash:8.11.4');
    expect(accepted.images.exitCode).toBe(0);
    expect(accepted.images.stdout).toContain(
      'docker.elastic.co/logstash/logstash:8.11.4 -> my.registry/logstash/logstash:8.11.4',
    );
    // check: the operator would pull its default from docker.elastic.co (no operator in the stream): an offender, not a refusal.
    expect(accepted.check.stderr).not.toMatch(/refuses/);
  });

  it('AutoOps 9.2.0 refused under 3.5.0; 9.2.2 passes with a licence warning in all three; under 3.3.0 9.2.2 passes silently', async () => {
    const refused = await allThree(AUTOOPS('9.2.0'));
    for (const [command, r] of Object.entries(refused)) {
      expect(r.exitCode, command).toBe(1);
      expect(r.stdout, command).toBe('');
      expect(r.stderr, command).toMatch(
        /AutoOpsAgentPolicy ops\/autoops: ECK operator 3\.5\.0 refuses spec\.version 9\.2\.0/,
      );
    }
    const unsure = await allThree(AUTOOPS('9.2.2'));
    expect(unsure.render.exitCode, unsure.render.stderr).toBe(0);
    expect(unsure.images.exitCode, unsure.images.stderr).toBe(0);
    for (const [command, r] of Object.entries(unsure)) {
      expect(r.stderr, command).toMatch(
        /warning: .*AutoOpsAgentPolicy ops\/autoops: ECK operator 3\.5\.0 accepts AutoOps Agent 9\.2\.2 only with an Enterprise licence/,
      );
    }
    const old = await allThree(AUTOOPS('9.2.2'), ['--eck-version', '3.3.0']);
    expect(old.render.exitCode, old.render.stderr).toBe(0);
    expect(old.render.stderr).not.toMatch(/licence/);
  });

  it('stack monitoring on Kibana 7.13.4 (MinStackVersion 7.14.0-SNAPSHOT, v3.5.0 pkg/controller/common/stackmon/validations)', async () => {
    const results = await allThree(MONITORED_7_13);
    for (const [command, r] of Object.entries(results)) {
      expect(r.exitCode, command).toBe(1);
      expect(r.stdout, command).toBe('');
      expect(r.stderr, command).toMatch(
        /Kibana kb: ECK operator 3\.5\.0 refuses spec\.version 7\.13\.4: stack monitoring needs 7\.14\.0 or later/,
      );
    }
    // The same Kibana with a ref that names nothing: no monitoring for the operator, nothing refused.
    const unnamed = MONITORED_7_13.replace('- name: monitoring', '- name: ""');
    const r = await runCli(['images', '--registry', 'my.registry'], { input: unnamed });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/metricbeat/);
  });
});

describe('several refused resources in one stream', () => {
  it('render, images and check name every one, one paragraph each, in stream order', async () => {
    const input = `${ENT9}---\n${LOGSTASH_8_11}---\n${ES}`;
    const results = await allThree(input);
    for (const [command, r] of Object.entries(results)) {
      expect(r.exitCode, command).toBe(1);
      expect(r.stdout, command).toBe('');
      const paragraphs = r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.includes('refuses'));
      expect(paragraphs, command).toHaveLength(2);
      expect(paragraphs[0]).toMatch(/^eck-airgap: document 1: EnterpriseSearch search\/ent: /);
      expect(paragraphs[1]).toMatch(/^eck-airgap: document 2: Logstash ls: /);
    }
  });
});

describe('a spec.version that is not a version', () => {
  it('is refused for every kind, even with spec.image set (every validation parses it: v3.5.0 pkg/apis/common/v1/validations.go ParseVersion)', () => {
    for (const k of ELASTIC_KINDS) {
      expect(versionVerdict(k, 'latest', false, at('3.5.0')).refused, k.kind).toMatch(
        /"latest" is not a valid version/,
      );
      expect(versionVerdict(k, '8.16', false, at('3.5.0')).refused, k.kind).toMatch(/"8\.16" is not a valid version/);
    }
    expect(versionVerdict(kind('Kibana'), undefined, false, at('3.5.0'))).toEqual({});
  });

  it("cites the kind's own parse: Elasticsearch's supportedVersion, the others' CheckSupportedStackVersion (v3.5.0)", async () => {
    // v3.5.0 pkg/controller/elasticsearch/validation/validations.go supportedVersion parses Elasticsearch's version;
    // every other kind's webhook calls pkg/apis/common/v1/validations.go CheckSupportedStackVersion → ParseVersion
    // (pkg/apis/kibana/v1/webhook.go). A Kibana refusal cited "Elasticsearch: supportedVersion".
    const doc = (kind: string, group: string) =>
      `apiVersion: ${group}/v1\nkind: ${kind}\nmetadata: {name: x, namespace: ns}\nspec:\n  version: latest\n`;
    const kb = await runCli(['images', '--registry', 'my.registry'], { input: doc('Kibana', 'kibana.k8s.elastic.co') });
    expect(kb.exitCode).toBe(1);
    expect(kb.stderr).toContain(
      '"latest" is not a valid version (expected MAJOR.MINOR.PATCH, e.g. 8.16.1) (ParseVersion through CheckSupportedStackVersion, pkg/apis/common/v1/validations.go).',
    );
    expect(kb.stderr).not.toMatch(/Elasticsearch|supportedVersion/);
    const es = await runCli(['images', '--registry', 'my.registry'], {
      input: doc('Elasticsearch', 'elasticsearch.k8s.elastic.co'),
    });
    expect(es.exitCode).toBe(1);
    expect(es.stderr).toContain(
      '"latest" is not a valid version (expected MAJOR.MINOR.PATCH, e.g. 8.16.1) (supportedVersion, pkg/controller/elasticsearch/validation/validations.go).',
    );
    expect(es.stderr).not.toContain('CheckSupportedStackVersion');
  });

  it('render, images and check agree on a Kibana with spec.image and version "latest"', async () => {
    const input = `apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata: {name: kb, namespace: ns}\nspec:\n  version: latest\n  image: docker.elastic.co/kibana/kibana:8.16.1\n`;
    for (const [command, r] of Object.entries(await allThree(input))) {
      expect(r.exitCode, command).toBe(1);
      expect(r.stdout, command).toBe('');
      expect(r.stderr, command).toMatch(
        /Kibana ns\/kb: ECK operator 3\.5\.0 refuses spec\.version latest: "latest" is not a valid version/,
      );
    }
  });
});
