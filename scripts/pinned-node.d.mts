// Types of scripts/pinned-node.mjs for the TypeScript tests.
export declare const PINNED_NODE_VERSION: string;
export declare const PINNED_NODE_SHA256: string;
export declare class PinnedNodeError extends Error {}
export declare function pinnedNode(): string;
export declare function unlinkBin(): void;
