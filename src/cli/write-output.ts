/** Writes the whole result at once, and ends quietly when the reader goes away (`| head -1`). */

let guarded = false;

/**
 * Stdout could not be written (`> /dev/full`, a closed or broken descriptor): one paragraph on stderr and exit 2
 * (the place the output was sent to is the problem, not the input). A reader that went away (EPIPE) is not an error.
 */
function outputFailed(error: unknown): never {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
  const why = code === 'ENOSPC' ? 'no space left on device' : code === 'EBADF' ? 'stdout is not open' : (error as Error)?.message ?? String(error);
  try {
    process.stderr.write(`eck-airgap: cannot write the output to stdout: ${why}${code && !why.includes(code) ? ` (${code})` : ''}. Nothing complete was written; send stdout somewhere writable and run again.\n`);
  } catch {
    // stderr is gone too: the exit code says it.
  }
  process.exit(2);
}

/** Installs the handler for stdout errors (once; the command line does it first thing). */
export function guardStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', outputFailed);
}

export function writeStdout(text: string): Promise<void> {
  guardStdout();
  if (text.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      process.stdout.write(text, (error) => (error ? outputFailed(error) : resolve()));
    } catch (error) {
      // A file or device stdout is written synchronously: its errors are thrown here.
      outputFailed(error);
    }
  });
}

export function writeStderr(text: string): void {
  process.stderr.write(text);
}
