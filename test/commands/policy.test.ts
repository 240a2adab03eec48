// `eck-airgap policy`: usage errors, the containers-policy and registries.d documents on stdout and under --out,
// the Kyverno ClusterPolicy, and that ClusterPolicy checked against Kyverno's published CRD schema
// (kyverno/kyverno v1.19.0, config/crds/kyverno/kyverno.io_clusterpolicies.yaml, apiVersion kyverno.io/v1) when
// that file is on disk (a git mirror of kyverno/kyverno at /work/.mirror/kyverno+kyverno/repo, or
// $ECK_AIRGAP_KYVERNO_CRD); fetched material is never committed, so without it that check is skipped loudly.
// Whether CRI-O / podman accept the containers-policy output is judged by containers/image itself in
// test/e2e/signature-policy.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { makeKey } from '../support/cosign.js';
import { checkAgainstSchema } from '../support/openapi-check.js';
import { KYVERNO_V1_19_SPEC } from '../support/kyverno-schema-facts.js';
import { tempDir } from '../support/registry.js';
import { pod } from '../support/manifests.js';
import { runCli } from '../support/cli.js';

const INPUT = pod(
  'docker.elastic.co/elasticsearch/elasticsearch:8.16.1',
  'docker.elastic.co/kibana/kibana:8.16.1',
  'docker.elastic.co/beats/elastic-agent:8.16.1',
);
const key = makeKey('ecdsa');
const key2 = makeKey('ed25519');

describe('policy: usage errors (exit 2, nothing on stdout)', () => {
  const cases: [string, string[], RegExp][] = [
    ['no -o', ['--key', key.publicFile], /policy needs -o containers-policy\|registries\.d\|kyverno/],
    [
      'an unknown -o',
      ['--key', key.publicFile, '-o', 'opa'],
      /-o opa: unknown output; use containers-policy, registries\.d, kyverno/,
    ],
    ['no --key', ['-o', 'kyverno'], /policy needs --key FILE/],
    [
      'two keys for containers-policy',
      ['-o', 'containers-policy', '--key', key.publicFile, '--key', key2.publicFile],
      /containers-policy takes one --key: containers\/image 5\.23/,
    ],
    [
      '--reject-others with kyverno',
      ['-o', 'kyverno', '--key', key.publicFile, '--reject-others'],
      /--reject-others is for -o containers-policy/,
    ],
    [
      '--require-digests with containers-policy',
      ['-o', 'containers-policy', '--key', key.publicFile, '--require-digests'],
      /--require-digests is for -o kyverno/,
    ],
    [
      'a key that is not there',
      ['-o', 'kyverno', '--key', '/nonexistent.pub'],
      /--key \/nonexistent\.pub: cannot open it/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await runCli(['policy', '--registry', 'mirror.example:5000', ...args, '-'], { input: INPUT });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('a release without Elastic images: exit 1, nothing written', async () => {
    const r = await runCli(
      [
        'policy',
        '--registry',
        'mirror.example:5000',
        '--mirror',
        'docker.io=mirror.example:5000/hub',
        '-o',
        'kyverno',
        '--key',
        key.publicFile,
        '-',
      ],
      { input: pod('nginx:1.27') },
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no image of the release comes from docker.elastic.co');
  });
});

describe('policy -o containers-policy / registries.d', () => {
  it('policy.json on stdout: one sigstoreSigned scope per mirror repository, identity its docker.elastic.co repository, keyData the key', async () => {
    const r = await runCli(
      ['policy', '--registry', 'mirror.example:5000', '--key', key.publicFile, '-o', 'containers-policy', '-'],
      { input: INPUT },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const policy = JSON.parse(r.stdout) as {
      default: { type: string }[];
      transports: { docker: Record<string, { type: string; keyData: string; signedIdentity: unknown }[]> };
    };
    expect(policy.default).toEqual([{ type: 'insecureAcceptAnything' }]);
    expect(Object.keys(policy.transports.docker)).toEqual([
      'mirror.example:5000/beats/elastic-agent',
      'mirror.example:5000/elasticsearch/elasticsearch',
      'mirror.example:5000/kibana/kibana',
    ]);
    const [rule] = policy.transports.docker['mirror.example:5000/kibana/kibana']!;
    expect(rule!.type).toBe('sigstoreSigned');
    expect(rule!.signedIdentity).toEqual({
      type: 'exactRepository',
      dockerRepository: 'docker.elastic.co/kibana/kibana',
    });
    expect(Buffer.from(rule!.keyData, 'base64').toString()).toBe(readFileSync(key.publicFile, 'utf8'));
    expect(r.stderr).toContain('written by -o registries.d, or with --out DIR');
  });

  it('--reject-others makes the default reject; --allow-unsigned leaves a repository out, saying so', async () => {
    const r = await runCli(
      [
        'policy',
        '--registry',
        'mirror.example:5000',
        '--key',
        key.publicFile,
        '-o',
        'containers-policy',
        '--reject-others',
        '--allow-unsigned',
        'docker.elastic.co/kibana/kibana',
        '-',
      ],
      { input: INPUT },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const policy = JSON.parse(r.stdout) as { default: unknown; transports: { docker: Record<string, unknown> } };
    expect(policy.default).toEqual([{ type: 'reject' }]);
    expect(Object.keys(policy.transports.docker)).not.toContain('mirror.example:5000/kibana/kibana');
    expect(r.stderr).toContain(
      'exempted by --allow-unsigned, left out of the policy: docker.elastic.co/kibana/kibana:8.16.1',
    );
  });

  it('-o registries.d: use-sigstore-attachments for each repository', async () => {
    const r = await runCli(['policy', '--registry', 'mirror.example:5000', '-o', 'registries.d', '-'], {
      input: INPUT,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(parse(r.stdout)).toEqual({
      docker: {
        'mirror.example:5000/beats/elastic-agent': { 'use-sigstore-attachments': true },
        'mirror.example:5000/elasticsearch/elasticsearch': { 'use-sigstore-attachments': true },
        'mirror.example:5000/kibana/kibana': { 'use-sigstore-attachments': true },
      },
    });
  });

  it('--out DIR writes both files (rewritten in place on a rerun, never through a planted link), nothing on stdout', async () => {
    const out = join(tempDir('policy-out'), 'etc-containers');
    for (let i = 0; i < 2; i++) {
      const r = await runCli(
        [
          'policy',
          '--registry',
          'mirror.example:5000',
          '--key',
          key.publicFile,
          '-o',
          'containers-policy',
          '--out',
          out,
          '-',
        ],
        { input: INPUT },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`wrote ${join(out, 'policy.json')}, ${join(out, 'registries.d', 'eck-airgap.yaml')}`);
    }
    expect(readdirSync(out).sort()).toEqual(['policy.json', 'registries.d']);
    const victim = join(tempDir('victim'), 'victim.txt');
    writeFileSync(victim, 'keep');
    const linked = join(tempDir('policy-out'), 'x');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(linked);
    symlinkSync(victim, join(linked, 'policy.json'));
    const r = await runCli(
      [
        'policy',
        '--registry',
        'mirror.example:5000',
        '--key',
        key.publicFile,
        '-o',
        'containers-policy',
        '--out',
        linked,
        '-',
      ],
      { input: INPUT },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    expect(lstatSync(join(linked, 'policy.json')).isSymbolicLink()).toBe(false);
  });
});

/** Kyverno's ClusterPolicy CRD (v1.19.0), when on disk. */
function kyvernoCrd(): { schema: unknown; source: string } | string {
  const file = process.env.ECK_AIRGAP_KYVERNO_CRD;
  let text: string | undefined;
  let source = '';
  if (file && existsSync(file)) {
    text = readFileSync(file, 'utf8');
    source = file;
  } else {
    const repo = '/work/.mirror/kyverno+kyverno/repo';
    if (!existsSync(repo))
      return `no Kyverno CRD on disk (set ECK_AIRGAP_KYVERNO_CRD to kyverno.io_clusterpolicies.yaml of kyverno v1.19.0, or have a git mirror at ${repo})`;
    const r = spawnSync(
      'git',
      ['--git-dir', repo, 'show', 'v1.19.0:config/crds/kyverno/kyverno.io_clusterpolicies.yaml'],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (r.status !== 0)
      return `${repo} has no v1.19.0:config/crds/kyverno/kyverno.io_clusterpolicies.yaml (${r.stderr.trim()})`;
    text = r.stdout;
    source = `${repo} v1.19.0:config/crds/kyverno/kyverno.io_clusterpolicies.yaml`;
  }
  const crd = parseAllDocuments(text)
    .map(
      (d) =>
        d.toJS() as {
          kind?: string;
          metadata?: { name?: string };
          spec?: { versions?: { name: string; schema: { openAPIV3Schema: unknown } }[] };
        },
    )
    .find((d) => d?.metadata?.name === 'clusterpolicies.kyverno.io');
  const v1 = crd?.spec?.versions?.find((v) => v.name === 'v1');
  if (!v1) return `${source}: no clusterpolicies.kyverno.io v1 schema`;
  return { schema: v1.schema.openAPIV3Schema, source };
}

const crd = kyvernoCrd();
if (typeof crd === 'string')
  console.warn(`\n!!! test/commands/policy.test.ts: Kyverno CRD schema check NOT RUN — ${crd} !!!\n`);

describe('policy -o kyverno', () => {
  const generate = async (extra: string[] = []): Promise<Record<string, unknown>> => {
    const r = await runCli(
      [
        'policy',
        '--registry',
        'mirror.example:5000',
        '--key',
        key.publicFile,
        '--key',
        key2.publicFile,
        '-o',
        'kyverno',
        ...extra,
        '-',
      ],
      { input: INPUT },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    return parse(r.stdout) as Record<string, unknown>;
  };

  it('a ClusterPolicy: verifyImages over the mirror repositories, each key an attestor entry (any one), offline, Enforce', async () => {
    const p = (await generate()) as { kind: string; spec: { rules: { verifyImages: Record<string, unknown>[] }[] } };
    expect(p.kind).toBe('ClusterPolicy');
    const [vi] = p.spec.rules[0]!.verifyImages;
    expect(vi!.imageReferences).toEqual([
      'mirror.example:5000/beats/elastic-agent:*',
      'mirror.example:5000/beats/elastic-agent@*',
      'mirror.example:5000/elasticsearch/elasticsearch:*',
      'mirror.example:5000/elasticsearch/elasticsearch@*',
      'mirror.example:5000/kibana/kibana:*',
      'mirror.example:5000/kibana/kibana@*',
    ]);
    expect(vi!.failureAction).toBe('Enforce');
    expect(vi!.mutateDigest).toBe(true);
    expect(vi!.verifyDigest).toBe(false);
    const [att] = vi!.attestors as {
      count: number;
      entries: { keys: { publicKeys: string; rekor: unknown; ctlog: unknown } }[];
    }[];
    expect(att!.count).toBe(1);
    expect(att!.entries.map((e) => e.keys.publicKeys)).toEqual([
      readFileSync(key.publicFile, 'utf8'),
      readFileSync(key2.publicFile, 'utf8'),
    ]);
    for (const e of att!.entries) {
      expect(e.keys.rekor).toEqual({ ignoreTlog: true });
      expect(e.keys.ctlog).toEqual({ ignoreSCT: true });
    }
  });

  it('--require-digests: pod images must come pinned (verifyDigest), none are pinned at admission (mutateDigest)', async () => {
    const p = (await generate(['--require-digests'])) as {
      spec: { rules: { verifyImages: Record<string, unknown>[] }[] };
    };
    expect(p.spec.rules[0]!.verifyImages[0]).toMatchObject({ verifyDigest: true, mutateDigest: false });
  });

  it('--lock FILE (a lock given): digests required as with --require-digests; a file that is no lock is refused, naming it', async () => {
    const dir = tempDir('eck-airgap-policy-lock-');
    const lock = join(dir, 'images.lock.yaml');
    writeFileSync(lock, 'apiVersion: eck-airgap/v1\nkind: ImagesLock\nimages: []\n');
    const p = (await generate(['--lock', lock])) as { spec: { rules: { verifyImages: Record<string, unknown>[] }[] } };
    expect(p.spec.rules[0]!.verifyImages[0]).toMatchObject({ verifyDigest: true, mutateDigest: false });
    const bad = join(dir, 'not-a-lock.yaml');
    writeFileSync(bad, 'kind: Something\n');
    const r = await runCli(
      ['policy', '--registry', 'mirror.example:5000', '--key', key.publicFile, '-o', 'kyverno', '--lock', bad, '-'],
      {
        input:
          'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: docker.elastic.co/kibana/kibana:8.16.1}]}\n',
      },
    );
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('not-a-lock.yaml');
  });

  it("is valid against the facts of Kyverno v1.19.0's ClusterPolicy schema (test/support/kyverno-schema-facts.ts); a misspelt field is caught", async () => {
    for (const extra of [[], ['--require-digests']]) {
      const p = await generate(extra);
      expect(p.apiVersion).toBe('kyverno.io/v1');
      expect(checkAgainstSchema(p.spec, KYVERNO_V1_19_SPEC, 'spec')).toEqual([]);
    }
    const p = (await generate()) as {
      spec: { rules: { verifyImages: { attestors: { entries: { keys: Record<string, unknown> }[] }[] }[] }[] };
    };
    p.spec.rules[0]!.verifyImages[0]!.attestors[0]!.entries[0]!.keys.ctlog = { ignoreSct: true };
    expect(checkAgainstSchema(p.spec, KYVERNO_V1_19_SPEC, 'spec')).toEqual([
      'spec.rules[0].verifyImages[0].attestors[0].entries[0].keys.ctlog.ignoreSct: unknown field',
    ]);
  });

  it.runIf(typeof crd !== 'string')(
    `is valid against Kyverno's ClusterPolicy CRD schema${typeof crd === 'string' ? ` (skipped: ${crd})` : ''}`,
    async () => {
      const { schema } = crd as { schema: Parameters<typeof checkAgainstSchema>[1] };
      for (const extra of [[], ['--require-digests']]) {
        const p = await generate(extra);
        expect(checkAgainstSchema(p.spec, (schema as { properties: { spec: never } }).properties.spec, 'spec')).toEqual(
          [],
        );
        expect(p.apiVersion).toBe('kyverno.io/v1');
      }
      // the facts file (used where the CRD is absent) says what the CRD says, level by level
      type Node = { type?: string; enum?: unknown[]; properties?: Record<string, Node>; items?: Node };
      const differences = (facts: Node, real: Node, path: string): string[] => {
        const out: string[] = [];
        if (facts.type !== undefined && facts.type !== real.type)
          out.push(`${path}: type ${facts.type} vs ${real.type}`);
        if (facts.enum !== undefined && JSON.stringify(facts.enum) !== JSON.stringify(real.enum))
          out.push(`${path}: enum`);
        if (facts.properties) {
          const want = Object.keys(facts.properties).sort().join(',');
          const have = Object.keys(real.properties ?? {})
            .sort()
            .join(',');
          if (want !== have) out.push(`${path}: properties ${want} vs ${have}`);
          for (const [k, v] of Object.entries(facts.properties))
            if (real.properties?.[k]) out.push(...differences(v, real.properties[k]!, `${path}.${k}`));
        }
        if (facts.items && real.items) out.push(...differences(facts.items, real.items, `${path}[]`));
        return out;
      };
      expect(
        differences(KYVERNO_V1_19_SPEC as Node, (schema as { properties: { spec: Node } }).properties.spec, 'spec'),
      ).toEqual([]);
      // the check can fail: a misspelt offline switch is an unknown field
      const p = (await generate()) as {
        spec: { rules: { verifyImages: { attestors: { entries: { keys: Record<string, unknown> }[] }[] }[] }[] };
      };
      p.spec.rules[0]!.verifyImages[0]!.attestors[0]!.entries[0]!.keys.rekor = { ignoreTLog: true };
      expect(checkAgainstSchema(p.spec, (schema as { properties: { spec: never } }).properties.spec, 'spec')).toEqual([
        'spec.rules[0].verifyImages[0].attestors[0].entries[0].keys.rekor.ignoreTLog: unknown field',
      ]);
    },
  );
});
