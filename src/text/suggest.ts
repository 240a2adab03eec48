/**
 * "Did you mean …?" for names a person types: flags, commands, config keys, environment variables. A candidate is
 * close when few edits (insert, delete, substitute, swap two neighbours) turn one into the other, or when one
 * holds the other whole (`pullSecrets` → `imagePullSecrets`). Case and `-`/`_` differences do not count.
 */

function fold(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/** Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one substring). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidates closest to `word` (best first), none when nothing is close. */
export function suggest(word: string, candidates: readonly string[]): string[] {
  const w = fold(word);
  if (w === '') return [];
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(candidates)) {
    const c = fold(name);
    if (c === w) {
      scored.push({ name, score: 0 });
      continue;
    }
    const distance = editDistance(w, c);
    if (distance <= Math.max(1, Math.min(3, Math.floor(Math.max(w.length, c.length) / 3))))
      scored.push({ name, score: distance });
    else if (w.length >= 4 && c.length >= 4 && (c.includes(w) || w.includes(c))) scored.push({ name, score: 4 });
  }
  if (scored.length === 0) return [];
  const best = Math.min(...scored.map((s) => s.score));
  return scored.filter((s) => s.score === best).map((s) => s.name);
}

/** ` (did you mean imagePullSecrets?)`, or '' when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const found = suggest(word, candidates);
  return found.length === 0 ? '' : ` (did you mean ${found.join(' or ')}?)`;
}
