/**
 * Why an image could not be read or written, as one of a few causes a person can act on — shared by `mirror`
 * (skopeo's error text) and `verify` (this folder's registry client: its status and detail). The cause names the
 * registry host it is about; the report (src/registry/cause-report.ts) prints one paragraph per cause and host,
 * with the fix that fits it.
 *
 * The patterns are what skopeo 1.9.3 (containers/image 5.23, Go 1.19) and Node's TLS / DNS / socket errors really
 * print: test/registry/fixtures/skopeo-1.9.3-causes.json holds skopeo's lines as captured against the real
 * docker-registry (test/registry/skopeo-causes.test.ts says how).
 */
import { escapeControl } from '../text/escape.js';

export type CauseKind =
  /** The certificate is signed by a CA this machine does not trust (a CA file fixes it). */
  | 'tls-unknown-ca'
  /** The certificate names other hosts (a CA cannot fix it). */
  | 'tls-host-name'
  /** The certificate has expired or is not valid yet. */
  | 'tls-expired'
  /** HTTPS asked of a plain-HTTP registry, or plain HTTP of an HTTPS one (`detail`: which the registry speaks). */
  | 'http-vs-https'
  /** 401: refined with the auth files into credentials-refused / no-credentials. */
  | 'unauthorized'
  | 'credentials-refused'
  | 'no-credentials'
  /** The host name cannot be resolved (or no resolver can be reached). */
  | 'dns'
  | 'connection-refused'
  | 'timeout'
  | 'not-found'
  | 'denied'
  /** verify: an index without a platform asked for. */
  | 'platform-missing'
  /** verify: bytes that do not hash to their digest, or no manifest. */
  | 'invalid-answer'
  | 'other';

export interface Cause {
  readonly kind: CauseKind;
  /** The registry it is about (host[:port]); '' when no host could be told. */
  readonly host: string;
  /**
   * What sets two causes of one kind and host apart, or what the fix needs: the names a certificate holds
   * (tls-host-name), `http` / `https` (http-vs-https), the auth file and user (credentials-refused), the auth files
   * searched (no-credentials), the first meaningful line (other). Escaped for a terminal.
   */
  readonly detail: string;
  /** The tool's own words, one line, escaped: quoted in the paragraph. */
  readonly said: string;
}

/** The credentials a tool would use for a host, and the auth files it searched (src/registry/auth-file.ts). */
export interface CredentialContext {
  readonly lookup: (host: string) => { readonly username: string; readonly file: string } | undefined;
  readonly files: readonly string[];
}

const PATTERNS: readonly (readonly [CauseKind, RegExp])[] = [
  // TLS first: its messages also say "Get …" and "dial tcp"
  [
    'tls-host-name',
    /x509: certificate is valid for|x509: cannot validate certificate for|doesn't contain any IP SANs|certificate is not valid for any names|Hostname\/IP does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID/i,
  ],
  ['tls-expired', /certificate has expired|not yet valid|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/i],
  [
    'tls-unknown-ca',
    /certificate signed by unknown authority|unable to verify the first certificate|self[- ]signed certificate|unable to get (local )?issuer certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|TLS certificate not trusted/i,
  ],
  [
    'http-vs-https',
    /server gave HTTP response to HTTPS client|wrong version number|packet length too long|HTTP request to an HTTPS server|TLS handshake failed/i,
  ],
  [
    'dns',
    /\blookup \S+ on \S+|\blookup \S+: |no such host|getaddrinfo|ENOTFOUND|EAI_AGAIN|no suitable address found|server misbehaving|Temporary failure in name resolution/i,
  ],
  ['connection-refused', /connection refused|ECONNREFUSED/i],
  [
    'timeout',
    /i\/o timeout|TLS handshake timeout|context deadline exceeded|Client\.Timeout|no complete answer within|no answer in time|no end to the copy in time|ETIMEDOUT/i,
  ],
  [
    'unauthorized',
    /unauthorized|authentication required|invalid username\/password|wants a user name and password|wants a token|refused the user name and password|no credentials found|none found in the auth file|\b401\b/i,
  ],
  ['denied', /\bdenied\b|forbidden|insufficient_scope|\b403\b|refused the token/i],
  [
    'not-found',
    /manifest unknown|name unknown|blob unknown to registry|not found|\b404\b|NAME_UNKNOWN|MANIFEST_UNKNOWN/i,
  ],
];

/** Where the failing host is named in skopeo's and the client's messages, most specific first. */
const HOSTS: readonly RegExp[] = [
  /pinging container registry ([^\s:]+(?::\d+)?)/,
  /reading manifest \S+ in ([^/\s]+)\//,
  /exists in ([^/\s]+)\//,
  /\b(?:Get|Head|Put|Post|Patch) "https?:\/\/([^/"]+)/,
  /\blookup ([^\s:]+)/,
  /getaddrinfo \w+ ([^\s:]+)/,
  /dial tcp ((?:\[[^\]]+\]|[^\s:]+):\d+)/,
  /connect \w+ ((?:\[[^\]]+\]|[\d.]+):\d+)/,
  /docker:\/\/([^/\s]+)\//,
];

export function hostOfText(text: string): string | undefined {
  for (const re of HOSTS) {
    const m = re.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

/** skopeo's (or the client's) text reduced to its meaningful line: the last `msg="…"` or line, one line, escaped. */
export function firstMeaningfulLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const fatal = [...lines].reverse().find((l) => /level=(fatal|error)/.test(l));
  // skopeo's logrus line, or a message already decoded (real line breaks: one message over several lines)
  const line = fatal ?? lines.join(' ');
  const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(line);
  // a Go-quoted msg: quotes, backslashes and line breaks decoded; any other escape is kept as written (printable)
  const body = (msg ? msg[1]!.replace(/\\([\\"nt])/g, (_m, c: string) => (c === 'n' || c === 't' ? ' ' : c)) : line)
    .replace(/\s+/g, ' ')
    .trim();
  return escapeControl(body.length > 400 ? `${body.slice(0, 400)}…` : body);
}

/** The wrappers that name one image or blob (removed anywhere in a line whose cause no pattern knows, too). */
const IMAGE_WRAPPERS: readonly string[] = [
  'Error parsing image name "[^"]*": ',
  'initializing (?:source|destination) \\S+: ',
  'copying image \\d+\\/\\d+ from manifest list: ',
  'trying to reuse blob \\S+ at destination: ',
  'checking whether a blob \\S+ exists in \\S+: ',
];

/** The wrappers skopeo (containers/image) puts around a cause, each naming one image, blob or URL. */
const WRAPPERS: readonly RegExp[] = [
  /^the source cannot be read: /,
  ...IMAGE_WRAPPERS.map((source) => new RegExp(`^${source}`)),
  /^reading manifest \S+ in \S+: /,
  /^pinging container registry [^\s:]+(?::\d+)?: /,
  /^(?:Get|Head|Put|Post|Patch) "[^"]*": /,
  /^dial tcp: /,
  /^[^\s:]+(?::\d+)?: (?=TLS |getaddrinfo |connect |no complete answer)/,
];

const ANY_IMAGE_WRAPPER = new RegExp(IMAGE_WRAPPERS.join('|'), 'g');

/** A cause without the wrappers naming one image: the same words for every image it hit. */
export function coreOf(line: string): string {
  let text = line;
  for (let changed = true; changed;) {
    changed = false;
    for (const re of WRAPPERS) {
      const next = text.replace(re, '');
      if (next !== text && next !== '') {
        text = next;
        changed = true;
      }
    }
  }
  return text;
}

/** The image-specific wrappers only, for a cause no pattern knows (its words kept otherwise). */
function withoutImage(line: string): string {
  return line.replace(ANY_IMAGE_WRAPPER, '');
}

/** What a certificate names, from Go's and Node's host-name errors (for the fix: reach it by one of them). */
function certificateNames(text: string): string {
  const go = /certificate is valid for ([^"\n]+?), not ([^\s"]+)/.exec(text);
  if (go) return go[1]!.replace(/\s+/g, ' ');
  const node =
    /is not in the cert's list: ([^"\n]*)/.exec(text) ??
    /altnames: [^:]+: \S+ is not in the cert's list: ([^\n"]*)/.exec(text);
  if (node && node[1]!.trim() !== '') return node[1]!.trim();
  if (/doesn't contain any IP SANs/.test(text)) return 'host names only, no IP address';
  return '';
}

/** The kind the text alone tells (skopeo's stderr, or a client detail), and the line to quote. */
export function classifyText(text: string): { kind: CauseKind; said: string } {
  const said = firstMeaningfulLine(text);
  for (const [kind, re] of PATTERNS) if (re.test(text)) return { kind, said };
  return { kind: 'other', said };
}

/**
 * The cause of a failure given as text: `fallbackHost` when the text names none; 401s refined with the
 * credentials the tool had for the host (refused when there were some, none found otherwise).
 */
export function classifyFailure(
  text: string,
  fallbackHost: string,
  credentials?: CredentialContext,
  timedOut = false,
): Cause {
  const { kind: raw, said: line } = timedOut
    ? { kind: 'timeout' as const, said: firstMeaningfulLine(text) }
    : classifyText(text);
  const host = escapeControl(hostOfText(text) ?? fallbackHost);
  const said = raw === 'other' || raw === 'timeout' ? withoutImage(line) : coreOf(line);
  return refine(raw, host, said, text, credentials);
}

function refine(raw: CauseKind, host: string, said: string, text: string, credentials?: CredentialContext): Cause {
  switch (raw) {
    case 'tls-host-name':
      return { kind: raw, host, said, detail: escapeControl(certificateNames(text)) };
    case 'http-vs-https':
      return {
        kind: raw,
        host,
        said,
        detail: /HTTP request to an HTTPS server/i.test(text) ? 'https' : 'http',
      };
    case 'unauthorized': {
      const refused = /refused the user name and password of (.+?) \(user (.+?)\)/.exec(text);
      if (refused) return { kind: 'credentials-refused', host, said, detail: `${refused[1]} (user ${refused[2]})` };
      const found = credentials?.lookup(host);
      if (found && !/none found|no credentials found/i.test(text))
        return {
          kind: 'credentials-refused',
          host,
          said,
          detail: escapeControl(`${found.file} (user ${found.username})`),
        };
      return { kind: 'no-credentials', host, said, detail: escapeControl((credentials?.files ?? []).join(', ')) };
    }
    case 'other':
      return { kind: raw, host, said, detail: said };
    default:
      return { kind: raw, host, said, detail: '' };
  }
}

/** verify's side: the client's status and detail for one image (src/registry/verify-image.ts). */
export function causeOfStatus(status: string, detail: string, host: string, credentials?: CredentialContext): Cause {
  const said = coreOf(firstMeaningfulLine(detail));
  const safeHost = escapeControl(host);
  if (status === 'missing') return { kind: 'not-found', host: safeHost, said, detail: '' };
  if (status === 'platform missing') return { kind: 'platform-missing', host: safeHost, said, detail: '' };
  if (status === 'invalid answer') return { kind: 'invalid-answer', host: safeHost, said, detail: '' };
  const { kind } = classifyText(detail);
  if (status === 'unauthorized') {
    if (/refused the token|no pull access|\bHTTP 403\b/i.test(detail))
      return { kind: 'denied', host: safeHost, said, detail: '' };
    if (/were not sent to its token server|over plain HTTP; not sent|unsupported authentication/i.test(detail))
      return { kind: 'other', host: safeHost, said, detail: said };
    return refine('unauthorized', safeHost, said, detail, credentials);
  }
  return refine(kind === 'unauthorized' ? 'other' : kind, safeHost, said, detail, credentials);
}
