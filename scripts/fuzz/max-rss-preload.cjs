// Preloaded into the CLI under test (NODE_OPTIONS=--require …) by scripts/fuzz/run-cli.mjs: at exit, writes the
// process's own peak resident set size (ru_maxrss, KiB, via process.resourceUsage()) to $ECK_AIRGAP_FUZZ_MAX_RSS_FILE.
// --require, not --import: a CommonJS preload does not bring in the ES module loader the CLI's entry does without.
'use strict';
const { writeFileSync } = require('node:fs');

const file = process.env.ECK_AIRGAP_FUZZ_MAX_RSS_FILE;
if (file) {
  delete process.env.ECK_AIRGAP_FUZZ_MAX_RSS_FILE;
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
