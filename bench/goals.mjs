// The goals of issue 6, checked against measured figures: each PASS, FAIL or SKIP (figure not measured).

export const STARTUP_FACTOR = 2; // "start-up close to Node's own": at most twice `node -e 0`

export function evaluateGoals(result) {
  const byId = Object.fromEntries(result.inputs.map((input) => [input.id, input]));
  const median = (cell) => (cell && !cell.skipped ? cell.median : undefined);
  const goals = [];
  const goal = (id, text, value, limit, pass, detail, measured = value !== undefined) =>
    goals.push({ id, goal: text, value, limit, status: !measured ? 'SKIP' : pass(value, limit) ? 'PASS' : 'FAIL', detail });

  const op = byId.operator;
  const opRatio = op && median(op.kustomize) ? median(op.eckAirgap) / median(op.kustomize) : undefined;
  goal('operator-vs-kustomize', 'ECK operator chart: eck-airgap time <= 0.4 x kustomize', round(opRatio), 0.4, (v, l) => v <= l,
    opRatio === undefined ? 'operator chart or kustomize not measured' : `${ms(median(op.eckAirgap))} vs ${ms(median(op.kustomize))}`);

  const small = byId['docs-2000'];
  const large = byId['docs-20000'];
  const k2000 = median(small?.kustomize);
  goal('20000-vs-kustomize-2000', '20,000 documents: eck-airgap time < 0.5 x kustomize time for 2,000', round(large && k2000 ? median(large.eckAirgap) / k2000 : undefined), 0.5,
    (v, l) => v < l, large && k2000 ? `${ms(median(large.eckAirgap))} vs ${ms(k2000)}` : '2,000 (kustomize) and 20,000 (eck-airgap) documents not both measured');

  const scaling = large && small ? median(large.eckAirgap) / median(small.eckAirgap) : undefined;
  goal('scaling-10x', '10x more documents (2,000 -> 20,000) cost at most 12x the time', round(scaling), 12, (v, l) => v <= l,
    scaling === undefined ? '2,000 and 20,000 documents not both measured' : `${ms(median(small.eckAirgap))} -> ${ms(median(large.eckAirgap))}`);

  const peaks = result.inputs.map((input) => input.eckAirgap?.peakRssMiB).filter((x) => x !== undefined);
  const peak = peaks.length ? Math.max(...peaks) : undefined;
  goal('peak-memory', 'peak memory (max RSS) <= 400 MiB on every input, 20,000 documents included', peak, 400, (v, l) => v <= l,
    large ? `largest input: ${large.documents} documents, ${mb(large.bytes)}` : 'the 20,000-document input was not measured', Boolean(large) && peak !== undefined);

  const startup = result.startup;
  const startRatio = startup?.eckAirgap && startup?.node ? startup.eckAirgap.median / startup.node.median : undefined;
  goal('startup', `start-up (empty input) close to Node's own: <= ${STARTUP_FACTOR} x \`node -e 0\``, round(startRatio), STARTUP_FACTOR, (v, l) => v <= l,
    startRatio === undefined ? 'not measured' : `${ms(startup.eckAirgap.median)} vs ${ms(startup.node.median)}`);
  return goals;
}

export const ms = (seconds) => (seconds === undefined ? '-' : `${Math.round(seconds * 1000)} ms`);
export const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const round = (x) => (x === undefined || Number.isNaN(x) ? undefined : Math.round(x * 1000) / 1000);
