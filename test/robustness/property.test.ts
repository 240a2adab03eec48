// Property-based: mutated real manifests (line deletions and duplications, indentation, byte insertions,
// quote-style swaps, `---` insertions, CRLF, BOMs, truncation…) through the real CLI, with a fixed seed, keep the
// robustness contract. The same generators run for longer, with time and memory limits, in `npm run fuzz`.
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contractViolations } from '../../scripts/fuzz/contract.mjs';
import { applyMutations, argsArb, caseArb } from '../../scripts/fuzz/mutations.mjs';
import { runOn } from './cli-contract.js';
import { chartSeeds, handMadeSeeds, upstreamDir, upstreamSeeds, type Seed } from '../../scripts/fuzz/seeds.mjs';

const SEED = 20_240_607;
const RUNS_EACH = 40; // two pools: 80 CLI runs in CI, about a minute on 2 cores

async function holds(seeds: readonly Seed[], seed: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(caseArb(seeds.length, 4), argsArb, async (c, args) => {
      const input = applyMutations(seeds[c.seed]!.text, c.mutations);
      const run = await runOn(args, input, 30_000);
      const problems = contractViolations(input, run);
      if (problems.length > 0)
        throw new Error(`${seeds[c.seed]!.name}: ${problems.join('; ')}\nstderr: ${run.stderr.slice(0, 400)}`);
    }),
    { seed, numRuns: RUNS_EACH, endOnFailure: true },
  );
}

describe('mutated manifests keep the contract', () => {
  it('the project’s own seeds: hand-made cases and charts-test rendered by Helm 3', async () => {
    const seeds = [...handMadeSeeds(), ...chartSeeds()];
    expect(seeds.length).toBeGreaterThanOrEqual(6);
    await holds(seeds, SEED);
  }, 300_000);

  const upstreamPresent = existsSync(upstreamDir);
  it.skipIf(!upstreamPresent)(
    `upstream ECK output from ../shared/fixtures/eck-upstream${upstreamPresent ? '' : ' — SKIPPED: not present (the project’s own seeds above still run)'}`,
    async () => {
      const seeds = upstreamSeeds();
      expect(seeds.length).toBeGreaterThan(0);
      await holds(seeds, SEED + 1);
    },
    300_000,
  );
});
