// No folder of src/ imports, through any chain, a folder that imports it back (issue 22: the pipeline reads one way,
// read → split → classify → parse → plan → act). The folder graph is read from the relative imports of every source
// file; each strongly connected set of more than one folder is a cycle.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../support/cli.js';

const src = resolve(repoRoot, 'src');

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const folderOf = (path: string): string => relative(src, path).split('/').slice(0, -1)[0] ?? '.';
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        const from = folderOf(path);
        if (!graph.has(from)) graph.set(from, new Set());
        for (const m of readFileSync(path, 'utf8').matchAll(
          /(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g,
        )) {
          const to = folderOf(resolve(dirname(path), (m[1] ?? m[2])!));
          if (to !== from) graph.get(from)!.add(to);
        }
      }
    }
  };
  walk(src);
  return graph;
}

/** Tarjan's strongly connected components, those of more than one folder, each sorted. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out.sort((a, b) => a.join().localeCompare(b.join()));
}

describe('folder import cycles', () => {
  it('finds a cycle when there is one (the check itself)', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
  });

  it('src/ has none: every folder reads one way', () => {
    // stream⇄render, sites⇄operator and eck⇄image went in issue 22; argocd⇄cli⇄commands too, once the Helm helpers
    // moved to helm/, input reading to io/read-input.ts, the command names to commands/ and the version to
    // src/version.ts. A new cycle fails here.
    expect(cycles(folderGraph())).toEqual([]);
  });
});
