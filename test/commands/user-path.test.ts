// Issue 25, the user's path: --strict (render, template, the Argo CD parameter), settings that read alike in every
// source (source registries add to docker.elastic.co, one boolean rule, suffixes start with "-"), typo suggestions
// (flags in every spelling, commands, config keys, ECK_AIRGAP_* variables), template's pointer to `--`, and check's
// advice fitted to what it saw. All through the real CLI (./eck-airgap) as a process; template with the real Helm 3.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helmBin, repoRoot } from '../support/helm.js';
import { runCli } from '../support/cli.js';

const temp = mkdtempSync(join(tmpdir(), 'eck-airgap-user-path-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const STREAM = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ns
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
        - name: side
          image: gcr.io/team/side:1
---
apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata:
  name: es
  namespace: ns
spec:
  version: 8.17.0
`;

const OPERATOR_IMAGE = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: elastic-operator
  namespace: elastic-system
spec:
  template:
    spec:
      containers:
        - name: manager
          image: quay.io/elastic/eck-operator:3.5.0
`;

function file(name: string, text: string): string {
  const path = join(temp, name);
  writeFileSync(path, text);
  return path;
}

describe('--strict: render and template fail when an image stays off the mirror', () => {
  it('render without --strict passes the leftovers (exit 0, the report names them)', async () => {
    const r = await runCli(['--registry', 'my.registry', '-'], { input: STREAM });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('left: nginx:1.27');
  });

  for (const [how, args, env, cwdFile] of [
    ['the flag', ['--strict'], {}, undefined],
    ['ECK_AIRGAP_STRICT', [], { ECK_AIRGAP_STRICT: 'yes' }, undefined],
    ['strict in the config file', [], {}, 'strict: true\n'],
  ] as const) {
    it(`render ${how}: exit 1, nothing on stdout, each image left and the --mirror for each registry on stderr`, async () => {
      const cwd = mkdtempSync(join(temp, 'cwd-'));
      if (cwdFile) writeFileSync(join(cwd, 'eck-airgap.yaml'), cwdFile);
      const r = await runCli(['--registry', 'my.registry', ...args, '-'], { input: STREAM, env: { ...env }, cwd });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /strict: 2 of 3 image uses would still be pulled from outside my\.registry; nothing written/,
      );
      expect(r.stderr).toContain(
        'nginx:1.27 (docker.io): Deployment ns/web, spec.template.spec.containers[0].image (container)',
      );
      expect(r.stderr).toContain('gcr.io/team/side:1 (gcr.io)');
      expect(r.stderr).toContain('--mirror docker.io=my.registry/dockerhub --mirror gcr.io=my.registry/gcr');
    });
  }

  it('render --strict passes (exit 0, the stream on stdout) once every registry is mirrored', async () => {
    const r = await runCli(
      [
        '--registry',
        'my.registry',
        '--strict',
        '--mirror',
        'docker.io=my.registry/docker',
        '--mirror',
        'gcr.io=my.registry/gcr',
        '-',
      ],
      { input: STREAM },
    );
    expect(r.stderr).not.toContain('strict:');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('image: my.registry/docker/library/nginx:1.27');
  });

  it('template --strict with the real Helm 3: exit 1 and nothing on stdout', async () => {
    const chart = join(temp, 'chart');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: chart\nversion: 0.1.0\n');
    writeFileSync(join(chart, 'templates', 'all.yaml'), STREAM);
    const ok = await runCli(['template', '--registry', 'my.registry', '--helm', helmBin(3), chart, '--', 'rel']);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const r = await runCli([
      'template',
      '--registry',
      'my.registry',
      '--strict',
      '--helm',
      helmBin(3),
      chart,
      '--',
      'rel',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('nginx:1.27 (docker.io)');
  });

  it('refuses an ECK_AIRGAP_STRICT that is not a boolean, naming the accepted spellings', async () => {
    const r = await runCli(['--registry', 'my.registry', '-'], { input: STREAM, env: { ECK_AIRGAP_STRICT: 'sure' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('ECK_AIRGAP_STRICT="sure" is not a boolean (accepted: true/false, yes/no, on/off, 1/0)');
  });
});

describe('settings that read alike in every source', () => {
  it('--source-registry adds to docker.elastic.co: the operator on quay.io and the stack on docker.elastic.co both move', async () => {
    const r = await runCli(['--registry', 'my.registry', '--source-registry', 'quay.io', '-'], {
      input: OPERATOR_IMAGE + '---\n' + STREAM.split('---\n')[1],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('image: my.registry/eck/eck-operator:3.5.0');
    expect(r.stdout).toContain('image: my.registry/elasticsearch/elasticsearch:8.17.0');
    for (const [where, args, env, config] of [
      ['flag', ['--no-default-source-registry', '--source-registry', 'quay.io'], {}, ''],
      ['env', ['--source-registry', 'quay.io'], { ECK_AIRGAP_DEFAULT_SOURCE_REGISTRY: 'false' }, ''],
      ['file', [], {}, 'defaultSourceRegistry: no\nsourceRegistries: [quay.io]\n'],
    ] as const) {
      const cwd = mkdtempSync(join(temp, 'cwd-'));
      if (config) writeFileSync(join(cwd, 'eck-airgap.yaml'), config);
      const input = OPERATOR_IMAGE.replace(
        'quay.io/elastic/eck-operator:3.5.0',
        'docker.elastic.co/beats/filebeat:8.17.0',
      ).replace('elastic-operator', 'shipper');
      const dropped = await runCli(['--registry', 'my.registry', ...args, '-'], { input, env: { ...env }, cwd });
      expect(dropped.exitCode, `${where}: ${dropped.stderr}`).toBe(0);
      expect(dropped.stdout, where).toContain('image: docker.elastic.co/beats/filebeat:8.17.0');
    }
    const none = await runCli(['--registry', 'my.registry', '--no-default-source-registry', '-'], { input: STREAM });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('defaultSourceRegistry is false and no sourceRegistries are given');
  });

  it('one boolean rule: ubiOnly yes in the file, on in the environment; "maybe" refused in both (Argo CD: test/argocd/generate.test.ts)', async () => {
    const es = STREAM.split('---\n')[1]!;
    const cwd = mkdtempSync(join(temp, 'cwd-'));
    writeFileSync(join(cwd, 'eck-airgap.yaml'), 'ubiOnly: yes\n');
    const fromFile = await runCli(['--registry', 'my.registry', '-'], { input: es, cwd });
    expect(fromFile.exitCode, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toContain('elasticsearch-ubi:8.17.0');
    const fromEnv = await runCli(['--registry', 'my.registry', '-'], { input: es, env: { ECK_AIRGAP_UBI_ONLY: 'on' } });
    expect(fromEnv.stdout).toContain('elasticsearch-ubi:8.17.0');
    writeFileSync(join(cwd, 'eck-airgap.yaml'), 'ubiOnly: maybe\n');
    const badFile = await runCli(['--registry', 'my.registry', '-'], { input: es, cwd });
    expect(badFile.exitCode).toBe(2);
    expect(badFile.stderr).toContain(
      'ubiOnly: expected a boolean (true/false, yes/no, on/off, 1/0), found the string "maybe"',
    );
    const badEnv = await runCli(['--registry', 'my.registry', '-'], {
      input: es,
      env: { ECK_AIRGAP_UBI_ONLY: 'maybe' },
    });
    expect(badEnv.exitCode).toBe(2);
    expect(badEnv.stderr).toContain('(accepted: true/false, yes/no, on/off, 1/0)');
  });

  it('a boolean flag with a value follows the same rule: --strict=yes on, --strict=off off (above the environment), --strict=maybe refused', async () => {
    const on = await runCli(['--registry', 'my.registry', '--strict=yes', '-'], { input: STREAM });
    expect(on.exitCode).toBe(1);
    expect(on.stderr).toContain('strict: 2 of 3 image uses');
    const off = await runCli(['--registry', 'my.registry', '--strict=off', '-'], {
      input: STREAM,
      env: { ECK_AIRGAP_STRICT: 'true' },
    });
    expect(off.exitCode, off.stderr).toBe(0);
    const ubi = await runCli(['--registry', 'my.registry', '--ubi-only=1', '-'], { input: STREAM.split('---\n')[1]! });
    expect(ubi.stdout).toContain('elasticsearch-ubi:8.17.0');
    const bad = await runCli(['--registry', 'my.registry', '--strict=maybe', '-'], { input: STREAM });
    expect(bad.exitCode).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('--strict=maybe: not a boolean (accepted: true/false, yes/no, on/off, 1/0)');
  });

  it('refuses a suffix without its leading "-" (the operator would name elastic-agentwolfi)', async () => {
    for (const [args, env] of [
      [['--suffix', 'wolfi'], {}],
      [[], { ECK_AIRGAP_SUFFIX: 'wolfi' }],
    ] as const) {
      const r = await runCli(['--registry', 'my.registry', ...args, '-'], { input: STREAM, env: { ...env } });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('must start with "-"');
      expect(r.stdout).toBe('');
    }
  });
});

describe('typos get a suggestion', () => {
  it('flags, with or without =value', async () => {
    for (const flag of ['--registy', '--regsitry=x']) {
      const r = await runCli([flag, '-'], { input: '' });
      expect(r.exitCode).toBe(2);
      expect(r.stderr, flag).toContain('(did you mean --registry?)');
    }
  });

  it('a command: eck-airgap chek', async () => {
    const r = await runCli(['chek', '--registry', 'my.registry', 'x.yaml']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Did you mean `eck-airgap check`?');
    expect(r.stderr).not.toContain('Cannot read');
  });

  it('config keys', async () => {
    const config = file('typo.yaml', 'registry: my.registry\npullSecrets: [regcred]\n');
    const r = await runCli(['-c', config, '-'], { input: '' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown key pullSecrets (did you mean imagePullSecrets?)');
  });

  it('ECK_AIRGAP_* variables that are set but unknown', async () => {
    const missing = await runCli(['-'], { input: '', env: { ECK_AIRGAP_REGISTY: 'my.registry' } });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(
      'ECK_AIRGAP_REGISTY is set but is not a variable eck-airgap reads (did you mean ECK_AIRGAP_REGISTRY?)',
    );
    const warned = await runCli(['--registry', 'my.registry', '-'], {
      input: STREAM,
      env: { ECK_AIRGAP_MIRORS: 'docker.io=my.registry/d' },
    });
    expect(warned.exitCode).toBe(0);
    expect(warned.stderr).toContain(
      'warning: ECK_AIRGAP_MIRORS is set but is not a variable eck-airgap reads (did you mean ECK_AIRGAP_MIRRORS?)',
    );
  });

  it('template: Helm flags go after --', async () => {
    const r = await runCli(['template', '--registry', 'r', './chart', '-n', 'ns']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown option '-n'");
    expect(r.stderr).toContain("Helm's own flags (-n, -f, --set, --version, …) go after `--`");
  });
});

describe("check's advice fits what it saw", () => {
  it('a stack-only stream, rendered: names the operator registry and --operator-registry, not "render with eck-airgap"', async () => {
    const stack = `apiVersion: kibana.k8s.elastic.co/v1
kind: Kibana
metadata:
  name: kb
  namespace: ns
spec:
  version: 8.17.0
  monitoring:
    metrics:
      elasticsearchRefs:
        - name: monitoring
`;
    const rendered = await runCli(['--registry', 'my.registry', '-q', '-'], { input: stack });
    expect(rendered.exitCode, rendered.stderr).toBe(0);
    const r = await runCli(['check', '--registry', 'my.registry', '-'], { input: rendered.stdout });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('metricbeat');
    expect(r.stderr).toContain('this stream holds no operator settings');
    expect(r.stderr).toContain('pulling from docker.elastic.co');
    expect(r.stderr).toContain('check --operator-registry my.registry');
    expect(r.stderr).not.toMatch(/render with eck-airgap/i);
    const told = await runCli(['check', '--registry', 'my.registry', '--operator-registry', 'my.registry', '-'], {
      input: rendered.stdout,
    });
    expect(told.exitCode, told.stderr).toBe(0);
  });
});

export { repoRoot };

describe('argocd/README.md documents every setting an Application can give', () => {
  it('every ECK_AIRGAP_* variable of the settings table and every parameter plugin.yaml announces', async () => {
    const { readFileSync } = await import('node:fs');
    const { SETTING_KEYS, SETTINGS } = await import('../../src/config/descriptors.js');
    const { KNOWN_PARAMETERS } = await import('../../src/argocd/generate.js');
    const readme = readFileSync(join(repoRoot, 'argocd', 'README.md'), 'utf8');
    const plugin = readFileSync(join(repoRoot, 'argocd', 'plugin.yaml'), 'utf8');
    // the registry access settings are mirror's and verify's, which an Application does not run
    for (const key of SETTING_KEYS.filter((k) => !('scope' in SETTINGS[k])))
      expect(readme, key).toContain(`| \`ECK_AIRGAP_${SETTINGS[key].env}\` | \`${SETTINGS[key].fileKey}\` |`);
    for (const name of KNOWN_PARAMETERS) {
      expect(readme, name).toContain(`| \`${name}\` |`);
      expect(plugin, name).toContain(`- name: ${name}\n`);
    }
  });
});

describe('small output issues', () => {
  const typos = `apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata:
  name: a
spec:
  versoin: 8.17.0
---
apiVersion: kibana.k8s.elastic.co/v1
kind: Kibana
metadata:
  name: b
spec:
  versoin: 8.17.0
`;
  for (const command of [[], ['images'], ['check']]) {
    it(`${command[0] ?? 'render'} names every resource without spec.version, not only the first`, async () => {
      const r = await runCli([...command, '--registry', 'my.registry', '-'], { input: typos });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('2 problems in the input');
      expect(r.stderr).toContain('document 1: Elasticsearch a: cannot compute');
      expect(r.stderr).toContain('document 2: Kibana b: cannot compute');
    });
  }

  it('the release line has no nested parentheses', async () => {
    const r = await runCli(['images', '--registry', 'my.registry', '-'], { input: STREAM });
    const line = r.stderr.split('\n').find((l) => l.includes('images named for ECK operator'))!;
    expect(line).toBeDefined();
    expect(line).not.toMatch(/\([^)]*\(/);
  });

  it("render's left line has no nested parentheses: the resource and field, then the document as check names it", async () => {
    const r = await runCli([
      '--registry',
      'my.registry',
      file('left.yaml', '# Source: app/templates/web.yaml\n' + STREAM),
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const line = r.stderr.split('\n').find((l) => l.startsWith('  left: nginx:1.27'))!;
    expect(line).toBe(
      `  left: nginx:1.27: Deployment ns/web, spec.template.spec.containers[0].image [${join(temp, 'left.yaml')}: document 1 (app/templates/web.yaml)]: ` +
        'not on a source registry and no mirror is configured for it',
    );
  });
});

describe('images: what it leaves out, said once per image with its files, and -o json without nulls', () => {
  const beats = ['a', 'b', 'c']
    .map(
      (name) => `apiVersion: beat.k8s.elastic.co/v1beta1
kind: Beat
metadata:
  name: ${name}
spec:
  type: filebeat
  version: 8.17.0
  daemonSet:
    podTemplate:
      spec:
        containers:
          - name: helper
            image: registry.k8s.io/pause:3.9
`,
    )
    .join('---\n');

  it('groups the uses of each uncovered image under it, with the file, and names a --mirror for every registry', async () => {
    const path = file('beats.yaml', beats + '---\n' + STREAM);
    const r = await runCli(['images', '--registry', 'my.registry', path]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      '--mirror docker.io=my.registry/dockerhub --mirror gcr.io=my.registry/gcr --mirror registry.k8s.io=my.registry/k8s',
    );
    expect(r.stderr).toContain('  registry.k8s.io/pause:3.9 (registry.k8s.io), 3 uses:\n');
    expect(r.stderr.split('registry.k8s.io/pause:3.9').length - 1).toBe(1);
    expect(r.stderr).toContain(`[${path}: document 1]`);
    expect(r.stderr).toContain(`[${path}: document 3]`);
  });

  it('-o json: no namespace: null (left out when the manifest has none), the real one when it has', async () => {
    const r = await runCli(['images', '--registry', 'my.registry', '-o', 'json', '-'], {
      input: beats + '---\n' + STREAM,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('null');
    const list = JSON.parse(r.stdout) as { source: string; usedBy: { namespace?: string; name: string }[] }[];
    const es = list.find((e) => e.source.includes('elasticsearch'))!;
    expect(es.usedBy[0]!.namespace).toBe('ns');
    const fb = list.find((e) => e.source.includes('filebeat'))!;
    expect(fb.usedBy.every((u) => !('namespace' in u))).toBe(true);
  });
});

describe('a directory of manifests, read as kubectl reads one', () => {
  const dir = join(temp, 'manifests');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'b.yaml'), STREAM.split('---\n')[1]!);
  writeFileSync(
    join(dir, 'a.json'),
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"j"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"docker.elastic.co/beats/filebeat:8.17.0"}]}}}}\n',
  );
  writeFileSync(
    join(dir, 'c.yml'),
    OPERATOR_IMAGE.replace('quay.io/elastic/eck-operator:3.5.0', 'docker.elastic.co/apm/apm-server:8.17.0'),
  );
  writeFileSync(join(dir, 'notes.txt'), 'image: docker.elastic.co/not/read:1\n');
  writeFileSync(
    join(dir, 'sub', 'deeper.yaml'),
    'kind: Pod\nspec:\n  containers:\n    - image: docker.elastic.co/not/read:2\n',
  );

  for (const command of ['images', 'check']) {
    it(`${command} DIR reads its .yaml, .yml and .json files, sorted, not subdirectories or other files`, async () => {
      const r = await runCli([command, '--registry', 'my.registry', dir]);
      expect(r.stderr).not.toContain('Cannot read');
      expect(r.stdout + r.stderr).not.toContain('not/read');
      if (command === 'images') {
        expect(r.exitCode, r.stderr).toBe(0);
        expect(
          r.stdout
            .trim()
            .split('\n')
            .map((l) => l.split(' ')[0]),
        ).toEqual([
          'docker.elastic.co/apm/apm-server:8.17.0',
          'docker.elastic.co/beats/filebeat:8.17.0',
          'docker.elastic.co/elasticsearch/elasticsearch:8.17.0',
        ]);
      } else {
        expect(r.exitCode).toBe(1);
        expect(r.stdout).toContain(`${join(dir, 'a.json')}: document 1`);
      }
    });
  }

  it('render DIR writes the files in sorted order, each rendered', async () => {
    const r = await runCli(['--registry', 'my.registry', '-q', dir]);
    expect(r.exitCode, r.stderr).toBe(0);
    const at = (s: string): number => r.stdout.indexOf(s);
    expect(at('my.registry/beats/filebeat:8.17.0')).toBeGreaterThanOrEqual(0);
    expect(at('my.registry/beats/filebeat')).toBeLessThan(at('my.registry/elasticsearch/elasticsearch'));
    expect(at('my.registry/elasticsearch/elasticsearch')).toBeLessThan(at('my.registry/apm/apm-server'));
  });

  it('refuses a symbolic link that leads outside the directory, and a directory with no manifest file', async () => {
    const { symlinkSync } = await import('node:fs');
    const linked = join(temp, 'linked');
    mkdirSync(linked);
    writeFileSync(join(temp, 'outside.yaml'), STREAM);
    symlinkSync(join(temp, 'outside.yaml'), join(linked, 'x.yaml'));
    const r = await runCli(['images', '--registry', 'my.registry', linked]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('a symbolic link that leads outside');
    const empty = join(temp, 'empty');
    mkdirSync(empty);
    const none = await runCli(['images', '--registry', 'my.registry', empty]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('holds no .yaml, .yml or .json file');
  });
});

describe('README workflows run as written in a checkout', () => {
  it('after "## Usage", shell blocks call ./eck-airgap (what npm ci provides), never a bare eck-airgap', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const usage = readme.slice(readme.indexOf('\n## Usage'));
    const blocks = [...usage.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(1);
    const bare = blocks.flatMap((b) => b.split('\n')).filter((line) => /(?:^|[|;&]\s*)eck-airgap\s/.test(line));
    expect(bare).toEqual([]);
  });
});

describe('settings renames: one name per setting across flag, environment, file and Argo CD parameter', () => {
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: docker.elastic.co/beats/filebeat:8.17.0\n';

  it('--image-pull-secret, ECK_AIRGAP_IMAGE_PULL_SECRETS and imagePullSecrets are one setting', async () => {
    const cwd = mkdtempSync(join(temp, 'cwd-'));
    writeFileSync(join(cwd, 'eck-airgap.yaml'), 'imagePullSecrets: [from-file]\n');
    for (const [args, env, expected] of [
      [['--image-pull-secret', 'from-flag'], {}, 'from-flag'],
      [[], { ECK_AIRGAP_IMAGE_PULL_SECRETS: 'from-env' }, 'from-env'],
      [[], {}, 'from-file'],
    ] as const) {
      const r = await runCli(['--registry', 'my.registry', ...args, '-'], { input: pod, env: { ...env }, cwd });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain(`- name: ${expected}`);
      expect(r.stderr).not.toContain('deprecated');
    }
    const help = await runCli(['render', '--help']);
    expect(help.stdout).toContain('--image-pull-secret <name>');
    expect(help.stdout).not.toContain('--pull-secret');
  });

  it('the former names still work, each with a deprecation note naming the one name', async () => {
    const flag = await runCli(['--registry', 'my.registry', '--pull-secret', 'old-flag', '-'], { input: pod });
    expect(flag.exitCode, flag.stderr).toBe(0);
    expect(flag.stdout).toContain('- name: old-flag');
    expect(flag.stderr).toContain(
      'warning: --pull-secret is deprecated; use --image-pull-secret (one name across flag, environment and file: --image-pull-secret, ECK_AIRGAP_IMAGE_PULL_SECRETS, imagePullSecrets).',
    );
    const env = await runCli(['--registry', 'my.registry', '-'], {
      input: pod,
      env: { ECK_AIRGAP_PULL_SECRETS: 'old-env' },
    });
    expect(env.exitCode, env.stderr).toBe(0);
    expect(env.stdout).toContain('- name: old-env');
    expect(env.stderr).toContain('warning: ECK_AIRGAP_PULL_SECRETS is deprecated; use ECK_AIRGAP_IMAGE_PULL_SECRETS');
    expect(env.stderr).not.toContain('is not a variable eck-airgap reads');
  });
});
