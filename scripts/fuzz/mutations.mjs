// Mutations of real manifests, as fast-check arbitraries: what a broken template, a hand edit or a hostile
// chart does to a stream. Each mutation is plain data (printed in a failure report); `applyMutations` replays
// them on a seed text, deterministically, and returns the bytes given to the CLI.
import fc from 'fast-check';

const lines = (text) => text.split(/(?<=\n)/);
const pick = (n, at) => (n === 0 ? 0 : at % n);

const IMAGE_LINE = /^(\s*-?\s*image:\s*)(["']?)([^"'#\r\n]*)\2([ \t]*(?:#.*)?)$/;

/** Snippets a YAML author (or a fuzzer) puts in: indicators, anchors, flow collections, markers, odd bytes. */
const SNIPPETS = [
  ': ',
  '- ',
  '---',
  '...',
  '&a ',
  '*a',
  '<<: *a',
  '{',
  '}',
  '[',
  ']',
  ',',
  '#',
  '|',
  '>-',
  '!!str ',
  '!foo ',
  '? ',
  '%YAML 1.2',
  '"',
  "'",
  '\\',
  '\t',
  '\r',
  '\n',
  '\u00a0',
  '\ufeff',
  '\u2028',
  'null',
  '~',
  '0x1F',
  '.inf',
  'é',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u0085',
  '\u007f',
];

/** `kind: X` written as YAML allows: block scalars, tags, anchors, quoted and explicit keys, the value on the next line. */
const KIND_SPELLINGS = [
  '>-\n  X',
  '|-\n  X',
  '!!str X',
  '!!str\n  X',
  '\n  X',
  '\n  !!str X',
  '&k X',
  '"X"',
  'QUOTED-KEY',
  'EXPLICIT-KEY',
  'SPACE-COLON',
];

function respellKind(line, spelling) {
  const m = /^kind:[ \t]*([A-Za-z]+)[ \t]*(\r?\n)?$/.exec(line);
  if (!m) return line;
  const [, kind, end = ''] = m;
  if (spelling === 'QUOTED-KEY') return `"kind": ${kind}${end}`;
  if (spelling === 'EXPLICIT-KEY') return `? kind\n: ${kind}${end}`;
  if (spelling === 'SPACE-COLON') return `kind : ${kind}${end}`;
  return `kind: ${spelling.replace('X', kind)}${end}`.replace('kind: \n', 'kind:\n');
}

/** The lines of the document holding line i: [first, last] (split at column-0 `---`). */
function documentAround(ls, i) {
  let first = i;
  while (first > 0 && !/^---(?:\s|$)/.test(ls[first] ?? '')) first--;
  if (/^---(?:\s|$)/.test(ls[first] ?? '')) first++;
  let last = i;
  while (last + 1 < ls.length && !/^---(?:\s|$)/.test(ls[last + 1] ?? '')) last++;
  return [first, last];
}

/** An eck.yaml block restyled: indentation indicator, a value on the next line, comments, a flow mapping, CRLF. */
function restyleEck(text, style) {
  const ls = lines(text);
  const h = ls.findIndex((l) => /^( *)eck\.yaml: \|-?\r?\n$/.test(l));
  if (h < 0) return text;
  const parent = /^ */.exec(ls[h])[0].length;
  let end = h + 1;
  const content = /^ */.exec(ls[h + 1] ?? '')[0].length;
  if (content <= parent) return text;
  while (end < ls.length && (/^\s*$/.test(ls[end]) || /^ */.exec(ls[end])[0].length >= content)) end++;
  const body = ls.slice(h + 1, end);
  const pad = ' '.repeat(content);
  switch (style) {
    case 'indicator':
      ls[h] = ls[h].replace(/\|(-?)/, `|${content - parent}$1`);
      for (let k = h + 1; k < end; k++) if (ls[k].trim() !== '') ls[k] = `  ${ls[k]}`;
      return ls.join('');
    case 'next-line':
      for (let k = h + 1; k < end; k++)
        ls[k] = ls[k].replace(/^( *)([\w-]+):[ \t]+([^#\r\n]+?)(\r?\n)$/, `$1$2:$4$1  $3$4`);
      return ls.join('');
    case 'comment':
      ls.splice(h + 1, 0, `${pad}# restyled by the fuzzer\n`);
      if (end < ls.length) ls.splice(end + 1, 0, `${pad}# tail\n`);
      return ls.join('');
    case 'flow': {
      const pairs = body.map((l) => /^ *([\w-]+):[ \t]*([^#\r\n]*?)[ \t]*(?:#.*)?\r?\n?$/.exec(l)).filter(Boolean);
      if (pairs.length !== body.filter((l) => l.trim() !== '').length) return text;
      const flow = `${pad}{${pairs.map((p) => `${JSON.stringify(p[1])}: ${p[2] === '' ? 'null' : p[2]}`).join(', ')}}\n`;
      ls.splice(h + 1, end - h - 1, flow);
      return ls.join('');
    }
    case 'crlf':
      for (let k = h; k < end; k++) ls[k] = ls[k].replace(/\r?\n$/, '\r\n');
      return ls.join('');
    default:
      return text;
  }
}

export const mutationArb = fc.oneof(
  fc.record({ op: fc.constant('delete-line'), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate-line'), at: fc.nat() }),
  fc.record({ op: fc.constant('indent'), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('tab-indent'), at: fc.nat() }),
  fc.record({ op: fc.constant('insert-snippet'), at: fc.nat(), snippet: fc.constantFrom(...SNIPPETS) }),
  fc.record({ op: fc.constant('insert-bytes'), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
  fc.record({
    op: fc.constant('insert-marker-line'),
    at: fc.nat(),
    line: fc.constantFrom('---', '...', '--- # c', '%YAML 1.2\n---', '--- |', '--- {}', ''),
  }),
  fc.record({
    op: fc.constant('image-style'),
    at: fc.nat(),
    style: fc.constantFrom('plain', 'single', 'double', 'comment', 'anchor', 'flow'),
  }),
  fc.record({ op: fc.constant('crlf'), all: fc.boolean(), at: fc.nat() }),
  fc.record({ op: fc.constant('bom'), at: fc.nat() }),
  fc.record({ op: fc.constant('trailing-newline'), keep: fc.boolean() }),
  fc.record({ op: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ op: fc.constant('swap-lines'), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('duplicate-document'), at: fc.nat() }),
  fc.record({
    op: fc.constant('empty-value'),
    at: fc.nat(),
    value: fc.constantFrom('', ' null', ' ~', ' []', ' {}', ' 42', ' true', ' "x"'),
  }),
  // Issue 15: spellings of `kind` a line scan cannot read, anchors and aliases on images, eck.yaml styles.
  fc.record({ op: fc.constant('kind-spelling'), at: fc.nat(), spelling: fc.constantFrom(...KIND_SPELLINGS) }),
  fc.record({
    op: fc.constant('image-alias'),
    at: fc.nat(),
    way: fc.constantFrom('anchor-on-image', 'alias-at-image'),
  }),
  fc.record({
    op: fc.constant('eck-style'),
    style: fc.constantFrom('indicator', 'next-line', 'comment', 'flow', 'crlf'),
  }),
);

/** A case: one seed and up to `max` mutations. */
export function caseArb(seedCount, max = 4) {
  return fc.record({
    seed: fc.nat({ max: Math.max(0, seedCount - 1) }),
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: max }),
  });
}

function restyleImage(line, style) {
  const m = IMAGE_LINE.exec(line.replace(/\r?\n$/, ''));
  if (!m) return line;
  const end = line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
  const [, head, , value, tail] = m;
  const v = value.trim();
  switch (style) {
    case 'plain':
      return `${head}${v}${tail}${end}`;
    case 'single':
      return `${head}'${v}'${tail}${end}`;
    case 'double':
      return `${head}"${v}"${tail}${end}`;
    case 'comment':
      return `${head}${v} # pinned${end}`;
    case 'anchor':
      return `${head}&img ${v}${tail}${end}`;
    case 'flow':
      return `${head}"${v}"${tail}${end}`.replace(/image:\s*/, 'image: !!str ');
    default:
      return line;
  }
}

function applyText(text, m) {
  const ls = lines(text);
  switch (m.op) {
    case 'delete-line':
      ls.splice(pick(ls.length, m.at), 1);
      return ls.join('');
    case 'duplicate-line': {
      const i = pick(ls.length, m.at);
      ls.splice(i, 0, ls[i] ?? '');
      return ls.join('');
    }
    case 'indent': {
      const i = pick(ls.length, m.at);
      const l = ls[i] ?? '';
      ls[i] = m.by >= 0 ? ' '.repeat(m.by) + l : l.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return ls.join('');
    }
    case 'tab-indent': {
      const i = pick(ls.length, m.at);
      ls[i] = (ls[i] ?? '').replace(/^( *)/, '$1\t');
      return ls.join('');
    }
    case 'insert-snippet': {
      const at = pick(text.length + 1, m.at);
      return text.slice(0, at) + m.snippet + text.slice(at);
    }
    case 'insert-marker-line': {
      const i = pick(ls.length + 1, m.at);
      ls.splice(i, 0, `${m.line}\n`);
      return ls.join('');
    }
    case 'image-style': {
      const images = ls.map((l, i) => (IMAGE_LINE.test(l.replace(/\r?\n$/, '')) ? i : -1)).filter((i) => i >= 0);
      if (images.length === 0) return text;
      const i = images[pick(images.length, m.at)];
      ls[i] = restyleImage(ls[i], m.style);
      return ls.join('');
    }
    case 'crlf':
      if (m.all) return text.replace(/\r?\n/g, '\r\n');
      {
        const i = pick(ls.length, m.at);
        ls[i] = (ls[i] ?? '').replace(/\r?\n$/, '\r\n');
        return ls.join('');
      }
    case 'bom': {
      const ds = text.split(/(?=^---)/m);
      const i = pick(ds.length, m.at);
      if (i === 0) return `\ufeff${text}`;
      ds[i] = `\ufeff${ds[i]}`;
      return ds.join('');
    }
    case 'trailing-newline':
      return m.keep ? (text.endsWith('\n') ? text : `${text}\n`) : text.replace(/\r?\n+$/, '');
    case 'truncate':
      return text.slice(0, pick(text.length + 1, m.at));
    case 'swap-lines': {
      const i = pick(ls.length, m.at);
      const j = pick(ls.length, m.with);
      const t = ls[i];
      ls[i] = ls[j];
      ls[j] = t;
      return ls.join('');
    }
    case 'duplicate-document': {
      const ds = text.split(/(?=^---)/m);
      const i = pick(ds.length, m.at);
      const d = ds[i] ?? '';
      ds.splice(i, 0, d.endsWith('\n') || d === '' ? d : `${d}\n`);
      return ds.join('');
    }
    case 'empty-value': {
      const keyed = ls
        .map((l, i) =>
          /^\s*(spec|containers|template|podTemplate|nodeSets|image|version|data|items):/.test(l) ? i : -1,
        )
        .filter((i) => i >= 0);
      if (keyed.length === 0) return text;
      const i = keyed[pick(keyed.length, m.at)];
      ls[i] = ls[i].replace(/^(\s*[\w]+:)[^\r\n]*/, `$1${m.value}`);
      return ls.join('');
    }
    case 'kind-spelling': {
      const kinds = ls.map((l, i) => (/^kind:[ \t]*[A-Za-z]+[ \t]*\r?\n?$/.test(l) ? i : -1)).filter((i) => i >= 0);
      if (kinds.length === 0) return text;
      const i = kinds[pick(kinds.length, m.at)];
      ls[i] = respellKind(ls[i], m.spelling);
      return ls.join('');
    }
    case 'image-alias': {
      const images = ls.map((l, i) => (/^\s*-?\s*image:[ \t]+[^&*\s]/.test(l) ? i : -1)).filter((i) => i >= 0);
      if (images.length === 0) return text;
      const i = images[pick(images.length, m.at)];
      const [first, last] = documentAround(ls, i);
      const value = /image:[ \t]+([^\r\n#]*?)[ \t]*(?:#.*)?\r?\n?$/.exec(ls[i])?.[1] ?? '';
      if (value === '' || /^[\s]/.test(ls[first] ?? ' ')) return text;
      if (m.way === 'anchor-on-image') {
        // The image gets an anchor, and a top-level key at the end of its document an alias of it.
        ls[i] = ls[i].replace(/image:[ \t]+/, 'image: &fuzzimg ');
        const tail = ls[last] ?? '';
        ls[last] = `${tail.endsWith('\n') ? tail : `${tail}\n`}x-fuzz-copy: *fuzzimg\n`;
      } else {
        // The image is an alias of a top-level key written first in its document.
        ls[i] = ls[i].replace(/image:[ \t]+[^\r\n#]*?([ \t]*(?:#.*)?\r?\n?)$/, 'image: *fuzzimg$1');
        ls[first] = `x-fuzz-source: &fuzzimg ${value}\n${ls[first]}`;
      }
      return ls.join('');
    }
    case 'eck-style':
      return restyleEck(text, m.style);
    default:
      return text;
  }
}

/** Replays the mutations on a seed; raw byte insertions are applied last, on the UTF-8 bytes. */
export function applyMutations(seedText, mutations) {
  let text = seedText;
  for (const m of mutations) if (m.op !== 'insert-bytes') text = applyText(text, m);
  let bytes = Buffer.from(text, 'utf8');
  for (const m of mutations) {
    if (m.op !== 'insert-bytes') continue;
    const at = pick(bytes.length + 1, m.at);
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
  }
  return bytes;
}

/** Settings the CLI is run with: a mirror with a port, sometimes pull secrets, a repository, a suffix. */
export const argsArb = fc.constantFrom(
  ['--registry', 'mirror.example:5000'],
  ['--registry', 'mirror.example', '--image-pull-secret', 'regcred'],
  [
    '--registry',
    'mirror.example',
    '--repository',
    'elastic',
    '--suffix=-ubi',
    '--image-pull-secret',
    'a',
    '--image-pull-secret',
    'b',
  ],
  ['--registry', 'mirror.example', '--mirror', 'docker.io=mirror.example/dockerhub', '--ubi-only'],
);
