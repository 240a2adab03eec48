/**
 * mirror's failed copies as one paragraph per distinct cause (src/registry/cause-report.ts): skopeo's text
 * classified (src/registry/failure-cause.ts) at the registry it names — the copy's source or its destination — with
 * the credentials skopeo would have used for that host, so a refused password names its auth file and user.
 */
import { parseReference } from '../image/reference.js';
import { authFileCandidates, loadCredentials, type CredentialLookup } from '../registry/auth-file.js';
import { causeParagraphs, type Hit } from '../registry/cause-report.js';
import { classifyFailure, type CredentialContext } from '../registry/failure-cause.js';
import { transient } from './skopeo.js';

export interface FailedCopy {
  /** The image as the user knows it. */
  readonly name: string;
  /** skopeo transport references (`docker://…`, `oci:DIR:REF`). */
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly timedOut?: boolean | undefined;
  readonly attempts?: number | undefined;
}

export interface ReportContext {
  readonly authfile: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutS: number;
}

const hostOf = (transportRef: string): string | undefined =>
  transportRef.startsWith('docker://') ? parseReference(transportRef.slice('docker://'.length))?.domain : undefined;

/** The auth files skopeo reads (as verify does), looked up only when a registry asked for credentials. */
function credentialContext(authfile: string | undefined, env: NodeJS.ProcessEnv): CredentialContext {
  let lookup: CredentialLookup | undefined;
  return {
    files: authFileCandidates(authfile, env).files,
    lookup: (host) => {
      try {
        lookup ??= loadCredentials(authfile, env);
        return lookup(host);
      } catch {
        // an auth file that cannot be read: skopeo said so itself, or used none
        return undefined;
      }
    },
  };
}

export function mirrorFailureReport(failed: readonly FailedCopy[], context: ReportContext): string {
  const credentials = credentialContext(context.authfile, context.env);
  const hits: Hit[] = failed.map((f) => {
    const fromHost = hostOf(f.from);
    const toHost = hostOf(f.to);
    // skopeo names the host it failed at; when it does not, its words tell the side
    const fallback =
      (/destination|writing|uploading/i.test(f.reason) && !/the source cannot be read/.test(f.reason)
        ? (toHost ?? fromHost)
        : (fromHost ?? toHost)) ?? '';
    const cause = classifyFailure(f.reason, fallback, credentials, f.timedOut === true);
    // the side: the source when mirror could not read it (the mirror may stand in for it through
    // --registries-conf, so the host alone cannot tell), else the host skopeo names
    const source = /^the source cannot be read/.test(f.reason) || cause.host === '' || cause.host !== toHost;
    let fix: string | undefined;
    if (f.timedOut)
      fix = `it did not finish within --timeout ${context.timeoutS} s and skopeo was stopped: check that the registry answers, or raise --timeout for a large image on a slow link`;
    else if (cause.kind === 'other' && transient(f.reason))
      fix = `the registry kept failing (tried ${f.attempts ?? 1} times); run mirror again later: it copies only what is missing`;
    return { image: f.name, cause, source, ...(fix ? { fix } : {}) };
  });
  return causeParagraphs(hits, 'mirror');
}
