/**
 * `--strict` (`strict`, ECK_AIRGAP_STRICT, the Argo CD parameter): after render or template has produced its
 * stream, the judgement of `eck-airgap check` (src/analysis/judge-release.ts, the same code) on that stream. Any
 * image a pod would pull from outside the mirror fails the run: exit 1, nothing on stdout, so Helm and Argo CD fail
 * the install or sync with this message instead of swallowing the report of a successful run.
 */
import { judgeRelease, offenderAdvice, offenderLines, unseenAdvice } from '../analysis/judge-release.js';
import { readRelease } from '../analysis/read-release.js';
import type { Settings } from '../config/settings.js';

/** The paragraph to print when the rendered stream fails the judgement, else undefined. */
export function strictFailure(rendered: string, settings: Settings, label: string): string | undefined {
  if (!settings.strict) return undefined;
  const judgement = judgeRelease(readRelease([{ text: rendered, file: label }]), settings);
  if (judgement.offenders.length === 0 && judgement.unseen.length === 0) return undefined;
  if (judgement.offenders.length === 0) return `eck-airgap: strict: nothing written: ${unseenAdvice(judgement)}\n`;
  const n = judgement.offenders.length;
  return (
    `eck-airgap: strict: ${n} of ${judgement.uses.length} image uses would still be pulled from outside ${judgement.where}; nothing written:\n` +
    offenderLines(judgement)
      .map((line) => `  ${line}\n`)
      .join('') +
    `  ${offenderAdvice(judgement, { rendered: true })}\n`
  );
}
