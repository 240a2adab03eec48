// The command lines the user-facing docs show, held to the real CLI and the real Helm: a new user copies them as
// they are (issue 25, "a new user can follow the README top to bottom"). Every eck-airgap flag written in a ```sh
// block of README.md, docs/*.md and argocd/README.md must be one its command's --help lists (render's for
// --post-renderer-args=--…), and README's blocks that need no cluster and no registry run as written on the
// project's own operator chart, with `helm` the real Helm 3.17.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { helmBin } from '../support/helm.js';
import { cleanEnv, cliPath, repoRoot, runCli } from '../support/cli.js';

const DOCS = [
  'README.md',
  'argocd/README.md',
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const COMMANDS = ['render', 'template', 'images', 'mirror', 'verify', 'policy', 'check', 'schema', 'argocd', 'version'];

interface DocLine {
  file: string;
  line: string;
}

/** The command lines of a file's ```sh blocks, `\` continuations joined, comments cut. */
function shellLines(file: string): DocLine[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const lines: DocLine[] = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = block[1]!.replace(/\\\n\s*/g, ' ');
    for (const raw of joined.split('\n')) {
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      if (line) lines.push({ file, line });
    }
  }
  return lines;
}

/** Each eck-airgap invocation on a line: its command and the --flags given to it (not those after `--`). */
function invocations(line: string): Array<{ command: string; flags: string[] }> {
  const found: Array<{ command: string; flags: string[] }> = [];
  const words = line.split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const renderArg = /^--post-renderer-args=(--[a-z-]+)/.exec(word);
    if (renderArg) found.push({ command: 'render', flags: [renderArg[1]!] });
    if (!/(^|\/)eck-airgap$/.test(word) || words[i - 1] === '--post-renderer') continue;
    let command = 'render';
    let j = i + 1;
    if (COMMANDS.includes(words[j] ?? '')) command = words[j++]!;
    const flags: string[] = [];
    for (; j < words.length; j++) {
      const w = words[j]!;
      if (w === '--' || /^(\||>|>>|<|;|&&|\|\|)$/.test(w)) break;
      const flag = /^(--[a-z][a-z-]*)/.exec(w);
      if (flag) flags.push(flag[1]!);
    }
    found.push({ command, flags });
  }
  return found;
}

const helpCache = new Map<string, Set<string>>();
async function optionsOf(command: string): Promise<Set<string>> {
  const cached = helpCache.get(command);
  if (cached) return cached;
  const r = await runCli([command, '--help']);
  expect(r.exitCode, r.stderr).toBe(0);
  const options = new Set([...r.stdout.matchAll(/(?:^|[\s,])(--[a-z][a-z-]*)/gm)].map((m) => m[1]!));
  options.add('--help');
  helpCache.set(command, options);
  return options;
}

describe('the docs show only flags the CLI has', () => {
  const lines = DOCS.flatMap(shellLines);

  it('the docs hold eck-airgap command lines to check', () => {
    expect(lines.filter((l) => invocations(l.line).length > 0).length).toBeGreaterThan(40);
  });

  it('every --flag given to eck-airgap in a ```sh block is listed by that command’s --help', async () => {
    const unknown: string[] = [];
    for (const { file, line } of lines) {
      for (const { command, flags } of invocations(line)) {
        const known = await optionsOf(command);
        for (const flag of flags) if (!known.has(flag)) unknown.push(`${file}: ${command} ${flag}: ${line}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});

describe("README's blocks that need no cluster or registry run as written (helm: Helm 3.17)", () => {
  const work = mkdtempSync(join(tmpdir(), 'eck-airgap-doc-commands-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  cpSync(join(repoRoot, 'charts-test', 'eck-operator-lite'), join(work, 'chart'), { recursive: true });
  const readme = shellLines('README.md').map((l) => l.line);

  /** Runs a README pipeline of plain words (no quotes in these lines), eck-airgap by the checkout's path. */
  async function runPipeline(line: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    let input: string | undefined;
    let last = { exitCode: 0, stdout: '', stderr: '' };
    for (const part of line.split(' | ')) {
      const [program, ...args] = part
        .trim()
        .split(/\s+/)
        .map((w) => w.replace(/^(\.\/|\/usr\/local\/bin\/)eck-airgap$/, cliPath));
      const bin = program === 'helm' ? helmBin(3) : program === 'eck-airgap' ? cliPath : program!;
      const r = await execa(bin, args, {
        cwd: work,
        env: cleanEnv({ HOME: work }),
        extendEnv: false,
        reject: false,
        ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
      });
      last = { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
      if (last.exitCode !== 0) return last;
      input = last.stdout;
    }
    return last;
  }

  it('the site install\'s CI gate: "helm template my-stack ./chart … | eck-airgap check" passes on a chart it renders whole', async () => {
    const gate = readme.filter((l) => l.startsWith('helm template my-stack ./chart') && l.includes('eck-airgap check'));
    expect(gate.length).toBeGreaterThan(0);
    for (const line of gate) {
      const r = await runPipeline(line);
      expect(r.exitCode, `${line}\n${r.stderr}`).toBe(0);
      expect(r.stderr).toContain('check passed');
    }
  });

  it('the Helm 3 pipes and gates with ./eck-airgap: each exits 0', async () => {
    const pipes = readme.filter(
      (l) => /^helm template \S+ \.\/chart/.test(l) && !l.includes('--lock') && !l.includes(' > '),
    );
    expect(pipes.length).toBeGreaterThan(1);
    for (const line of pipes) {
      const r = await runPipeline(line);
      expect(r.exitCode, `${line}\n${r.stderr}`).toBe(0);
    }
  });
});

describe("docs/errors.md's examples are what the CLI prints", () => {
  const errorsDoc = readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8');
  const cases: Array<[string, string]> = [
    [
      'a version that is not one',
      'apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata:\n  name: kb\nspec:\n  version: eight\n',
    ],
    ['a tab as indentation', 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n'],
    [
      'containers as a mapping',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n        a: b\n',
    ],
    ['a key twice', 'apiVersion: v1\nkind: Pod\nkind: Pod\nmetadata:\n  name: p\n'],
  ];
  for (const [name, input] of cases) {
    it(`${name}: the message after "document N[, line, column]: " is the one the page shows`, async () => {
      const r = await runCli(['--registry', 'my.registry', '-'], { input });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      const what = /^eck-airgap: document \d+(?:, line \d+, column \d+)?: (.+)$/.exec(r.stderr.trim())?.[1];
      expect(what, r.stderr).toBeDefined();
      expect(errorsDoc).toContain(what!);
    });
  }
});

describe('--registry with a bare name (README, "Behaviour worth knowing")', () => {
  it('is refused with exit 2, saying a host needs a dot, a port or localhost', async () => {
    const r = await runCli(['--registry', 'mirror', '-'], { input: '' });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('with a dot, a :port or localhost');
    expect(r.stderr).toContain('Docker Hub repository');
  });
});
