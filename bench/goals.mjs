// The goals of issues 6 and 16, checked against measured figures: each PASS, FAIL or SKIP (figure not measured).
// Start-up and the operator chart are ratios measured in the same run (to `node -e 0`, to kustomize), so figures
// from different machines are never compared; "no worse than before" compares with the previous run on the same
// CPU model (the figures file this run replaces), and is SKIP without one.

export const STARTUP_FACTOR = 1.2; // empty stream: at most 1.2 x `node -e 0`
export const VERSION_FACTOR = 1.1; // --version: at most 1.1 x `node -e 0`
/** Tolerance of "no worse than before" (run-to-run noise): time 10 %, peak memory 3 %. */
const TIME_TOLERANCE = 1.1;
const MEMORY_TOLERANCE = 1.03;

export function evaluateGoals(result, previous) {
  const byId = Object.fromEntries(result.inputs.map((input) => [input.id, input]));
  const median = (cell) => (cell && !cell.skipped ? cell.median : undefined);
  const goals = [];
  const goal = (id, text, value, limit, pass, detail, measured = value !== undefined) =>
    goals.push({
      id,
      goal: text,
      value,
      limit,
      status: !measured ? 'SKIP' : pass(value, limit) ? 'PASS' : 'FAIL',
      detail,
    });

  const op = byId.operator;
  const opRatio = op && median(op.kustomize) ? median(op.eckAirgap) / median(op.kustomize) : undefined;
  goal(
    'operator-vs-kustomize',
    'ECK operator chart: eck-airgap time <= 0.4 x kustomize',
    round(opRatio),
    0.4,
    (v, l) => v <= l,
    opRatio === undefined
      ? 'operator chart or kustomize not measured'
      : `${ms(median(op.eckAirgap))} vs ${ms(median(op.kustomize))}, interleaved; per-round ratio ${op.pairedRatioToKustomize}`,
  );

  const small = byId['docs-2000'];
  const large = byId['docs-20000'];
  const k2000 = median(small?.kustomize);
  goal(
    '20000-vs-kustomize-2000',
    '20,000 documents: eck-airgap time < 0.5 x kustomize time for 2,000',
    round(large && k2000 ? median(large.eckAirgap) / k2000 : undefined),
    0.5,
    (v, l) => v < l,
    large && k2000
      ? `${ms(median(large.eckAirgap))} vs ${ms(k2000)}`
      : '2,000 (kustomize) and 20,000 (eck-airgap) documents not both measured',
  );

  const scaling = large && small ? median(large.eckAirgap) / median(small.eckAirgap) : undefined;
  goal(
    'scaling-10x',
    '10x more documents (2,000 -> 20,000) cost at most 12x the time',
    round(scaling),
    12,
    (v, l) => v <= l,
    scaling === undefined
      ? '2,000 and 20,000 documents not both measured'
      : `${ms(median(small.eckAirgap))} -> ${ms(median(large.eckAirgap))}`,
  );

  const peaks = result.inputs.map((input) => input.eckAirgap?.peakRssMiB).filter((x) => x !== undefined);
  const peak = peaks.length ? Math.max(...peaks) : undefined;
  goal(
    'peak-memory',
    'peak memory (max RSS) <= 400 MiB on every input, 20,000 documents included',
    peak,
    400,
    (v, l) => v <= l,
    large
      ? `largest input: ${large.documents} documents, ${mb(large.bytes)}`
      : 'the 20,000-document input was not measured',
    Boolean(large) && peak !== undefined,
  );

  // No worse than before: the previous figures, when they come from the same CPU model and measured 20,000 documents.
  const sameCpu =
    previous?.machine?.cpuModel === result.machine.cpuModel && previous?.machine?.cpus === result.machine.cpus;
  const earlier = sameCpu ? previous.inputs?.find((input) => input.id === 'docs-20000') : undefined;
  // figures of another input (the stream's bytes changed) are no baseline: a smaller stream would pass on its own
  const before = earlier && large && earlier.bytes === large.bytes ? earlier : undefined;
  const why = !previous
    ? 'no previous figures'
    : !earlier
      ? `no previous 20,000-document figures from ${result.machine.cpus} x ${result.machine.cpuModel}`
      : !before && large
        ? `the previous run measured another 20,000-document input (${mb(earlier.bytes)}, now ${mb(large.bytes)}): compare two builds on one input instead`
        : undefined;
  const timeBefore = median(before?.eckAirgap);
  goal(
    '20000-vs-before',
    `20,000 documents: time no worse than the previous run on this CPU (<= ${TIME_TOLERANCE} x)`,
    round(large && timeBefore ? median(large.eckAirgap) / timeBefore : undefined),
    TIME_TOLERANCE,
    (v, l) => v <= l,
    why ??
      (large
        ? `${ms(median(large.eckAirgap))} vs ${ms(timeBefore)} (${previous.date.slice(0, 10)})`
        : 'the 20,000-document input was not measured'),
  );
  const memoryBefore = before?.eckAirgap?.peakRssMiB;
  goal(
    'peak-memory-vs-before',
    `20,000 documents: peak memory no worse than the previous run on this CPU (<= ${MEMORY_TOLERANCE} x)`,
    round(large && memoryBefore ? large.eckAirgap.peakRssMiB / memoryBefore : undefined),
    MEMORY_TOLERANCE,
    (v, l) => v <= l,
    why ??
      (large
        ? `${large.eckAirgap.peakRssMiB} MiB vs ${memoryBefore} MiB`
        : 'the 20,000-document input was not measured'),
  );

  const startup = result.startup;
  goal(
    'startup',
    `start-up (empty stream) <= ${STARTUP_FACTOR} x \`node -e 0\` (per-round ratio, interleaved)`,
    startup?.eckAirgap?.pairedRatio,
    STARTUP_FACTOR,
    (v, l) => v <= l,
    startup?.eckAirgap ? `${ms(startup.eckAirgap.median)} vs ${ms(startup.node.median)}` : 'not measured',
  );
  goal(
    'version',
    `--version <= ${VERSION_FACTOR} x \`node -e 0\` (per-round ratio, interleaved)`,
    startup?.version?.pairedRatio,
    VERSION_FACTOR,
    (v, l) => v <= l,
    startup?.version ? `${ms(startup.version.median)} vs ${ms(startup.node.median)}` : 'not measured',
  );
  return goals;
}

export const ms = (seconds) => (seconds === undefined ? '-' : `${Math.round(seconds * 1000)} ms`);
export const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const round = (x) => (x === undefined || Number.isNaN(x) ? undefined : Math.round(x * 1000) / 1000);
