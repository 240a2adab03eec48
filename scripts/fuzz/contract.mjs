// @ts-nocheck -- not yet type-clean for scripts/tsconfig.json (issue 24 left it: 6 errors of inference)
// The robustness contract (issue 7), checked on one run of the real CLI:
// either exit 0 with a complete, valid stream — the same documents, unchanged ones byte for byte, changed ones
// still YAML and different only where images, pull secrets or the operator's registry settings live — or a
// non-zero exit with nothing on stdout and one short message on stderr that says where the problem is.
// Never: a stack trace, a stack overflow, an out-of-memory crash, a hang, an internal error, partial output.
import { parseAllDocuments } from 'yaml';

const FORBIDDEN_ON_STDERR = [
  [/\n\s+at [^\n]*:\d+:\d+\)?/, 'a JavaScript stack trace'],
  [/RangeError|Maximum call stack size exceeded/, 'a stack overflow'],
  [/heap out of memory|FATAL ERROR|Allocation failed/, 'an out-of-memory crash'],
  [/internal error/i, 'an internal error (exit 3: a bug)'],
  [/TypeError|ReferenceError|SyntaxError: /, 'an uncaught JavaScript error'],
];

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes) {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Splits a stream at column-0 `---` lines (an independent reading of the format, kept simple on purpose). */
export function documentsOf(text) {
  const docs = [];
  let start = 0;
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    if (m.index === 0) continue;
    docs.push(text.slice(start, m.index));
    start = m.index;
  }
  if (text.length > 0) docs.push(text.slice(start));
  return docs;
}

/** Big documents are parsed without yaml's duplicate-key check, which is quadratic in a mapping's size. */
const parseOptions = (text) => ({ uniqueKeys: text.length < 1_000_000 });

function parsesCleanly(text) {
  try {
    return parseAllDocuments(text, parseOptions(text)).every((d) => d.errors.length === 0);
  } catch {
    return false;
  }
}

function toJsAll(text) {
  try {
    if (text.length >= 1_000_000) return undefined; // textual checks only: a deep comparison costs more than the run
    const docs = parseAllDocuments(text, parseOptions(text));
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
    return docs.map((d) => d.toJS({ maxAliasCount: 1000 }));
  } catch {
    return undefined; // alias bombs and the like: no semantic comparison, the textual checks still apply
  }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map);

/** Keys under which render may write: images, pull secrets, the operator ConfigMap's eck.yaml. */
function mayChangeAt(path) {
  const last = path[path.length - 1];
  return last === 'image' || path.includes('imagePullSecrets') || last === 'eck.yaml';
}

function onlyRenderAdditions(value, path) {
  if (mayChangeAt(path)) return true;
  if (isObject(value)) return Object.entries(value).every(([k, v]) => onlyRenderAdditions(v, [...path, k]));
  return false;
}

/** Differences between a document before and after render that render is not allowed to make. */
export function foreignChanges(before, after, path = [], found = []) {
  if (found.length >= 5) return found;
  if (Object.is(before, after)) return found;
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (!(key in after)) found.push(`removed ${[...path, key].join('.')}`);
      else if (!(key in before)) {
        if (!onlyRenderAdditions(after[key], [...path, key])) found.push(`added ${[...path, key].join('.')}`);
      } else foreignChanges(before[key], after[key], [...path, key], found);
    }
    return found;
  }
  if (mayChangeAt(path)) return found;
  // An empty slot (`podTemplate:` / `podTemplate: null`) filled with what render may add (pull secrets).
  if ((before === null || before === undefined) && onlyRenderAdditions(after, path)) return found;
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, i) => foreignChanges(item, after[i], [...path, String(i)], found));
    return found;
  }
  // The operator's --container-registry=… style flags follow the mirror too.
  if (
    typeof before === 'string' &&
    typeof after === 'string' &&
    before.startsWith('--container-') &&
    after.startsWith('--container-')
  )
    return found;
  if (before instanceof Date && after instanceof Date && before.getTime() === after.getTime()) return found;
  if (typeof before === 'number' && Number.isNaN(before) && Number.isNaN(after)) return found;
  found.push(
    `changed ${path.join('.') || '(document)'}: ${JSON.stringify(before)?.slice(0, 80)} → ${JSON.stringify(after)?.slice(0, 80)}`,
  );
  return found;
}

/** Where each workload kind holds its pod spec (the paths Kubernetes reads; anything else is no pod spec). */
const POD_SPEC_PATHS = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
const SOURCE_IMAGE = /^docker\.elastic\.co(?::443)?\//i;

/** Source-registry images left in a workload's pod spec, and an eck.yaml that is not a YAML mapping. */
export function failOpen(doc) {
  const found = [];
  if (!isObject(doc)) return found;
  if (doc.kind === 'ConfigMap' && isObject(doc.data) && typeof doc.data['eck.yaml'] === 'string') {
    for (const version of ['1.2', '1.1']) {
      const parsed = parseAllDocuments(doc.data['eck.yaml'], { version });
      const first = parsed[0];
      const bad =
        parsed.length > 1 ||
        (first && (first.errors.length > 0 || (first.contents !== null && !isObject(first.toJS()))));
      if (bad) found.push(`eck.yaml is not a YAML mapping (YAML ${version})`);
    }
  }
  const path = Object.hasOwn(POD_SPEC_PATHS, doc.kind) ? POD_SPEC_PATHS[doc.kind] : undefined;
  if (!path) return found;
  let podSpec = doc;
  for (const key of path) podSpec = isObject(podSpec) ? podSpec[key] : undefined;
  if (!isObject(podSpec)) return found;
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    if (!Array.isArray(podSpec[list])) continue;
    for (const c of podSpec[list]) {
      if (isObject(c) && typeof c.image === 'string' && SOURCE_IMAGE.test(c.image))
        found.push(`${doc.kind}: ${c.image} left on the source registry (fail open)`);
    }
  }
  return found;
}

/**
 * Every way one run breaks the contract; an empty list when it holds.
 * `run`: { exitCode, signal, timedOut, stdout: Buffer, stderr: string }; `input`: the bytes given on stdin.
 */
export function contractViolations(input, run) {
  const problems = [];
  if (run.timedOut) return ['hang: no exit within the time limit'];
  if (run.signal) problems.push(`killed by ${run.signal} (a crash)`);
  for (const [pattern, what] of FORBIDDEN_ON_STDERR) {
    if (pattern.test(run.stderr)) problems.push(`stderr shows ${what}`);
  }
  if (run.signal) return problems;
  if (![0, 1, 2].includes(run.exitCode)) problems.push(`exit code ${run.exitCode} (only 0, 1 and 2 are expected)`);
  if (run.exitCode !== 0) {
    if (run.stdout.length > 0)
      problems.push(`exit ${run.exitCode} with ${run.stdout.length} bytes on stdout (partial output)`);
    const message = run.stderr.trim();
    if (message.length === 0) problems.push('failed without a message on stderr');
    if (!message.startsWith('eck-airgap: ')) problems.push('the message on stderr does not start with "eck-airgap: "');
    if (message.split('\n').length > 4 || message.length > 1500)
      problems.push('the message on stderr is not one short paragraph');
    if (run.exitCode === 1 && !/document \d+|line \d+|stdin|byte \d+|\.ya?ml/.test(message))
      problems.push('the message does not say where the problem is');
    return problems;
  }
  const inText = decodeUtf8(input);
  if (inText === undefined) return [...problems, 'exit 0 on input that is not valid UTF-8'];
  const outText = decodeUtf8(run.stdout);
  if (outText === undefined) return [...problems, 'exit 0 with output that is not valid UTF-8'];
  const before = documentsOf(inText);
  const after = documentsOf(outText);
  if (before.length !== after.length) {
    return [...problems, `${before.length} document(s) in, ${after.length} out (a document dropped, split or merged)`];
  }
  // Changed documents are re-parsed and compared in depth; on huge streams, the first 200 of them (the rest are
  // still checked for being present, in order, and unchanged where render left them).
  let deepChecks = inText.length < 2_000_000 ? Infinity : 200;
  for (let i = 0; i < before.length; i++) {
    const a = before[i];
    const b = after[i];
    if (a === b) continue;
    if (deepChecks-- <= 0) continue;
    const where = `document ${i + 1}`;
    if (!parsesCleanly(b)) problems.push(`${where}: changed, and no longer valid YAML`);
    if (!parsesCleanly(a)) problems.push(`${where}: invalid YAML in the input, yet rewritten instead of rejected`);
    const jsA = toJsAll(a);
    const jsB = toJsAll(b);
    if (jsA && jsB) {
      if (jsA.length !== jsB.length) problems.push(`${where}: ${jsA.length} YAML document(s) became ${jsB.length}`);
      else jsA.forEach((doc, k) => problems.push(...foreignChanges(doc, jsB[k]).map((p) => `${where}: ${p}`)));
    }
  }
  // Nothing fails open (issue 15): no container of a workload that render passed keeps a source-registry image, and
  // every eck.yaml render wrote is a YAML mapping. Only documents that name the source registry or eck.yaml are parsed.
  for (let i = 0; i < after.length && inText.length < 2_000_000; i++) {
    const b = after[i];
    if (!/docker\.elastic\.co|eck\.yaml/i.test(b)) continue;
    for (const doc of toJsAll(b) ?? []) problems.push(...failOpen(doc).map((p) => `document ${i + 1}: ${p}`));
  }
  // Whole-stream check on inputs of fuzzing size (yaml's duplicate-key check is quadratic in a mapping's size).
  if (inText.length < 2_000_000 && parsesCleanly(inText) && !parsesCleanly(outText))
    problems.push('valid YAML in, invalid YAML out');
  return problems;
}
