/**
 * Where `mirror` calls the signature carry (src/signatures/carry.ts): after an image is copied (or found already
 * there), its signatures follow it the same way; a signature that is there but cannot be carried fails the image.
 */
import { InputError } from '../errors.js';
import type { SkopeoOptions } from '../mirror/skopeo.js';
import {
  carryFromLayout,
  carryToLayout,
  carryToRegistry,
  recordedSignatures,
  type CarriedSignature,
  type SignatureCarry,
} from './carry.js';

export interface CarryJob {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly ref?: string;
  readonly signatures?: readonly CarriedSignature[];
}

/** `upstream`: --to-dir, the source's digest when the copy knew it. */
export function carryFor(
  job: CarryJob,
  options: SkopeoOptions,
  toDir: string | undefined,
  fromDir: string | undefined,
  upstream?: string,
): Promise<SignatureCarry> {
  if (fromDir !== undefined) return carryFromLayout(options, fromDir, job.to, job.signatures ?? []);
  if (toDir !== undefined) return carryToLayout(options, job.from, toDir, job.ref!, upstream);
  return carryToRegistry(options, job.from, job.to);
}

/** --from-dir: the signatures an entry of the record lists (bad input when malformed). */
export function signaturesOfEntry(file: string, entry: { source: string }): CarriedSignature[] {
  const s = recordedSignatures(entry);
  if (typeof s === 'string')
    throw new InputError(
      `${file}: ${entry.source}: ${s}; the directory was not written by eck-airgap mirror --to-dir, or was changed since.`,
    );
  return s;
}

/** The summary's signature line. */
export function signatureSummary(carries: readonly (SignatureCarry | undefined)[]): string {
  const done = carries.filter((c): c is SignatureCarry => c !== undefined);
  if (done.length === 0) return '';
  const sigs = done.reduce((n, c) => n + c.carried.length, 0);
  const unsignedImages = done.filter((c) => c.carried.length === 0).length;
  return `eck-airgap: signatures: ${sigs} signature manifest${sigs === 1 ? '' : 's'} carried; ${unsignedImages} image${unsignedImages === 1 ? '' : 's'} without any (cosign's sha256-<digest>.sig tags; check with verify --key).\n`;
}
