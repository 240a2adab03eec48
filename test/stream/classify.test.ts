import { describe, it, expect } from 'vitest';
import { classify, firstContent, mayNeedChange } from '../../src/stream/classify.js';

describe('classify', () => {
  it('says empty for blank, comment-only and marker-only documents', () => {
    expect(classify('')).toBe('empty');
    expect(classify('\n\n')).toBe('empty');
    expect(classify('# Source: chart/templates/x.yaml\n# nothing\n')).toBe('empty');
    expect(classify('---\n')).toBe('empty');
    expect(classify('--- # only a comment\n')).toBe('empty');
  });

  it('says inert for ordinary kinds that can hold no image render changes', () => {
    for (const kind of ['Service', 'CustomResourceDefinition', 'ClusterRole', 'ValidatingWebhookConfiguration']) {
      expect(classify(`---\n# Source: x\napiVersion: v1\nkind: ${kind}\nmetadata:\n  name: n\n`), kind).toBe('inert');
    }
  });

  it('says read for Elastic kinds, workloads, Lists, ConfigMaps and Secrets (any may hold the operator settings)', () => {
    for (const kind of [
      'Elasticsearch',
      'Kibana',
      'Beat',
      'Agent',
      'PackageRegistry',
      'AutoOpsAgentPolicy',
      'Pod',
      'Deployment',
      'CronJob',
      'PodTemplate',
      'List',
      'DeploymentList',
    ]) {
      expect(classify(`apiVersion: x/v1\nkind: ${kind}\nmetadata:\n  name: n\n`), kind).toBe('read');
    }
    // the operator's --config file may be any key, envFrom / valueFrom any ConfigMap or Secret (ECK v3.5.0
    // cmd/manager/main.go): read for its settings ('settings': one that does not parse is passed on as it came)
    expect(classify('apiVersion: v1\nkind: ConfigMap\ndata:\n  eck.yaml: |-\n    a: b\n')).toBe('settings');
    expect(classify('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  a: b\n')).toBe('settings');
    expect(classify('apiVersion: v1\nkind: Secret\nmetadata:\n  name: n\n')).toBe('settings');
  });

  it('reads anything it cannot decide by a single top-level kind line', () => {
    expect(classify('{"apiVersion":"v1","kind":"Service"}')).toBe('read'); // JSON
    expect(classify('apiVersion: v1\nmetadata:\n  name: n\n')).toBe('read'); // no kind line
    expect(classify('kind: Service\nkind: Deployment\n')).toBe('read'); // two kind lines
    expect(classify('apiVersion: v1\nkind: "Serv\\u0069ce"\n')).toBe('read'); // escapes
    expect(classify('&a\napiVersion: v1\nkind: Service\n')).toBe('read'); // anchored root
  });

  it('reads quoted kinds and kinds followed by a comment', () => {
    expect(classify('kind: "Service"\n')).toBe('inert');
    expect(classify("kind: 'Deployment'\n")).toBe('read');
    expect(classify('kind: Service # a comment\n')).toBe('inert');
    expect(classify('kind: Service\r\napiVersion: v1\r\n')).toBe('inert');
  });
});

describe('classify fails closed (issue 15)', () => {
  const doc = (kindLines: string): string => `apiVersion: v1\n${kindLines}\nmetadata:\n  name: n\n`;

  it('reads kind values that are not a plain or quoted name complete on their line', () => {
    for (const kind of [
      'kind: >-\n  Service',
      'kind: |-\n  Service',
      'kind: !!str Service',
      'kind: !!str\n  Service',
      'kind:\n  Service',
      'kind: *k',
      'kind: &a Service',
      'kind: "Serv\\\n  ice"',
      'kind: Service\n  More',
      'kind: Service\n\n  More',
      'kind: Service\n# c\n  More',
    ]) {
      expect(classify(doc(kind)), kind).toBe('read');
    }
  });

  it('reads any line at column 0 that is not a plain key: quoted, explicit, tagged, anchored, aliased, merge keys', () => {
    for (const line of [
      '"kind": Deployment',
      "'kind': Deployment",
      '? kind',
      ': Deployment',
      '!!str kind: Deployment',
      '&a kind: Deployment',
      '*a : Deployment',
      '<<: *base',
      'kind : Deployment',
      '...',
      '%YAML 1.2',
      '{a: b}',
    ]) {
      expect(classify(`apiVersion: v1\nkind: Service\n${line}\n`), line).toBe('read');
    }
  });

  it('a line indented by a tab is no top-level key (invalid indentation for every reader): still inert', () => {
    expect(classify('apiVersion: v1\nkind: Service\nmetadata:\n\tname: s\n')).toBe('inert');
  });

  it('reads a sequence, and a document after a byte order mark', () => {
    expect(classify('- kind: Service\n')).toBe('read');
    expect(classify('\uFEFFkind: Service\n')).toBe('read');
  });

  it('keeps the fast path for what Helm prints: sequences at column 0, comments, CRLF', () => {
    expect(classify('apiVersion: rbac/v1\nkind: ClusterRole\nrules:\n- apiGroups: [""]\n  verbs: [get]\n# end\n')).toBe(
      'inert',
    );
    expect(classify('kind: Service\r\n\r\nmetadata:\r\n  name: n\r\n')).toBe('inert');
  });
});

describe('firstContent / mayNeedChange', () => {
  it('finds the first significant character past BOM, comments and markers', () => {
    expect(firstContent('\uFEFF# c\n---\nkind: x\n')).toBe('\uFEFF# c\n---\n'.length);
    expect(firstContent('# only\n')).toBe(-1);
  });

  it('knows which kinds may need a change', () => {
    expect(mayNeedChange('Elasticsearch', '')).toBe(true);
    expect(mayNeedChange('ReplicationController', '')).toBe(true);
    expect(mayNeedChange('ConfigMap', 'data:\n  eck.yaml: x')).toBe(true);
    expect(mayNeedChange('ConfigMap', 'data:\n  other: x')).toBe(true);
    expect(mayNeedChange('Secret', 'data:\n  other: eA==')).toBe(true);
    expect(mayNeedChange('Service', '')).toBe(false);
  });
});
