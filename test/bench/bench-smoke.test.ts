// Smoke test of `npm run bench` (bench/run.mjs): a --quick run with two small streams and without kustomize, written to a temporary file,
// (inputs and figures in a temporary folder) must produce the figures' JSON with every expected field and inputs of the promised size with unique names.
// No timing assertions: the figures themselves are for the benchmark, not for tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/extract-tools.mjs';
import { splitDocuments } from '../support/helm-output.js';

interface Timing {
  runs: number;
  median: number;
  min: number;
  max: number;
  samples: number[];
}
interface BenchInput {
  id: string;
  documents: number;
  bytes: number;
  path: string;
  cat: Timing;
  eckAirgap: Timing & { peakRssMiB: number; outputBytes: number; elasticImagesLeft: number };
  kustomize: { skipped?: string };
}
interface BenchResult {
  schema: number;
  date: string;
  machine: { cpus: number; node: string; cpuModel: string; memoryMiB: number };
  options: { quick: boolean; runs: number };
  source: { kind: string };
  startup: {
    node: Timing;
    eckAirgap: Timing & { pairedRatio: number };
    version: Timing & { pairedRatio: number };
    eckAirgapNoCodeCache: Timing & { pairedRatio: number };
  };
  inputs: BenchInput[];
  goals: { id: string; status: string; limit: number }[];
}

const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench --quick --sizes 100,1000 --no-kustomize', () => {
  const out = join(dir, 'latest.json');
  let printed = '';
  let result: BenchResult;

  it('runs and writes the figures as JSON', () => {
    printed = execFileSync(
      process.execPath,
      [
        'bench/run.mjs',
        '--quick',
        '--sizes',
        '100,1000',
        '--no-kustomize',
        '--runs',
        '1',
        '--out',
        out,
        '--cache',
        join(dir, 'inputs'),
      ],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    result = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
    expect(result.schema).toBe(1);
    expect(printed).toContain('eck-airgap');
    expect(printed).toMatch(/PASS|FAIL|SKIP/);
  }, 180_000);

  it('records the machine, the options and the start-up figures', () => {
    expect(result.machine.cpus).toBeGreaterThan(0);
    expect(result.machine.node).toBe(process.version);
    expect(Number.isNaN(Date.parse(result.date))).toBe(false);
    expect(result.options).toMatchObject({ quick: true, runs: 1 });
    expect(result.machine.cpuModel).not.toBe('');
    // start-up: node -e 0, the empty stream and --version, interleaved (at least 5 rounds even with --runs 1)
    for (const timing of [
      result.startup.node,
      result.startup.eckAirgap,
      result.startup.version,
      result.startup.eckAirgapNoCodeCache,
    ]) {
      expect(timing.runs).toBeGreaterThanOrEqual(5);
      expect(timing.runs).toBe(timing.samples.length);
      expect(timing.min).toBeLessThanOrEqual(timing.median);
      expect(timing.median).toBeLessThanOrEqual(timing.max);
    }
    expect(result.startup.eckAirgap.pairedRatio).toBeGreaterThan(0);
    expect(result.startup.version.pairedRatio).toBeGreaterThan(0);
    // and the same empty-stream run with ECK_AIRGAP_CODE_CACHE=off, so every machine shows whether the cache pays
    expect(result.startup.eckAirgapNoCodeCache.pairedRatio).toBeGreaterThan(0);
    expect(printed).toMatch(
      /code cache \(ECK_AIRGAP_CODE_CACHE=off compiles the CLI from source\): empty stream \d+ ms with, \d+ ms without/,
    );
    expect(printed).toContain(result.machine.cpuModel);
  });

  it('measures every input with cat and eck-airgap, peak memory included, and skips kustomize as asked', () => {
    expect(result.inputs.map((input) => input.id)).toEqual(['operator', 'docs-100', 'docs-1000']);
    for (const input of result.inputs) {
      expect(input.bytes).toBeGreaterThan(0);
      expect(input.cat.runs).toBe(1);
      expect(input.eckAirgap.runs).toBe(1);
      expect(input.eckAirgap.peakRssMiB).toBeGreaterThan(0);
      expect(input.eckAirgap.outputBytes).toBeGreaterThan(0);
      expect(typeof input.eckAirgap.elasticImagesLeft).toBe('number');
      expect(input.kustomize.skipped).toBeTypeOf('string');
    }
  });

  it('generates streams of exactly the promised number of documents, each with a unique name', () => {
    for (const input of result.inputs.filter((i) => i.id.startsWith('docs-'))) {
      const documents = splitDocuments(readFileSync(resolve(repoRoot, input.path), 'utf8'));
      expect(documents.length).toBe(Number(input.id.slice('docs-'.length)));
      expect(input.documents).toBe(documents.length);
      const ids = new Set(documents.map((d) => `${d.kind}/${d.name}`));
      expect(ids.size).toBe(documents.length);
    }
  });

  it('states every goal of issues 6 and 16 with PASS, FAIL or SKIP', () => {
    expect(result.goals.map((goal) => goal.id)).toEqual([
      'operator-vs-kustomize',
      '20000-vs-kustomize-2000',
      'scaling-10x',
      'peak-memory',
      '20000-vs-before',
      'peak-memory-vs-before',
      'startup',
      'version',
    ]);
    for (const goal of result.goals) expect(['PASS', 'FAIL', 'SKIP']).toContain(goal.status);
    // without kustomize and without the 20,000-document input, the goals that need them cannot be judged
    expect(result.goals.find((goal) => goal.id === 'operator-vs-kustomize')?.status).toBe('SKIP');
    expect(result.goals.find((goal) => goal.id === 'scaling-10x')?.status).toBe('SKIP');
    expect(result.goals.find((goal) => goal.id === '20000-vs-before')?.status).toBe('SKIP');
    expect(result.goals.find((goal) => goal.id === 'startup')?.status).not.toBe('SKIP');
    expect(result.goals.find((goal) => goal.id === 'version')?.status).not.toBe('SKIP');
  });
});
