/** Reads every input of the stream once, for the analysis (the one reader: split, classify, parse). */
import { labelText, readStream, type Parsed, type RenderInput } from '../stream/read-stream.js';
import { operatorModel, type OperatorModel } from '../operator/operator-model.js';

export type ParsedDocument = Parsed;

export function readRelease(inputs: readonly RenderInput[]): ParsedDocument[] {
  return inputs.flatMap((input) => readStream(input).parsed);
}

/** The operator of a read release (the same model render builds). */
export function operatorOfRelease(
  parsed: readonly ParsedDocument[],
  eckVersion: string | undefined,
  vouched: readonly string[] = [],
): OperatorModel {
  return operatorModel(
    parsed.map((p) => ({ doc: p.doc, label: labelText(p.label) })),
    eckVersion,
    vouched,
  );
}
