/**
 * Paths an Application names (values files, its eck-airgap config file) must stay inside the Application's source
 * directory, as Argo CD's own Helm source keeps values files inside the repository: no absolute path, no URL, no
 * "..", and no symbolic link that resolves outside. The check is on the real path, and the real path is what Helm
 * gets, so what was checked is what is read.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { quoted } from '../text/quoted.js';

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
    new PathError(
      `${what} ${quoted(given)} ${why}; it must be a file inside the Application's source directory, named relative to it.`,
    );
  if (given.trim() === '') throw problem('is empty');
  if (/[\u0000-\u001f\u007f]/.test(given)) throw problem('holds a control character');
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(given))
    throw problem('is a URL (eck-airgap reads no values over the network)');
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

/**
 * The repository root of the checkout cmp-server made: the working directory minus ARGOCD_APP_SOURCE_PATH (the
 * Application's path in the repository), or the working directory itself when that cannot be told.
 */
export function repositoryRoot(cwd: string, sourcePath: string | undefined): string {
  const path = normalize(sourcePath ?? '.');
  if (path === '.' || isAbsolute(path) || path === '..' || path.startsWith(`..${sep}`)) return cwd;
  const trimmed = path.replace(/[/\\]+$/, '');
  return cwd.endsWith(`${sep}${trimmed}`) ? cwd.slice(0, -(trimmed.length + 1)) || sep : cwd;
}

/**
 * Helm loads every file of a chart directory and follows symbolic links (a chart's templates can then print a
 * linked file with .Files.Get). Like Argo CD, which refuses repositories with out-of-bounds symbolic links, the
 * chart directory may hold links only to places inside the repository. Returns the first that leads outside, as
 * a path relative to `dir`, with where it leads.
 */
export function linkLeadingOutside(dir: string, root: string): { link: string; target: string } | undefined {
  const realRoot = realpathSync(root);
  const seen = new Set<string>();
  const walk = (current: string): { link: string; target: string } | undefined => {
    let real: string;
    try {
      real = realpathSync(current);
    } catch {
      return undefined;
    }
    if (seen.has(real)) return undefined;
    seen.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return undefined;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(path);
        } catch {
          continue; // a dangling link reads nothing
        }
        if (!inside(realRoot, target)) return { link: relative(dir, path), target };
        if (statSync(target).isDirectory()) {
          const found = walk(path);
          if (found) return found;
        }
      } else if (entry.isDirectory()) {
        const found = walk(path);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(dir);
}
