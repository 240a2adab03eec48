/** Reads every input of the stream once, for the analysis (the render core's split, classify and parse). */
import { readStream, type RenderInput } from '../render/render-stream.js';

export type ParsedDocument = ReturnType<typeof readStream>['parsed'][number];

export function readRelease(inputs: readonly RenderInput[]): ParsedDocument[] {
  return inputs.flatMap((input) => readStream(input).parsed);
}
