/** Writes the whole result at once, and ends quietly when the reader goes away (`| head -1`). */

let guarded = false;

function guardStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

export function writeStdout(text: string): Promise<void> {
  guardStdout();
  if (text.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    process.stdout.write(text, () => resolve());
  });
}

export function writeStderr(text: string): void {
  process.stderr.write(text);
}
