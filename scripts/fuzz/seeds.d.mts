// Types for scripts/fuzz/seeds.mjs.
export interface Seed {
  name: string;
  text: string;
}
export declare const upstreamDir: string;
export declare const handMadeDir: string;
export declare function handMadeSeeds(): Seed[];
export declare function upstreamSeeds(maxBytes?: number): Seed[];
export declare function chartSeeds(): Seed[];
export declare function allSeeds(): { seeds: Seed[]; upstreamPresent: boolean; upstreamCount: number };
