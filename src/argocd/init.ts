/**
 * `eck-airgap argocd init`: builds the chart's dependencies only when the chart declares some that are not in
 * charts/ yet. With every dependency vendored (a packaged .tgz or an unpacked directory) nothing is built and no
 * network is needed; `--skip-refresh` keeps `helm dependency build` from refreshing repository indexes, so file://
 * dependencies build offline too.
 */
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../errors.js';
import { BoundedReadError, readBounded } from '../io/read-bounded.js';
import { quoted } from '../text/quoted.js';
import { linkLeadingOutside } from './paths.js';

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The dependencies `helm dependency list` reports as neither "ok" nor "unpacked", as "name (status)". */
export function missingDependencies(listing: string): string[] {
  const missing: string[] = [];
  for (const line of listing.split('\n')) {
    const cells = line
      .split('\t')
      .map((cell) => cell.trim())
      .filter((cell) => cell !== '');
    if (cells.length < 2 || cells[0] === 'NAME') continue;
    const status = cells[cells.length - 1] as string;
    if (status !== 'ok' && status !== 'unpacked') missing.push(`${cells[0]} (${status})`);
  }
  return missing;
}

/** The repository of each dependency `helm dependency list` reports as missing (its third column), by name. */
export function missingRepositories(listing: string): Map<string, string> {
  const repositories = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const cells = line
      .split('\t')
      .map((cell) => cell.trim())
      .filter((cell) => cell !== '');
    if (cells.length < 4 || cells[0] === 'NAME') continue;
    const status = cells[cells.length - 1] as string;
    if (status !== 'ok' && status !== 'unpacked') repositories.set(cells[0]!, cells[2]!);
  }
  return repositories;
}

/**
 * Why `helm dependency build` failed in the repo-server, when a dependency comes from a chart repository: the
 * sidecar has no repository index and no network, so Helm's advice ("try 'helm repo update'") cannot help. The fix
 * is vendoring. Helm's own message follows, without that advice.
 */
export function vendoringAdvice(repositories: ReadonlyMap<string, string>, helmMessage: string): string | undefined {
  const remote = [...repositories].filter(([, repository]) => !repository.startsWith('file://'));
  if (remote.length === 0) return undefined;
  const which = remote.map(([name, repository]) => `${name} from ${repository}`).join(', ');
  return (
    `argocd init: the chart's dependencies ${which} are not vendored, and the repo-server builds charts offline (no repository index, ` +
    `no network). Vendor them in Git: run \`helm dependency build\` where the chart repository is reachable and commit charts/*.tgz ` +
    `(or the unpacked subchart directories) next to Chart.yaml; file:// dependencies build offline without vendoring. ` +
    `Helm said: ${helmMessage
      .replace(/\s*\(try 'helm repo update'\)/g, '')
      .replace(/^helm dependency build failed: /, '')
      .trim()}`
  );
}

/**
 * Chart dependencies on the local file system (`repository: file://PATH`, in Chart.yaml or a v1 chart's
 * requirements.yaml) that lead outside the repository: `helm dependency build` would package that directory into
 * charts/ and generate would render it, reading files the repository does not hold. Like links leading outside
 * (linkLeadingOutside), they are refused; a file:// dependency inside the repository is followed (its own
 * file:// dependencies and links are held to the same rule). Returns the first, with where it leads.
 */
export interface OutsideDependency {
  readonly chart: string;
  readonly name: string;
  readonly repository: string;
  readonly target: string;
  /** The link inside the dependency's directory that leads out, when that is how. */
  readonly link?: string;
}

export function fileDependencyOutside(chartDir: string, root: string): OutsideDependency | undefined {
  const realRoot = realpathSync(root);
  const seen = new Set<string>();
  const walk = (dir: string): OutsideDependency | undefined => {
    let realDir: string;
    try {
      realDir = realpathSync(dir);
    } catch {
      return undefined;
    }
    if (seen.has(realDir)) return undefined;
    seen.add(realDir);
    for (const file of ['Chart.yaml', 'requirements.yaml']) {
      const path = join(dir, file);
      if (!existsSync(path)) continue;
      let doc: unknown;
      try {
        doc = parse(
          readBounded(path, { what: 'chart file', maxBytes: 1024 * 1024, allowFifo: false }).toString('utf8'),
          { maxAliasCount: 100 },
        );
      } catch (error) {
        if (error instanceof BoundedReadError) throw new UsageError(`${error.message}.`);
        continue; // not YAML: Helm says so itself
      }
      const dependencies = (doc as { dependencies?: unknown } | null)?.dependencies;
      if (!Array.isArray(dependencies)) continue;
      for (const dependency of dependencies as unknown[]) {
        const { name, repository } = (dependency ?? {}) as { name?: unknown; repository?: unknown };
        if (typeof repository !== 'string' || !repository.startsWith('file://')) continue;
        const given = repository.slice('file://'.length);
        const lexical = isAbsolute(given) ? given : resolve(dir, given);
        let target = lexical;
        try {
          target = realpathSync(lexical);
        } catch {
          // not there: Helm will say so; the path itself is still checked
        }
        const chart = relative(realRoot, realDir) || '.';
        const entry = { chart, name: typeof name === 'string' ? name : '?', repository, target };
        if (!inside(realRoot, resolve(realDir, given)) || !inside(realRoot, target)) return entry;
        const link = linkLeadingOutside(target, realRoot);
        if (link) return { ...entry, target: link.target, link: link.link };
        const deeper = walk(target);
        if (deeper) return deeper;
      }
    }
    return undefined;
  };
  return walk(chartDir);
}

/** The refusal, for init and generate alike. */
export function refuseOutsideDependencies(chartDir: string, root: string): void {
  const outside = fileDependencyOutside(chartDir, root);
  if (!outside) return;
  throw new UsageError(
    `Chart ${quoted(outside.chart)}: the dependency ${quoted(outside.name)} (repository ${quoted(outside.repository)}) leads outside the repository${outside.link ? `: it holds the link ${quoted(outside.link)}` : ''}, to ${quoted(outside.target)}. eck-airgap reads nothing outside the repository: ${outside.link ? 'replace the link by the file it points at' : 'vendor that chart into the repository (e.g. into charts/) and name it by a path inside'}.`,
  );
}
