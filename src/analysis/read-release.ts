/** Reads every input of the stream once, for the analysis (the render core's split, classify and parse). */
import { readStream, type RenderInput } from '../render/render-stream.js';
import { labelText } from '../render/parse-segment.js';
import { operatorModel, type OperatorModel } from '../operator/operator-model.js';

export type ParsedDocument = ReturnType<typeof readStream>['parsed'][number];

export function readRelease(inputs: readonly RenderInput[]): ParsedDocument[] {
  return inputs.flatMap((input) => readStream(input).parsed);
}

/** The operator of a read release (the same model render builds). */
export function operatorOfRelease(parsed: readonly ParsedDocument[], eckVersion: string | undefined): OperatorModel {
  return operatorModel(parsed.map((p) => ({ doc: p.doc, label: labelText(p.label) })), eckVersion);
}
