// Types for scripts/fuzz/mutations.mjs.
import type { Arbitrary } from 'fast-check';
export type Mutation = { op: string; at?: number; [key: string]: unknown };
export interface FuzzCase {
  seed: number;
  mutations: Mutation[];
}
export declare const mutationArb: Arbitrary<Mutation>;
export declare function caseArb(seedCount: number, max?: number): Arbitrary<FuzzCase>;
export declare function applyMutations(seedText: string, mutations: readonly Mutation[]): Buffer;
export declare const argsArb: Arbitrary<string[]>;
