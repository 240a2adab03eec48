// Times whole processes (stdin from a file, stdout to /dev/null or a file) and measures peak memory.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRELOAD = fileURLToPath(new URL('./max-rss-preload.cjs', import.meta.url));

/**
 * Runs `command args` once: stdin from `stdin` (a path), stdout to `stdout` (a path). Wall time in seconds.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ stdin?: string, stdout?: string, env?: NodeJS.ProcessEnv, cwd?: string }} [options]
 */
export function runOnce(command, args, { stdin = '/dev/null', stdout = '/dev/null', env, cwd } = {}) {
  const input = openSync(stdin, 'r');
  const output = openSync(stdout, 'w');
  try {
    const start = process.hrtime.bigint();
    const child = spawnSync(command, args, { stdio: [input, output, 'pipe'], env, cwd, maxBuffer: 1 << 26 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (child.error) throw child.error;
    return { seconds, status: child.status, signal: child.signal, stderr: child.stderr.toString() };
  } finally {
    closeSync(input);
    closeSync(output);
  }
}

/** `runs` timed runs; throws with the tool's stderr when one fails. */
export function timeRuns(label, command, args, runs, options) {
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const run = runOnce(command, args, options);
    if (run.status !== 0)
      throw new Error(`${label} failed (exit ${run.status ?? run.signal}): ${run.stderr.trim().slice(0, 2000)}`);
    samples.push(run.seconds);
  }
  return stats(samples);
}

export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  const round = (x) => Math.round(x * 1e4) / 1e4;
  return {
    runs: samples.length,
    median: round(median),
    min: round(sorted[0]),
    max: round(sorted.at(-1)),
    samples: samples.map(round),
  };
}

/**
 * Peak memory (max RSS, MiB) of a Node program run as `command args`: the process reports its own ru_maxrss at
 * exit through a preloaded module (NODE_OPTIONS=--require bench/max-rss-preload.cjs), so the figure is the kernel's, for that process only.
 */
export function nodePeakRss(command, args, options = {}) {
  const file = join(tmpdir(), `eck-airgap-bench-rss-${process.pid}-${Date.now()}`);
  const nodeOptions = [process.env.NODE_OPTIONS, `--require "${PRELOAD}"`].filter(Boolean).join(' ');
  const env = { ...process.env, ...options.env, NODE_OPTIONS: nodeOptions, ECK_AIRGAP_BENCH_MAX_RSS_FILE: file };
  try {
    const run = runOnce(command, args, { ...options, env });
    if (run.status !== 0)
      throw new Error(`peak-memory run failed (exit ${run.status}): ${run.stderr.trim().slice(0, 2000)}`);
    if (!existsSync(file))
      throw new Error('peak-memory run did not report its max RSS (bench/max-rss-preload.cjs not loaded?)');
    return mib(Number(readFileSync(file, 'utf8')));
  } finally {
    rmSync(file, { force: true });
  }
}

/** Cross-check with GNU time (`/usr/bin/time -f %M`, max RSS in KiB) when it is installed; otherwise undefined. */
export function gnuTimePeakRss(command, args, options = {}) {
  if (!existsSync('/usr/bin/time')) return undefined;
  const run = runOnce('/usr/bin/time', ['-f', '%M', command, ...args], options);
  if (run.status !== 0) return undefined;
  const kib = Number(run.stderr.trim().split('\n').at(-1));
  return Number.isFinite(kib) ? mib(kib) : undefined;
}

const mib = (kib) => Math.round((kib / 1024) * 10) / 10;

/**
 * Interleaved runs on a shared machine: each round runs every command once, in alternating order, so a burst of
 * load from elsewhere hits all of them alike. Returns each command's stats and, for every command after the first,
 * the median of its per-round ratio to the first (the baseline measured next to it in the same round).
 * `commands`: [{ label, command, args, options }].
 */
export function timeInterleaved(commands, rounds) {
  const samples = commands.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    const order = commands.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) {
      const { label, command, args, options } = commands[i];
      const run = runOnce(command, args, options);
      if (run.status !== 0)
        throw new Error(`${label} failed (exit ${run.status ?? run.signal}): ${run.stderr.trim().slice(0, 2000)}`);
      samples[i].push(run.seconds);
    }
  }
  return commands.map((_, i) => ({
    ...stats(samples[i]),
    ...(i === 0
      ? {}
      : { pairedRatio: Math.round(stats(samples[i].map((s, round) => s / samples[0][round])).median * 1000) / 1000 }),
  }));
}
