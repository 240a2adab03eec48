// npm run fuzz [-- --minutes N] [--seed S] [--timeout SECONDS] [--max-rss MiB]
// npm run fuzz -- --stress: only the inputs of tens of MB (scripts/fuzz/stress.mjs)
// Mutates real manifests (scripts/fuzz/mutations.mjs) and runs the real CLI on each case, checking the
// robustness contract (scripts/fuzz/contract.mjs), a time limit per run (a hang is a failure) and peak memory
// per run (ru_maxrss of the CLI process, see scripts/fuzz/run-cli.mjs). Failing inputs are saved under
// .cache/fuzz/failures/<id>/ with the command that reproduces them. Exits 1 when any case failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { contractViolations } from './fuzz/contract.mjs';
import { applyMutations, argsArb, caseArb } from './fuzz/mutations.mjs';
import { runCli, repoRoot } from './fuzz/run-cli.mjs';
import { allSeeds } from './fuzz/seeds.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    seed: { type: 'string' },
    timeout: { type: 'string', default: '30' },
    'max-rss': { type: 'string', default: '400' },
    stress: { type: 'boolean', default: false },
  },
});
if (values.stress) {
  const { runStress } = await import('./fuzz/stress.mjs');
  process.exit((await runStress()) > 0 ? 1 : 0);
}
const minutes = Number(values.minutes);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const timeoutMs = Number(values.timeout) * 1000;
const maxRssKiB = Number(values['max-rss']) * 1024;
if (!Number.isFinite(minutes) || minutes <= 0 || !Number.isInteger(seed) || !(timeoutMs > 0) || !(maxRssKiB > 0)) {
  process.stderr.write('usage: npm run fuzz -- [--minutes N] [--seed S] [--timeout SECONDS] [--max-rss MiB]\n');
  process.exit(2);
}

const { seeds, upstreamPresent, upstreamCount } = allSeeds();
console.log(
  `fuzz: seed ${seed} (rerun with --seed ${seed}), ${minutes} min, ${timeoutMs / 1000} s and ${maxRssKiB / 1024} MiB a run`,
);
console.log(
  `fuzz: ${seeds.length} seed manifests; ${upstreamPresent ? `${upstreamCount} from ../shared/fixtures/eck-upstream` : '../shared/fixtures/eck-upstream not present: hand-made and charts-test seeds only'}`,
);

const failuresDir = join(repoRoot, '.cache', 'fuzz', 'failures');
const deadline = Date.now() + minutes * 60_000;
const stats = { runs: 0, exit0: 0, exit1: 0, exit2: 0, failures: 0, maxRssKiB: 0, maxMs: 0, rssUnmeasured: 0 };
const byOp = new Map();

const caseWithArgs = fc.record({ c: caseArb(seeds.length, 3), args: argsArb });
// Cases come in batches of 50, batch b drawn with fast-check seed `seed + b`: the same --seed replays the same cases.
let batch = [];
let batchNo = 0;
let index = 0;
while (Date.now() < deadline) {
  if (batch.length === 0) batch = fc.sample(caseWithArgs, { seed: seed + batchNo++, numRuns: 50 });
  index++;
  const { c, args } = batch.shift();
  const seedManifest = seeds[c.seed];
  const input = applyMutations(seedManifest.text, c.mutations);
  const run = await runCli(args, input, { timeoutMs, measureRss: true });
  stats.runs++;
  if (run.exitCode === 0 || run.exitCode === 1 || run.exitCode === 2) stats[`exit${run.exitCode}`]++;
  if (run.maxRssKiB === undefined) stats.rssUnmeasured++;
  else stats.maxRssKiB = Math.max(stats.maxRssKiB, run.maxRssKiB);
  stats.maxMs = Math.max(stats.maxMs, run.ms);
  for (const m of c.mutations) byOp.set(m.op, (byOp.get(m.op) ?? 0) + 1);
  const problems = contractViolations(input, run);
  if (run.maxRssKiB !== undefined && run.maxRssKiB > maxRssKiB)
    problems.push(`peak memory ${(run.maxRssKiB / 1024).toFixed(1)} MiB > ${maxRssKiB / 1024} MiB`);
  if (run.maxRssKiB === undefined && !run.timedOut && !run.signal)
    problems.push('peak memory not reported (preload not run?)');
  if (problems.length > 0) {
    stats.failures++;
    const id = `${seed}-${index}`;
    const dir = join(failuresDir, id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'input.yaml'), input);
    writeFileSync(join(dir, 'stdout.yaml'), run.stdout);
    writeFileSync(join(dir, 'stderr.txt'), run.stderr);
    const command = `./eck-airgap ${args.map((a) => `'${a}'`).join(' ')} < ${join('.cache', 'fuzz', 'failures', id, 'input.yaml')}`;
    writeFileSync(
      join(dir, 'README.md'),
      `# fuzz failure ${id}\n\nSeed manifest: ${seedManifest.name}\nMutations: ${JSON.stringify(c.mutations)}\n` +
        `Exit: ${run.exitCode ?? run.signal}${run.timedOut ? ' (timed out)' : ''}, ${run.ms.toFixed(0)} ms, peak RSS ${run.maxRssKiB ?? '?'} KiB\n\n` +
        `Problems:\n${problems.map((p) => `- ${p}`).join('\n')}\n\nReproduce (from the repository root):\n\n    ${command}\n`,
    );
    console.log(`FAIL ${id}: ${problems.join('; ')}\n  ${command}`);
  }
  if (stats.runs % 200 === 0)
    console.log(
      `fuzz: ${stats.runs} runs, ${stats.failures} failures, peak RSS ${(stats.maxRssKiB / 1024).toFixed(1)} MiB, slowest ${stats.maxMs.toFixed(0)} ms`,
    );
}

console.log(
  `fuzz: done: ${stats.runs} runs (exit 0: ${stats.exit0}, exit 1: ${stats.exit1}, exit 2: ${stats.exit2}), ${stats.failures} failures; ` +
    `peak RSS ${(stats.maxRssKiB / 1024).toFixed(1)} MiB (limit ${maxRssKiB / 1024} MiB), slowest run ${stats.maxMs.toFixed(0)} ms; seed ${seed}`,
);
console.log(`fuzz: mutations applied: ${[...byOp].map(([op, n]) => `${op} ${n}`).join(', ')}`);
if (stats.failures > 0) console.log(`fuzz: failing inputs in ${failuresDir}`);
process.exitCode = stats.failures > 0 ? 1 : 0;
