/**
 * Failures as one paragraph per distinct cause (src/registry/failure-cause.ts: kind, registry host, detail), for
 * `mirror` and `verify` alike: what happened at which registry, in the tool's own words once, the images it hit (all
 * of them up to MAX_LISTED, then "and K more"), and the fix that fits the cause — given once, never per image.
 */
import { escapeControl } from '../text/escape.js';
import type { Cause } from './failure-cause.js';

export type Tool = 'mirror' | 'verify';

export interface Hit {
  /** The image as the user knows it (mirror: the upstream name; verify: the name on the mirror). */
  readonly image: string;
  readonly cause: Cause;
  /** What differs per image within one cause (verify: which platform is missing), printed after its name. */
  readonly note?: string;
  /** mirror: the failing registry is the copy's source (true) or its destination. */
  readonly source?: boolean;
  /** A fix that replaces the cause's own (mirror: the --timeout it ran under, the attempts it made). */
  readonly fix?: string;
}

/** Images listed per paragraph; the rest are counted. */
export const MAX_LISTED = 20;

function what(c: Cause, tool: Tool): string {
  const h = c.host === '' ? 'the registry' : c.host;
  switch (c.kind) {
    case 'tls-unknown-ca':
      return `the TLS certificate of ${h} is signed by a CA this machine does not trust`;
    case 'tls-host-name':
      return `the TLS certificate of ${h} is not for that name${c.detail ? ` (it is for ${c.detail})` : ''}`;
    case 'tls-expired':
      return `the TLS certificate of ${h} has expired or is not valid yet`;
    case 'http-vs-https':
      return c.detail === 'https' ? `${h} speaks HTTPS, not plain HTTP` : `${h} speaks plain HTTP, not HTTPS`;
    case 'credentials-refused':
      return `${h} refused the user name and password of ${c.detail}`;
    case 'no-credentials':
      return `${h} wants a user name and password, and none for it was found${c.detail ? ` in ${c.detail}` : ''}`;
    case 'dns':
      return `the host name ${h} cannot be resolved from here (DNS)`;
    case 'connection-refused':
      return `nothing answers at ${h} (connection refused)`;
    case 'timeout':
      return `${h} gave no answer in time`;
    case 'not-found':
      return tool === 'verify' ? `missing on ${h}` : `not found on ${h}`;
    case 'denied':
      return `${h} denies access`;
    case 'platform-missing':
      return `a platform is missing on ${h}`;
    case 'invalid-answer':
      return `${h} gave an invalid answer`;
    case 'unauthorized':
      return `${h} refused access (unauthorized)`;
    case 'other':
      return c.said;
  }
}

function fix(c: Cause, tool: Tool, source: boolean | undefined): string {
  const h = c.host === '' ? 'the registry' : c.host;
  switch (c.kind) {
    case 'tls-unknown-ca':
      return tool === 'verify'
        ? 'give its CA with --ca-file FILE (PEM)'
        : `give its CA with --ca-file FILE (PEM; skopeo's --dest-cert-dir DIR holding it as ca.crt also works for the mirror), or install it as /etc/containers/certs.d/${h}/ca.crt`;
    case 'tls-host-name':
      return `a CA cannot fix this: reach the registry by a name its certificate holds (--registry, a mirrors entry, or the location in --registries-conf), or have its certificate issued for ${h}`;
    case 'tls-expired':
      return "renew the registry's certificate, and check this machine's clock; a CA cannot fix this";
    case 'http-vs-https':
      if (c.detail === 'https') return 'drop --plain-http (and give its CA with --ca-file if it is not trusted)';
      return tool === 'verify'
        ? 'a plain-HTTP registry needs --plain-http'
        : 'a plain-HTTP registry needs --plain-http (skopeo: --dest-tls-verify=false), or insecure = true in its --registries-conf entry';
    case 'credentials-refused': {
      const file = /^(.*) \(user [^)]*\)$/.exec(c.detail)?.[1] ?? 'FILE';
      return `log in again (skopeo login --authfile ${file} ${h}) or correct that entry, then run ${tool} again`;
    }
    case 'no-credentials':
      return `give an auth file with an entry for ${h}: --authfile FILE (skopeo login --authfile FILE ${h} writes one)`;
    case 'dns':
      return tool === 'verify'
        ? `check the name (--registry, a mirrors entry) and this machine's DNS; verify runs where the mirror can be reached`
        : `if this machine cannot reach ${h}, carry the images instead: mirror --to-dir DIR where it can, then mirror --from-dir DIR here; if a registry you can reach holds ${h}'s images, send ${h} to it with --registries-conf ([[registry]] prefix = "${h}", location = "…"); otherwise check the name and this machine's DNS`;
    case 'connection-refused':
      return `start the registry, or correct its host and port`;
    case 'timeout':
      return `check that ${h} is up and reachable from here (a proxy, a firewall), or raise --timeout`;
    case 'not-found':
      return tool === 'verify'
        ? 'copy them with eck-airgap mirror (with the same settings), then run verify again'
        : source === false
          ? 'run mirror again: it copies only what is missing'
          : 'check the names and tags; when a stand-in serves docker.elastic.co, point --registries-conf at it';
    case 'denied':
      return tool === 'verify' || source !== false
        ? `ask for pull access to these repositories on ${h} (for the user of the auth file)`
        : `ask for push access to these repositories on ${h} (for the user of the auth file)`;
    case 'platform-missing':
      return 'copy them again with eck-airgap mirror (it copies every platform), or give --platform with only the platforms your nodes run';
    case 'invalid-answer':
      return 'an invalid answer is bytes that do not hash to the digest asked for or announced, or that are no OCI / Docker manifest or index: such an image is not taken as present. Check the mirror (and any proxy in front of it), then copy the image again with eck-airgap mirror';
    case 'unauthorized':
      return 'give credentials for that registry with --authfile FILE';
    case 'other':
      return tool === 'verify'
        ? 'fix the cause, then run verify again'
        : 'run mirror again once the cause is fixed: it copies only what is missing';
  }
}

const keyOf = (c: Cause): string => `${c.kind}\n${c.host}\n${c.detail}`;

/** One paragraph per distinct cause, in the order the causes were first hit. */
export function causeParagraphs(hits: readonly Hit[], tool: Tool): string {
  const groups = new Map<string, Hit[]>();
  for (const hit of hits) groups.set(keyOf(hit.cause), [...(groups.get(keyOf(hit.cause)) ?? []), hit]);
  const verb = tool === 'mirror' ? 'failed' : 'not ready';
  let out = '';
  for (const group of groups.values()) {
    const first = group[0]!;
    const c = first.cause;
    const quoted = c.kind === 'other' || c.said === '' ? '' : `: ${c.said}`;
    const name = (h: Hit): string => `${escapeControl(h.image)}${h.note ? `: ${escapeControl(h.note)}` : ''}`;
    const head =
      group.length === 1
        ? `eck-airgap: ${verb}: ${name(first)}: ${what(c, tool)}${quoted}.\n`
        : `eck-airgap: ${verb}: ${group.length} images: ${what(c, tool)}${quoted}:\n${group
            .slice(0, MAX_LISTED)
            .map((h) => `    ${name(h)}\n`)
            .join('')}${group.length > MAX_LISTED ? `    and ${group.length - MAX_LISTED} more\n` : ''}`;
    out += `${head}  What to try: ${first.fix ?? fix(c, tool, first.source)}.\n`;
  }
  return out;
}
