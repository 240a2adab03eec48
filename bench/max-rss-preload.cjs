// Loaded into the measured Node process with NODE_OPTIONS=--require …: when the process exits, writes its own
// peak resident set size (getrusage ru_maxrss, in KiB, via process.resourceUsage()) to $ECK_AIRGAP_BENCH_MAX_RSS_FILE.
// This is the kernel's high-water mark of that very process, exact at exit, with no polling and no extra package.
// CommonJS and --require on purpose: Node runs --require preloads also when it starts from a start-up snapshot
// (--snapshot-blob), where --import preloads are not run; and --require is no V8 flag, so V8 still takes the
// launcher's code cache (a V8 flag in NODE_OPTIONS would make it refuse it, and the run measure something else).
'use strict';
const { writeFileSync } = require('node:fs');

const file = process.env.ECK_AIRGAP_BENCH_MAX_RSS_FILE;
if (file) {
  delete process.env.ECK_AIRGAP_BENCH_MAX_RSS_FILE; // not inherited by anything the CLI might spawn
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
