/**
 * verify's images that are not ready, as one paragraph per distinct cause (src/registry/cause-report.ts): the
 * client's status and detail classified (src/registry/failure-cause.ts) at the image's registry, with the auth
 * files verify searched.
 */
import { parseReference } from '../image/reference.js';
import type { CredentialLookup } from './auth-file.js';
import { causeParagraphs, type Hit } from './cause-report.js';
import { causeOfStatus, type CredentialContext } from './failure-cause.js';

/** Per-image detail that differs within one cause, and is worth naming next to the image. */
const NOTED = new Set(['platform-missing', 'invalid-answer']);

export function verifyFailureReport(
  bad: readonly { readonly image: string; readonly status: string; readonly detail: string | null }[],
  credentials: CredentialLookup,
): string {
  const context: CredentialContext = { lookup: (host) => credentials(host), files: credentials.files ?? [] };
  const hits: Hit[] = bad.map((r) => {
    const cause = causeOfStatus(r.status, r.detail ?? '', parseReference(r.image)?.domain ?? '', context);
    return { image: r.image, cause, ...(NOTED.has(cause.kind) && r.detail ? { note: r.detail } : {}) };
  });
  return causeParagraphs(hits, 'verify');
}
