/**
 * How the launcher loads the CLI: `dist/cli/` holds the CLI as CommonJS chunks (esbuild's code splitting, one chunk
 * per lazily loaded command and per set of modules they share), each stored wrapped in Node's module function and
 * stamped with a hash of its content on its last line. A chunk is loaded only when the command that runs needs it
 * (render on an empty stream never loads the YAML parser; `--help` never loads a command), and is compiled with
 * the V8 code cache `npm run build` saved beside it after rendering a sample stream (`<chunk>.js.cache`), so V8
 * neither parses it nor compiles the functions a render runs; it only checks and deserializes them.
 *
 * The chunks every render loads, even of a stream with nothing to change (the command line, settings, reading and
 * classifying the stream, writing), are packed into one script, `core.js` (an object of their module functions),
 * with one cache: one file to read and one script to deserialize instead of a dozen.
 *
 * The caches are only a speed-up. This module does not hand V8 a cache made for another build of a chunk (the cache
 * file starts with the stamp it was made for: V8 itself compares only the source's length), nor one made by another
 * node version (V8 would reject it); V8 rejects one made with other V8 flags (e.g. in NODE_OPTIONS). A chunk
 * without a usable cache is compiled from its source.
 */
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Script } from 'node:vm';

/** Starts a chunk's last line; the rest of the line is a hash of the chunk's content before it. */
export const STAMP_PREFIX = '//# eck-airgap-build ';

/** The chunk that exports `run`: the command line. */
export const ENTRY_CHUNK = 'program.js';

/** The script packing the chunks every render loads: `({ "program.js": function (exports, require, …) {…}, … })`. */
export const CORE_PACK = 'core.js';

/**
 * Why a cache was not handed to V8: no cache file; made for another build of the chunk; made by another node; or
 * turned off (ECK_AIRGAP_CODE_CACHE=off: `npm run bench` times the CLI without its caches too, so every machine
 * shows whether they pay there).
 */
export type UnusableCache = 'absent' | 'stale' | 'other node' | 'off';
/** used; rejected by V8 (other V8 flags); or not handed to V8 (compiled without it). */
export type CacheState = 'used' | 'rejected' | UnusableCache;

export interface LoadedChunk {
  readonly file: string;
  readonly script: Script;
  readonly stamp: string;
  readonly codeCache: CacheState;
}

export interface LoadedCli {
  readonly run: (argv: readonly string[]) => Promise<void>;
  /** Ends the process once the output is written (program.ts). */
  readonly finish: () => Promise<never>;
  /** The scripts compiled so far (the core pack, chunk files), by file name (the list grows as commands load theirs). */
  readonly chunks: ReadonlyMap<string, LoadedChunk>;
  /** The chunks evaluated so far, packed or not, in order. */
  loadedModules(): string[];
}

/** The stamp on a chunk's last line, or '' when it has none. */
export function stampOf(source: string): string {
  const at = source.lastIndexOf(`\n${STAMP_PREFIX}`);
  return at < 0 ? '' : source.slice(at + 1 + STAMP_PREFIX.length).trim();
}

/**
 * A cache file: a header line of HEADER bytes (the chunk's stamp, the node version and architecture that made
 * it, padded), then V8's data. The header keeps the data 8-byte aligned, so V8 reads it where it is instead of
 * copying it.
 */
const HEADER = 64;

const madeBy = `${process.version} ${process.arch}`;

/** The V8 data in a cache file's bytes when the file was made for `stamp` by this node. */
function cacheFor(bytes: Buffer | undefined, stamp: string): Buffer | UnusableCache {
  if (bytes === undefined) return 'absent';
  const [forStamp, ...by] = bytes.subarray(0, Math.min(HEADER, bytes.length)).toString('latin1').trimEnd().split(' ');
  if (stamp === '' || bytes.length <= HEADER || forStamp !== stamp) return 'stale';
  if (by.join(' ') !== madeBy) return 'other node';
  return bytes.subarray(HEADER);
}

/**
 * Where the chunks and their caches come from: files in dist/cli (the launcher), or the copies the single executable
 * carries inside it (src/cli/sea-main.ts). `text` is a chunk's text as latin1; undefined when there is no such file.
 */
export interface ChunkFiles {
  text(name: string): string | undefined;
  cache(name: string): Buffer | undefined;
}

/** The chunks of a dist/cli folder. */
export function chunkFolder(dir: string): ChunkFiles {
  return {
    text: (name) => readIfPresent(`${dir}/${name}`, 'latin1') as string | undefined,
    cache: (name) => readIfPresent(`${dir}/${name}.cache`) as Buffer | undefined,
  };
}

/** The text of a chunk as the build writes it, wrapped in Node's CommonJS module function (see loadCli). */
export const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';

/** A chunk's file name from what its code requires (`./chunk-AB12.mjs`, as esbuild's ES module output names it). */
export function chunkFileOf(request: string): string | undefined {
  return /^\.\/[\w.-]+\.m?js$/.test(request) ? request.slice(2).replace(/\.mjs$/, '.js') : undefined;
}

/**
 * Loads the CLI's entry chunk from `folder` (and, as its code requires them, the other chunks), each compiled with
 * its code cache when that fits. Chunks are read as latin1: esbuild writes ASCII only, and V8 keeps it as a one-byte
 * string; the file's text is the script as it is (no second copy of it in memory). `chunkFiles` reads them from
 * elsewhere (the single executable's assets; `folder` then only names them); `requireBuiltin` loads Node's modules: the
 * caller's own `require` (not `createRequire`: importing node:module loads Node's ES module loader with it, ~4.4 M
 * instructions, 5 % of an empty render).
 */
export function loadCli(folder: string, requireBuiltin: (id: string) => unknown, chunkFiles?: ChunkFiles): LoadedCli {
  const dir = folder.startsWith('/') ? folder : resolve(folder);
  const files = chunkFiles ?? chunkFolder(dir);
  const chunks = new Map<string, LoadedChunk>();
  const cachesOff = process.env.ECK_AIRGAP_CODE_CACHE === 'off';
  const modules = new Map<string, { exports: unknown }>();
  // Chunks require Node's built-in modules only (esbuild inlined everything else): any require will do.
  const nodeRequire = requireBuiltin;
  type ModuleFunction = (
    exports: unknown,
    require: (request: string) => unknown,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  /** Compiles a chunk (with its cache when that fits) and runs it: a chunk's module function, or the pack. */
  const compile = (name: string, source: string): unknown => {
    const file = `${dir}/${name}`;
    if (!source.startsWith(WRAPPER_HEAD) && name !== CORE_PACK)
      throw new Error(`${file} is not a wrapped CommonJS chunk`);
    const stamp = stampOf(source);
    const cache = cachesOff ? 'off' : cacheFor(files.cache(name), stamp);
    const cachedData = typeof cache === 'string' ? undefined : cache;
    // Named by its file name alone: V8 keeps the name the cache was made with, whatever name is given here.
    const script = new Script(source, { filename: name, cachedData });
    const codeCache = typeof cache === 'string' ? cache : script.cachedDataRejected ? 'rejected' : 'used';
    chunks.set(name, { file, script, stamp, codeCache });
    return script.runInThisContext();
  };
  let pack: Record<string, ModuleFunction> = {};
  const packSource = files.text(CORE_PACK);
  if (packSource !== undefined) pack = (compile(CORE_PACK, packSource) as () => Record<string, ModuleFunction>)();
  const load = (name: string): unknown => {
    const loaded = modules.get(name);
    if (loaded) return loaded.exports;
    let moduleFunction = pack[name];
    if (!Object.hasOwn(pack, name)) {
      const source = files.text(name);
      if (source === undefined) throw new Error(`${dir}/${name} is missing`);
      moduleFunction = compile(name, source) as ModuleFunction;
    }
    const module = { exports: {} };
    modules.set(name, module); // before it runs: chunks may require each other
    moduleFunction!(module.exports, requireFromChunk, module, `${dir}/${name}`, dir);
    return module.exports;
  };
  function requireFromChunk(request: string): unknown {
    const chunk = chunkFileOf(request);
    return chunk === undefined ? nodeRequire(request) : load(chunk);
  }
  const { run, finish } = load(ENTRY_CHUNK) as Partial<Pick<LoadedCli, 'run' | 'finish'>>;
  if (typeof run !== 'function' || typeof finish !== 'function')
    throw new Error(`${join(dir, ENTRY_CHUNK)} does not export run() and finish()`);
  return { run, finish, chunks, loadedModules: () => [...modules.keys()] };
}

function readIfPresent(file: string, encoding?: 'latin1'): string | Buffer | undefined {
  try {
    return encoding ? readFileSync(file, encoding) : readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * On exit, with ECK_AIRGAP_DEBUG set: which chunks were compiled without their cache, and why (and, with
 * ECK_AIRGAP_DEBUG=chunks, which chunks were loaded), on stderr. `where` names the chunks' home in the messages.
 */
export function debugOnExit(cli: LoadedCli, where: string): void {
  if (!process.env.ECK_AIRGAP_DEBUG) return;
  process.on('exit', () => {
    const say = (text: string): void => {
      try {
        writeSync(2, text);
      } catch {
        // stderr is gone
      }
    };
    if (process.env.ECK_AIRGAP_DEBUG === 'chunks')
      say(`eck-airgap: debug: chunks loaded: ${cli.loadedModules().join(', ')}\n`);
    for (const [name, chunk] of cli.chunks) {
      if (chunk.codeCache === 'used') continue;
      say(`eck-airgap: debug: code cache ${chunk.codeCache} (${where}/${name}.cache); compiled from source\n`);
    }
  });
}

/** The text of the core pack: the given chunks' module functions (each file's text without its stamp line), by name. */
export function corePackText(chunks: readonly { name: string; text: string }[]): string {
  const entries = chunks.map(({ name, text }) => {
    const at = text.lastIndexOf(`\n${STAMP_PREFIX}`);
    return `${JSON.stringify(name)}: ${at < 0 ? text : text.slice(0, at)}`;
  });
  return `(function () { return {\n${entries.join(',\n')}\n}; })\n`;
}

/** Saves the code cache of every chunk loaded so far, with everything compiled in it (call it after a run). */
export function writeCodeCaches(cli: LoadedCli): string[] {
  const written: string[] = [];
  for (const chunk of cli.chunks.values()) {
    const header = Buffer.from(`${`${chunk.stamp} ${madeBy}`.padEnd(HEADER - 1)}\n`, 'latin1');
    if (header.length !== HEADER) throw new Error(`cache header too long: ${chunk.stamp} ${madeBy}`);
    writeFileSync(`${chunk.file}.cache`, Buffer.concat([header, chunk.script.createCachedData()]));
    written.push(`${chunk.file}.cache`);
  }
  return written;
}
