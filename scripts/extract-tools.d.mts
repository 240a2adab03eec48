// Types for scripts/extract-tools.mjs (imported by the TypeScript test set-up and helpers).
export type ToolName = 'helm3' | 'helm4' | 'kubectl';
export declare const repoRoot: string;
export declare const tools: Record<ToolName, { zip: string; entry: string; dest: string }>;
export declare function toolPath(name: ToolName, root?: string): string;
export declare function extractTool(name: ToolName, root?: string): string;
export declare function extractTools(root?: string): Record<ToolName, string>;
