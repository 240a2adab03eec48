// @ts-check
// `npm run fuzz -- --stress`: the two inputs of tens of MB that used to cost ~32 s of every `npm test` (moved here in
// issue 24; speed and size limits belong to the bench and fuzz runs): a 30 MB single document (a Deployment with
// 140,000 annotations) and a 100 MB stream of ~350,000 documents. Each must render with exit 0, keep the
// robustness contract (scripts/fuzz/contract.mjs) and write exactly the expected bytes; time and peak memory are
// printed. Exits 1 when either fails.
import { contractViolations } from './contract.mjs';
import { runCli } from './run-cli.mjs';

const ES = 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3';
const MOVED = 'mirror.example:5000/elasticsearch/elasticsearch:8.15.3';
const REGISTRY = ['--registry', 'mirror.example:5000'];

/** @param {string} name @param {string} image */
function deployment(name, image) {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: main',
    `          image: ${image}`,
    '',
  ].join('\n');
}

function thirtyMegabyteDocument() {
  const annotations = Array.from({ length: 140_000 }, (_, i) => `    k${i}: "${'x'.repeat(200)}"\n`).join('');
  return deployment('big', ES).replace('metadata:\n', `metadata:\n  annotations:\n${annotations}`);
}

function hundredMegabyteStream() {
  const docs = [];
  let size = 0;
  for (let i = 0; size < 100_000_000; i++) {
    const doc =
      i % 2 === 0
        ? `---\n${deployment(`d${i}`, ES)}`
        : `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  a: "${'y'.repeat(300)}"\n`;
    docs.push(doc);
    size += doc.length;
  }
  return docs.join('');
}

/** Runs the stress cases; returns the number that failed. */
export async function runStress() {
  let failed = 0;
  for (const [what, make, timeoutMs] of /** @type {const} */ ([
    ['30 MB single document (140,000 annotations)', thirtyMegabyteDocument, 280_000],
    ['100 MB stream (~350,000 documents)', hundredMegabyteStream, 580_000],
  ])) {
    const text = make();
    const input = Buffer.from(text, 'utf8');
    const run = await runCli(REGISTRY, input, { timeoutMs, measureRss: true });
    const problems = contractViolations(input, run);
    if (run.exitCode !== 0) problems.push(`exit ${run.exitCode}: ${run.stderr.slice(0, 500)}`);
    else if (!run.stdout.equals(Buffer.from(text.replaceAll(ES, MOVED), 'utf8')))
      problems.push('the output is not the input with every image moved');
    const rss = run.maxRssKiB === undefined ? 'unmeasured' : `${Math.round(run.maxRssKiB / 1024)} MiB`;
    console.log(
      `stress: ${what}: ${(input.length / 1e6).toFixed(1)} MB in ${Math.round(run.ms)} ms, peak RSS ${rss}${problems.length ? ` — FAILED: ${problems.join('; ')}` : ''}`,
    );
    if (problems.length) failed++;
  }
  return failed;
}
