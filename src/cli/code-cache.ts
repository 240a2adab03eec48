/**
 * How the launcher starts the CLI: `dist/eck-airgap-cli.js` (the whole CLI as one CommonJS module, stored already
 * wrapped in Node's module function) is compiled with the V8 code cache `npm run build` saved after rendering a
 * sample stream (`dist/eck-airgap-cli.js.cache`), so V8 neither parses the bundle nor compiles the functions a
 * render runs; it only checks and deserializes them.
 *
 * The cache is only a speed-up. This module does not hand V8 a cache made for another build of the bundle (the
 * bundle's last line stamps its content, and the cache file starts with the stamp it was made for: V8 itself
 * compares only the source's length), nor one made by another node version (V8 would reject it); V8 rejects one
 * made with other V8 flags (e.g. in NODE_OPTIONS), and the CLI is then compiled from source.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { Script } from 'node:vm';

/** Starts the bundle's last line; the rest of the line is a hash of the bundle's content before it. */
export const STAMP_PREFIX = '//# eck-airgap-build ';

/** Why a cache was not handed to V8: no cache file; made for another build of the bundle; made by another node. */
export type UnusableCache = 'absent' | 'stale' | 'other node';

export interface LoadedCli {
  readonly run: (argv: readonly string[]) => Promise<void>;
  readonly script: Script;
  /** used; rejected by V8 (other V8 flags, e.g. in NODE_OPTIONS); or not handed to V8 (compiled without it). */
  readonly codeCache: 'used' | 'rejected' | UnusableCache;
  readonly stamp: string;
}

/** What loadCli returns when it was asked not to compile without a usable cache. */
export interface NotLoaded {
  readonly run?: undefined;
  readonly codeCache: UnusableCache;
}

/** The stamp on a bundle's last line, or '' when it has none. */
export function stampOf(source: string): string {
  const at = source.lastIndexOf(`\n${STAMP_PREFIX}`);
  return at < 0 ? '' : source.slice(at + 1 + STAMP_PREFIX.length).trim();
}

/**
 * A cache file: a header line of HEADER bytes (the bundle's stamp, the node version and architecture that made
 * it, padded), then V8's data. The header keeps the data 8-byte aligned, so V8 reads it where it is instead of
 * copying it.
 */
const HEADER = 64;

const madeBy = `${process.version} ${process.arch}`;

/** The V8 data in a cache file when the file was made for `stamp` by this node. */
function cacheFor(cacheFile: string, stamp: string): Buffer | UnusableCache {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return 'absent';
  }
  const [forStamp, ...by] = bytes.subarray(0, Math.min(HEADER, bytes.length)).toString('latin1').trimEnd().split(' ');
  if (stamp === '' || bytes.length <= HEADER || forStamp !== stamp) return 'stale';
  if (by.join(' ') !== madeBy) return 'other node';
  return bytes.subarray(HEADER);
}

/** The text of a bundle as esbuild writes it, wrapped in Node's CommonJS module function (see loadCli). */
export const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';

/**
 * Compiles and evaluates the wrapped CommonJS bundle `file` (with its code cache `cacheFile` when that fits). The
 * file is stored wrapped, so its text is the script as it is (no second copy of it in memory), and read as
 * latin1: esbuild writes ASCII only, and V8 keeps it as a one-byte string. With `withoutCache: false`, a bundle
 * whose cache cannot be used is not compiled at all (the caller has a cheaper way to run the CLI then).
 */
export function loadCli(path: string, cacheFile: string | undefined, options: { withoutCache: false }): LoadedCli | NotLoaded;
export function loadCli(path: string, cacheFile?: string): LoadedCli;
export function loadCli(path: string, cacheFile?: string, options: { withoutCache: boolean } = { withoutCache: true }): LoadedCli | NotLoaded {
  const file = resolve(path);
  const source = readFileSync(file, 'latin1');
  if (!source.startsWith(WRAPPER_HEAD)) throw new Error(`${file} is not a wrapped CommonJS bundle`);
  const stamp = stampOf(source);
  const cache = cacheFile === undefined ? 'absent' : cacheFor(cacheFile, stamp);
  if (typeof cache === 'string' && !options.withoutCache) return { codeCache: cache };
  const cachedData = typeof cache === 'string' ? undefined : cache;
  // Named by its file name alone: V8 keeps the name the cache was made with (at build time, in a temporary folder),
  // whatever name is given here.
  const script = new Script(source, { filename: basename(file), cachedData });
  const module = { exports: {} as { run?: LoadedCli['run'] } };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  const run = module.exports.run;
  if (typeof run !== 'function') throw new Error(`${file} does not export run()`);
  const codeCache = typeof cache === 'string' ? cache : script.cachedDataRejected ? 'rejected' : 'used';
  return { run, script, codeCache, stamp };
}

/** Saves the code cache of a loaded CLI, with everything compiled so far (call it after a run). */
export function writeCodeCache(cli: LoadedCli, cacheFile: string): void {
  const header = Buffer.from(`${`${cli.stamp} ${madeBy}`.padEnd(HEADER - 1)}\n`, 'latin1');
  if (header.length !== HEADER) throw new Error(`cache header too long: ${cli.stamp} ${madeBy}`);
  writeFileSync(cacheFile, Buffer.concat([header, cli.script.createCachedData()]));
}
