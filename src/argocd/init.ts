/**
 * `eck-airgap argocd init`: builds the chart's dependencies only when the chart declares some that are not in
 * charts/ yet. With every dependency vendored (a packaged .tgz or an unpacked directory) nothing is built and no
 * network is needed; `--skip-refresh` keeps `helm dependency build` from refreshing repository indexes, so file://
 * dependencies build offline too.
 */

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
    `Helm said: ${helmMessage.replace(/\s*\(try 'helm repo update'\)/g, '').replace(/^helm dependency build failed: /, '').trim()}`
  );
}
