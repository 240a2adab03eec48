/** Reads the input stream: the files named (`-` is stdin), or stdin; checks that it is UTF-8. */
import { fstatSync, lstatSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import type { RenderInput } from '../stream/read-stream.js';

/** node:fs/promises is loaded only when a file is named (it costs ~2 ms at start, and stdin is the usual input). */
const readFile = async (path: string): Promise<Buffer> => (await import('node:fs/promises')).readFile(path);

/**
 * Reads stdin to its end. A pipe or a file (what Helm and shells give) is read with blocking reads, the cheapest
 * way, straight into one buffer (sized from fstat when stdin is a file, else grown by doubling: each copy of a large
 * input costs page faults, several milliseconds a megabyte here); should stdin be non-blocking (EAGAIN), what was
 * read is kept and the rest is read as a stream.
 */
async function readStdin(): Promise<Buffer> {
  let size = 0;
  try {
    const stats = fstatSync(0);
    if (stats.isFile()) size = stats.size;
  } catch {
    // read below says what is wrong with stdin
  }
  // One byte more than a file's size: the read that returns 0 then needs no second buffer.
  let buffer = Buffer.allocUnsafeSlow(Math.max(size + 1, 1 << 20));
  let at = 0;
  for (;;) {
    if (at === buffer.length) {
      const bigger = Buffer.allocUnsafeSlow(buffer.length * 2);
      buffer.copy(bigger, 0, 0, at);
      buffer = bigger;
    }
    let n: number;
    try {
      n = readSync(0, buffer, at, buffer.length - at, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') break;
      if (code === 'EOF') return buffer.subarray(0, at);
      if (code === 'EISDIR')
        throw new InputError('Cannot read stdin: it is a directory. Pipe manifests in, or name files.');
      throw new InputError(`Cannot read stdin: ${(error as Error).message}.`);
    }
    if (n === 0) return buffer.subarray(0, at);
    at += n;
  }
  const chunks: Buffer[] = [buffer.subarray(0, at)];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function invalidUtf8At(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
    if (need < 0 || b > 0xf4) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decode(bytes: Buffer, name: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const at = Math.max(0, invalidUtf8At(bytes));
    let line = 1;
    for (let i = bytes.indexOf(10); i >= 0 && i < at; i = bytes.indexOf(10, i + 1)) line++;
    throw new InputError(
      `${name}, line ${line} (byte ${at}): the input is not valid UTF-8; Kubernetes manifests must be UTF-8.`,
    );
  }
}

/**
 * Whether stdin is a terminal. node:tty (and the net and stream modules it loads) is asked only when stdin is a
 * character device other than a memory device (/dev/null, major 1 on Linux): pipes and files, what Helm and
 * shells give, are told apart by one fstat. Not process.stdin.isTTY: that builds a stdin stream.
 */
async function stdinIsTerminal(): Promise<boolean> {
  let stats;
  try {
    stats = fstatSync(0);
  } catch {
    return false;
  }
  if (!stats.isCharacterDevice()) return false;
  if (process.platform === 'linux' && ((stats.rdev >>> 8) & 0xfff) === 1) return false;
  return (await import('node:tty')).isatty(0);
}

/** How many manifest files one directory may give (a bound on what a mistyped path can make eck-airgap read). */
const MAX_DIRECTORY_FILES = 10_000;
const MANIFEST_FILE = /\.(?:ya?ml|json)$/;

/**
 * A directory of manifests, read the way `kubectl apply -f DIR` reads one: its `.yaml`, `.yml` and `.json` files,
 * not its subdirectories, in sorted order (by code unit, as Go sorts names). A file that is a symbolic link is read
 * only when it leads to a regular file inside the directory; one leading outside is refused (a carried or checked-out
 * directory must not make eck-airgap read what it does not hold).
 */
function directoryFiles(dir: string): string[] {
  const root = realpathSync(dir);
  const names = readdirSync(dir)
    .filter((name) => MANIFEST_FILE.test(name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length > MAX_DIRECTORY_FILES) {
    throw new InputError(
      `Cannot read directory ${dir}: it holds ${names.length} manifest files, more than eck-airgap reads from one directory (${MAX_DIRECTORY_FILES}).`,
    );
  }
  const files: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const link = lstatSync(path);
    if (link.isDirectory()) continue;
    if (link.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(path);
      } catch {
        throw new InputError(`Cannot read ${path}: a symbolic link to nothing.`);
      }
      if (!target.startsWith(root + sep)) {
        throw new InputError(
          `Cannot read ${path}: a symbolic link that leads outside ${dir} (to ${target}); replace it by the file, or name the file itself.`,
        );
      }
      if (!statSync(target).isFile()) continue;
    } else if (!link.isFile()) {
      continue;
    }
    files.push(path);
  }
  if (files.length === 0)
    throw new InputError(
      `Cannot read directory ${dir}: it holds no .yaml, .yml or .json file (subdirectories are not read).`,
    );
  return files;
}

export async function readInputs(files: readonly string[]): Promise<RenderInput[]> {
  const given = files.length === 0 ? ['-'] : files;
  const names: string[] = [];
  for (const name of given) {
    let isDirectory = false;
    try {
      isDirectory = name !== '-' && statSync(name).isDirectory();
    } catch {
      // read below says what is wrong with it
    }
    if (isDirectory) names.push(...directoryFiles(name));
    else names.push(name);
  }
  if (names.includes('-') && (await stdinIsTerminal())) {
    throw new UsageError(
      'eck-airgap reads manifests on stdin, and stdin is a terminal. Pipe them in, e.g. ' +
        '`helm template rel ./chart | eck-airgap --registry my.registry`, or name files: `eck-airgap --registry my.registry manifests.yaml`. See `eck-airgap --help`.',
    );
  }
  const inputs: RenderInput[] = [];
  for (const name of names) {
    if (name === '-') {
      inputs.push({ text: decode(await readStdin(), 'stdin') });
      continue;
    }
    let bytes: Buffer;
    try {
      // Regular files and pipes (`<(helm template …)` is a FIFO) are read to their end; a device or socket could be
      // endless (/dev/zero) or a terminal, so it is refused — /dev/null, an empty stream, excepted.
      const stat = statSync(name);
      if ((stat.isCharacterDevice() || stat.isBlockDevice() || stat.isSocket()) && realpathSync(name) !== '/dev/null') {
        throw new InputError(`Cannot read ${name}: it is a device or socket, not a file or pipe.`);
      }
      bytes = await readFile(name);
    } catch (error) {
      if (error instanceof InputError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'it is a directory'
            : code === 'EACCES'
              ? 'permission denied'
              : String(code ?? error);
      throw new InputError(`Cannot read ${name}: ${why}.`);
    }
    inputs.push({ text: decode(bytes, name), file: name });
  }
  return inputs;
}
