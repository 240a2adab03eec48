/**
 * `--with-diagnostics` takes its image only as `--with-diagnostics=IMAGE`; an argument after the bare flag is a file
 * (src/cli/program.ts gives it back among the files). When that file does not exist and reads as an image reference
 * (`--with-diagnostics docker.elastic.co/eck/eck-diagnostics:9.3.1`), the user meant the image: say so in the
 * paragraph that would only have said "no such file".
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { parseReference } from '../image/reference.js';

/** Whether a name reads as an image reference rather than a manifest file: a path below a registry or a tag/digest. */
function looksLikeImage(name: string): boolean {
  if (/\.(ya?ml|json)$/i.test(name) || !parseReference(name)) return false;
  return name.includes('/') || name.includes(':') || name.includes('@');
}

/** Throws the usage error for a file given back from `--with-diagnostics FILE` that is an image, not a file. */
export function checkGivenBackFile(name: string): void {
  if (existsSync(name) || !looksLikeImage(name)) return;
  throw new UsageError(
    `Cannot read ${name}: no such file. It follows --with-diagnostics and reads as an image, but ` +
      `--with-diagnostics takes its image only as --with-diagnostics=IMAGE (a bare --with-diagnostics adds the default ` +
      `image and the next argument is a file): write --with-diagnostics=${name}.`,
  );
}
