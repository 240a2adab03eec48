/**
 * The render pipeline: split the stream into documents → classify each from its raw text → parse only those
 * that can change → find the operator's configuration → plan edits per resource → splice them into the original
 * text → check that every changed document still parses. Unchanged documents are passed on as the same bytes.
 */
import type { Settings } from '../config/settings.js';
import { InputProblems } from '../input-problems.js';
import { mirrorDomains } from '../image/relocate.js';
import {
  addOperatorPieces,
  newOperatorPieces,
  operatorModelOf,
  operatorPiecesComplete,
  pullsFromAfterRender,
  pullsFromNow,
  type OperatorModel,
} from '../operator/operator-model.js';
import { mayHoldManager } from '../operator/one-operator.js';
import { parseIfReadable, scanStream, type Candidate, type RenderInput } from '../stream/read-stream.js';
import { joinFileParts, type ScannedStream } from '../stream/scan-stream.js';
import { splitAliasedEdits } from '../yaml/split-aliases.js';
import { applyEdits } from '../yaml/text-edit.js';
import { labelText, parseSegment, type DocumentLabel } from '../stream/parse-segment.js';
import { planResource, type DocumentWork, type RenderContext } from './plan-resource.js';
import { endIfRefused, settingContextOf, type PlanContext } from '../plan/resource-sites.js';
import { Report } from './report.js';
import { InputError } from '../errors.js';
import type { LockPins } from '../lock/pins.js';
import type { Document } from 'yaml';

export type { RenderInput } from '../stream/read-stream.js';

export interface RenderResult {
  /** The rendered stream as parts (the documents, edited or as they came): joined, they are `output`. */
  readonly parts: readonly string[];
  /** The rendered stream as one string (joined when first asked for: render writes the parts instead). */
  readonly output: string;
  readonly report: Report;
}

/** A result whose `output` is joined from its parts only when read. */
export function renderResult(parts: readonly string[], report: Report): RenderResult {
  let output: string | undefined;
  return {
    parts,
    report,
    get output() {
      output ??= parts.join('');
      return output;
    },
  };
}

/** A ConfigMap or Secret the operator may read (or a List of them). */
function mayHoldSettings(text: string): boolean {
  return text.includes('ConfigMap') || text.includes('Secret');
}

/** How many documents parsed while reading ahead for the operator wait, parsed, for the walk; the rest are parsed again. */
const READ_AHEAD_KEPT = 16;

/**
 * The operator of a stream, read before anything is planned: only documents that can hold it (the operator's
 * workload names its `eck-operator` image; ConfigMaps and Secrets it may read) are parsed for it, wherever they stand
 * in the stream; they are planned later without being parsed again. The whole stream is scanned, so that a second
 * operator further on is seen (and refused) even when the first is known early.
 */
function operatorOf(
  streams: readonly { candidates: readonly Candidate[] }[],
  parsed: Map<Candidate, Document>,
  settings: Settings,
): OperatorModel {
  const pieces = newOperatorPieces();
  let complete = false;
  for (const { candidates } of streams) {
    for (const candidate of candidates) {
      const text = candidate.text;
      // Once the operator is fully known, only a second operator can change the outcome (it is refused): the rest
      // of the stream is scanned for manager containers by their text, and only those few documents are parsed.
      if (complete ? candidate.settingsOnly || !mayHoldManager(text) : !mayHoldManager(text) && !mayHoldSettings(text))
        continue;
      const p = parseIfReadable(candidate);
      if (!p) continue;
      // Kept for the walk, a few only: a stream whose operator's configuration never appears is read to its end.
      if (parsed.size < READ_AHEAD_KEPT) parsed.set(candidate, p.doc);
      addOperatorPieces(pieces, { doc: p.doc, label: labelText(candidate.label) });
      complete ||= operatorPiecesComplete(pieces);
    }
  }
  return operatorModelOf(pieces, settings.eckVersion, settings.vouchedSources);
}

/** `lock`: the images lock of `settings.lock`, read by the caller (src/lock/ loads only when a lock is given). */
export function renderStream(inputs: readonly RenderInput[], settings: Settings, lock?: LockPins): RenderResult {
  return renderScanned(inputs.map(scanStream), settings, lock);
}

/** Renders streams already split and classified (their segments are replaced by the edited documents). */
export function renderScanned(streams: readonly ScannedStream[], settings: Settings, lock?: LockPins): RenderResult {
  if (settings.lock !== undefined && lock === undefined)
    throw new Error('render: settings name a lock the caller did not read');
  const report = new Report();
  const early = new Map<Candidate, Document>();
  const operator = operatorOf(streams, early, settings);
  for (const warning of operator.warnings) report.warn(warning);
  const container = pullsFromAfterRender(operator, settings);
  const plan: PlanContext = {
    container,
    containerBefore: pullsFromNow(operator),
    mirror: settings,
    writeDefaults: settings.setDefaultImages,
    releaseFrom: operator.releaseFrom,
    warn: (warning) => report.warn(warning),
    refusals: [],
    operator,
    writeSettings: true,
  };
  const ctx: RenderContext = {
    settings,
    operator,
    container,
    mirrorDomains: mirrorDomains(settings),
    report,
    plan,
    settingSites: settingContextOf(plan)!,
    ...(lock !== undefined ? { lock } : {}),
  };
  // A document that cannot be planned (a `versoin` typo) is named, and the walk goes on to name the others.
  const problems = new InputProblems();
  for (const { segments, candidates } of streams) {
    // One document at a time: parsed, planned, edited, checked, and let go.
    for (const candidate of candidates) {
      const doc = early.get(candidate) ?? parseIfReadable(candidate)?.doc;
      if (!doc) continue;
      early.delete(candidate);
      const work: DocumentWork = { text: candidate.text, doc, label: labelText(candidate.label), edits: [] };
      let planned = false;
      problems.run(() => {
        planResource(work, ctx, doc.contents);
        planned = true;
      });
      if (!planned || work.edits.length === 0) continue;
      const edited = applyEdits(
        candidate.text,
        dedupe(splitAliasedEdits(candidate.text, doc, work.edits, settings.imagePullSecrets)),
      );
      verify(edited, candidate.label);
      segments[candidate.index] = edited;
    }
  }
  problems.throwIfAny();
  // Every resource the operator refuses, named together; nothing is written.
  endIfRefused(ctx.plan);
  // An image the lock does not hold: nothing is written (render writes only what this returns).
  if (ctx.lock && ctx.lock.missing.length > 0) throw new InputError(ctx.lock.missingMessage());
  return renderResult(joinFileParts(streams.map((s) => s.segments)), report);
}

/** The same edit planned twice (a node reached through two aliases) is made once. */
function dedupe<T extends { start: number; end: number; text: string }>(edits: T[]): T[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.start}:${e.end}:${e.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An edited document must parse again; if it does not, that is a bug in render, never the user's input. */
function verify(text: string, label: DocumentLabel): void {
  try {
    parseSegment(text, label);
  } catch (error) {
    throw new Error(`internal error: the edited ${labelText(label)} no longer parses (${(error as Error).message})`);
  }
}
