// Prints the figures as a table: wall time per tool (median, min-max), ratios, peak memory, goals.
import { mb, ms } from './goals.mjs';

const cell = (s) => (!s ? '-' : s.skipped ? 'skipped' : `${ms(s.median)} (${r(s.min)}–${r(s.max)}, n=${s.runs})`);
const r = (seconds) => String(Math.round(seconds * 1000));

export function printReport(result, write = (line) => process.stdout.write(`${line}\n`)) {
  const m = result.machine;
  write(
    `eck-airgap benchmark — ${result.date} — ${m.cpus} × ${m.cpuModel}, ${m.memoryMiB} MiB, Node ${m.node}, ${m.kubectl ?? 'no kubectl'}`,
  );
  write(
    `input: ${result.source.kind}; load average (1, 5, 15 min) ${m.loadAverage.start.join(' ')} at start, ${m.loadAverage.end.join(' ')} at end`,
  );
  write('');
  const rows = [['input', 'docs', 'size', 'cat', 'eck-airgap', 'kubectl kustomize', 'eck/kust.', 'eck peak RSS']];
  for (const input of result.inputs) {
    rows.push([
      input.id,
      String(input.documents),
      mb(input.bytes),
      cell(input.cat),
      cell(input.eckAirgap),
      cell(input.kustomize),
      input.ratioToKustomize === undefined ? '-' : `${input.ratioToKustomize.toFixed(2)}×`,
      input.eckAirgap?.peakRssMiB === undefined ? '-' : `${input.eckAirgap.peakRssMiB} MiB`,
    ]);
  }
  table(rows, write);
  write('');
  const st = result.startup;
  write(
    `start-up (interleaved): node -e 0 ${cell(st.node)}; eck-airgap on an empty stream ${cell(st.eckAirgap)} = ${st.eckAirgap.pairedRatio}× node; ` +
      `eck-airgap --version ${cell(st.version)} = ${st.version.pairedRatio}× node`,
  );
  const cache = codeCacheLine(result);
  if (cache) write(cache);
  if (result.scaling)
    write(
      `scaling: ${result.scaling.from} -> ${result.scaling.to} documents: eck-airgap ×${result.scaling.eckAirgap}` +
        (result.scaling.kustomize ? `, kustomize ×${result.scaling.kustomize}` : ''),
    );
  for (const note of result.notes) write(`note: ${note}`);
  write('');
  table(
    [
      ['goal', 'value', 'limit', 'result', 'measured'],
      ...result.goals.map((g) => [
        g.goal,
        g.value === undefined ? '-' : String(g.value),
        g.limit === undefined ? '-' : String(g.limit),
        g.status,
        g.detail,
      ]),
    ],
    write,
    [0, 4],
  );
}

function table(rows, write, leftAligned = [0]) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  rows.forEach((row, i) => {
    write(
      row
        .map((v, c) => (leftAligned.includes(c) ? v.padEnd(widths[c]) : v.padStart(widths[c])))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) write(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

/** The same figures as a Markdown section (written next to the JSON as latest.md, for the README and docs). */
export function markdownReport(result) {
  const m = result.machine;
  const t = (s) => (!s ? '–' : s.skipped ? 'not run' : `${ms(s.median)} (${r(s.min)}–${r(s.max)})`);
  const cache = codeCacheLine(result);
  const lines = [
    `Measured ${result.date.slice(0, 10)} on ${m.cpus} × ${m.cpuModel}, ${m.memoryMiB} MiB, ${m.platform}, Node ${m.node}, ${m.kubectl ?? 'no kubectl'}` +
      ` (load average ${m.loadAverage.start[0]} at start, ${m.loadAverage.end[0]} at end). Median (min–max) wall time of the whole process.`,
    '',
    '| input | documents | size | cat | eck-airgap | kubectl kustomize | eck-airgap / kustomize | eck-airgap peak memory |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...result.inputs.map(
      (i) =>
        `| ${i.id === 'operator' ? 'ECK operator chart' : i.id} | ${i.documents} | ${mb(i.bytes)} | ${t(i.cat)} | ${t(i.eckAirgap)} | ${t(i.kustomize)} | ${i.ratioToKustomize === undefined ? '–' : `${i.ratioToKustomize.toFixed(2)}×`} | ${i.eckAirgap?.peakRssMiB ?? '–'} MiB |`,
    ),
    '',
    `Start-up, interleaved runs: \`node -e 0\` ${t(result.startup.node)}; eck-airgap on an empty stream ${t(result.startup.eckAirgap)} ` +
      `(${result.startup.eckAirgap.pairedRatio}× \`node -e 0\`); \`eck-airgap --version\` ${t(result.startup.version)} (${result.startup.version.pairedRatio}×).` +
      (result.options.nodeExtraCaCerts === 'unset'
        ? ' `NODE_EXTRA_CA_CERTS` was set in this environment and unset for the measured processes.'
        : ''),
    ...(cache ? ['', `${cache.replace(/^c/, 'C')}.`] : []),
    '',
    '| goal | value | limit | result |',
    '|---|---:|---:|---|',
    ...result.goals.map((g) => `| ${g.goal} (${g.detail}) | ${g.value ?? '–'} | ${g.limit} | ${g.status} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Whether the code cache pays on this machine: the same CLI with ECK_AIRGAP_CODE_CACHE=off, interleaved with it. */
function codeCacheLine(result) {
  const off = result.startup?.eckAirgapNoCodeCache;
  if (!off) return undefined;
  const operator = result.inputs.find((i) => i.id === 'operator');
  const pair = (on, without) =>
    `${ms(on.median)} with, ${ms(without.median)} without (${(without.median / on.median).toFixed(2)}×)`;
  return (
    `code cache (ECK_AIRGAP_CODE_CACHE=off compiles the CLI from source): empty stream ${pair(result.startup.eckAirgap, off)}` +
    (operator?.eckAirgapNoCodeCache
      ? `; operator chart ${pair(operator.eckAirgap, operator.eckAirgapNoCodeCache)}`
      : '')
  );
}
