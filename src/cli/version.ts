/**
 * `eck-airgap --version` (or `-V`) as the only argument is answered before anything else is loaded: the entry
 * points (`main.ts`, `start.ts`) check it first. Commander answers every other use of the flag, with the same text.
 */
import { writeSync } from 'node:fs';
import { VERSION } from '../version.js';

export { VERSION };

/** Whether the arguments (after node and the script) are exactly `--version` or `-V`. */
export function isVersionOnly(args: readonly string[]): boolean {
  return args.length === 1 && (args[0] === '--version' || args[0] === '-V');
}

/**
 * Prints the version as commander would (`0.1.0\n` on stdout) with one write to file descriptor 1: building
 * `process.stdout` would cost more than the rest of the answer. Returns false when nothing could be written
 * (stdout non-blocking, closed, full): the caller then lets the command line answer `--version`, so such errors
 * end exactly as they do for every other command.
 */
export function writeVersion(): boolean {
  const text = `${VERSION}\n`;
  let written: number;
  try {
    written = writeSync(1, text);
  } catch {
    return false;
  }
  if (written < text.length) process.stdout.write(text.slice(written));
  return true;
}
