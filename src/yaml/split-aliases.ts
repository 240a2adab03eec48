/**
 * Anchors must not spread render's edits (issue 15). An edit to an anchored node changes every alias of it too:
 * `image: &x docker.elastic.co/…` moved would also move an env value `*x`; pull secrets merged into a list written
 * `imagePullSecrets: *secrets` would land in the anchored list, wherever else it is used. So the edits are split
 * where the sites differ: only image positions (the value of an `image` key) get the new image, only
 * `imagePullSecrets` get the new list; every other site keeps the value it had, as a copy where it was an alias.
 *
 * Sites are told apart by the key they are the value of. An alias of an anchored container (`- *c`) stands for the
 * whole container and is an image position as much as the anchor: it is left as it is.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Alias,
  type Document,
  type Node,
  type Scalar,
  type YAMLSeq,
} from 'yaml';
import { scalar } from './emit-value.js';
import type { TextEdit } from './text-edit.js';

interface Site {
  /** The key this node or alias is the value of, when it is a pair's value. */
  readonly key: string | undefined;
}

interface AnchoredNode extends Site {
  readonly node: Node;
  readonly aliases: (Site & { readonly alias: Alias })[];
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) && typeof key.value === 'string' ? key.value : undefined;
}

/** Every anchored node with the aliases that refer to it, in one walk in document order. */
function anchoredNodes(doc: Document): AnchoredNode[] {
  const byName = new Map<string, AnchoredNode>();
  const all: AnchoredNode[] = [];
  const visit = (node: unknown, key: string | undefined, depth: number): void => {
    if (depth > 200 || node === null || typeof node !== 'object') return;
    if (isAlias(node)) {
      byName.get(node.source)?.aliases.push({ alias: node, key });
      return;
    }
    const anchor = (node as Node).anchor;
    if (anchor) {
      const entry: AnchoredNode = { node: node as Node, key, aliases: [] };
      byName.set(anchor, entry);
      all.push(entry);
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        visit(pair.key, undefined, depth + 1);
        visit(pair.value, keyText(isAlias(pair.key) ? undefined : pair.key), depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item, undefined, depth + 1);
    } else if (isPair(node)) {
      visit(node.value, keyText(node.key), depth + 1);
    }
  };
  visit(doc.contents, undefined, 0);
  return all.filter((a) => a.aliases.length > 0);
}

/** The text of a scalar as a copy at another site: its own text when on one line, else a double-quoted string. */
function copyOf(text: string, node: Scalar): string {
  const [start, end] = node.range!;
  const written = text.slice(start, end);
  if (
    !/[\r\n]/.test(written) &&
    (node.type === 'PLAIN' || node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')
  )
    return written;
  return typeof node.value === 'string' ? JSON.stringify(node.value) : scalar(String(node.value));
}

function listCopy(doc: Document, seq: YAMLSeq, add: readonly string[] = []): string {
  const items = (seq.toJS(doc, { maxAliasCount: 1000 }) ?? []) as unknown[];
  const present = new Set(
    items.map((item) => (item !== null && typeof item === 'object' ? (item as { name?: unknown }).name : undefined)),
  );
  return JSON.stringify([...items, ...add.filter((name) => !present.has(name)).map((name) => ({ name }))]);
}

/** A list that can be copied (an alias bomb inside it cannot): otherwise the edit stays as planned. */
function copiable(doc: Document, seq: YAMLSeq): boolean {
  try {
    listCopy(doc, seq);
    return true;
  } catch {
    return false;
  }
}

/**
 * The edits, split where they would reach through an anchor to a site that is not of their kind.
 * `pullSecrets`: the names render merges into pod templates.
 */
export function splitAliasedEdits(
  text: string,
  doc: Document,
  edits: readonly TextEdit[],
  pullSecrets: readonly string[],
): TextEdit[] {
  if (edits.length === 0 || !text.includes('*')) return [...edits];
  const anchored = anchoredNodes(doc);
  if (anchored.length === 0) return [...edits];
  const out: TextEdit[] = [];
  const extra: TextEdit[] = [];
  for (const edit of edits) {
    const scalarTarget = anchored.find(
      (a) => isScalar(a.node) && a.node.range?.[0] === edit.start && a.node.range?.[1] === edit.end,
    );
    if (scalarTarget && (scalarTarget.key === 'image' || scalarTarget.aliases.some((a) => a.key === 'image'))) {
      const node = scalarTarget.node as Scalar;
      const newText = edit.text.replace(/\r?\n$/, '');
      if (scalarTarget.key === 'image') {
        out.push(edit);
        for (const a of scalarTarget.aliases) {
          if (a.key !== 'image')
            extra.push({ start: a.alias.range![0], end: a.alias.range![1], text: copyOf(text, node) });
        }
      } else {
        // The anchor is not an image position: the new image goes to the image positions that alias it.
        for (const a of scalarTarget.aliases) {
          if (a.key === 'image') extra.push({ start: a.alias.range![0], end: a.alias.range![1], text: newText });
        }
      }
      continue;
    }
    const listTarget =
      edit.start === edit.end
        ? anchored.find(
            (a) => isSeq(a.node) && !!a.node.range && edit.start >= a.node.range[0] && edit.start <= a.node.range[2],
          )
        : undefined;
    if (
      listTarget &&
      listTarget.aliases.some((a) => a.key !== listTarget.key || a.key !== 'imagePullSecrets') &&
      copiable(doc, listTarget.node as YAMLSeq)
    ) {
      const seq = listTarget.node as YAMLSeq;
      if (listTarget.key === 'imagePullSecrets') {
        out.push(edit);
        for (const a of listTarget.aliases) {
          if (a.key !== 'imagePullSecrets')
            extra.push({ start: a.alias.range![0], end: a.alias.range![1], text: listCopy(doc, seq) });
        }
      } else {
        for (const a of listTarget.aliases) {
          if (a.key === 'imagePullSecrets')
            extra.push({ start: a.alias.range![0], end: a.alias.range![1], text: listCopy(doc, seq, pullSecrets) });
        }
      }
      continue;
    }
    out.push(edit);
  }
  return [...out, ...extra];
}
