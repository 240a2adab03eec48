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
