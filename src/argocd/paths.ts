/**
 * Paths an Application names (values files, its eck-airgap config file) must stay inside the Application's source
 * directory, as Argo CD's own Helm source keeps values files inside the repository: no absolute path, no URL, no
 * "..", and no symbolic link that resolves outside. The check is on the real path, and the real path is what Helm
 * gets, so what was checked is what is read.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { quoted } from '../commands/template.js';

export class PathError extends UsageError {}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The real path of `given` (what the Application wrote, `what` names it in messages), relative to `root`, after
 * checking it stays inside root. Throws a PathError otherwise, or when the file does not exist.
 */
export function containedPath(root: string, given: string, what: string): string {
  const problem = (why: string): PathError =>
    new PathError(`${what} ${quoted(given)} ${why}; it must be a file inside the Application's source directory, named relative to it.`);
  if (given.trim() === '') throw problem('is empty');
  if (/[\u0000-\u001f\u007f]/.test(given)) throw problem('holds a control character');
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(given)) throw problem('is a URL (eck-airgap reads no values over the network)');
  if (isAbsolute(given) || given.startsWith('~')) throw problem('is an absolute path');
  const normalized = normalize(given);
  if (normalized === '..' || normalized.startsWith(`..${sep}`)) throw problem('leads out of the directory with ".."');
  const realRoot = realpathSync(root);
  let real: string;
  try {
    real = realpathSync(resolve(realRoot, normalized));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw problem(code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`);
  }
  if (!inside(realRoot, real)) throw problem('is a symbolic link (or goes through one) that leads outside');
  return real;
}
