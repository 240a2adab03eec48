/**
 * Image references by the distribution/reference grammar (the one docker and containerd use):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path-component ( "/" path-component )*
 *   domain     := host [ ":" port ]         host := domain-name | IPv4 | "[" IPv6 "]"
 *   path-component := [a-z0-9]+ ( ( [_.] | __ | -+ ) [a-z0-9]+ )*
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex         algorithm := [A-Za-z][A-Za-z0-9]* ( [+._-] [A-Za-z][A-Za-z0-9]* )*
 *
 * with Docker Hub normalization: a first component is a domain only when it holds `.` or `:`, is `localhost`,
 * or has uppercase letters (as docker does); otherwise the domain is `docker.io`. `index.docker.io` is
 * `docker.io`, and a single-component path on `docker.io` gets `library/`.
 */

export interface ImageReference {
  /** registry host, optional port: 'docker.elastic.co', 'my.registry:5000', 'localhost:5000'; 'docker.io' for Docker Hub (also for short names) */
  domain: string;
  /** repository path without domain: 'elasticsearch/elasticsearch', 'library/nginx' for short 'nginx' */
  path: string;
  tag?: string | undefined;
  digest?: string | undefined; // 'sha256:…'
}

export const DOCKER_HUB_DOMAIN = 'docker.io';
const LEGACY_DOCKER_HUB_DOMAIN = 'index.docker.io';
const OFFICIAL_REPOSITORY_PREFIX = 'library/';
/** The longest name (domain and path, as written) the grammar allows. */
export const NAME_TOTAL_LENGTH_MAX = 255;
const MAX_HOST_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

/**
 * The key two registry hosts compare by: host names are case-insensitive, and 443 is the port a registry is
 * reached on when none is written (`DOCKER.ELASTIC.CO` and `docker.elastic.co:443` are docker.elastic.co).
 */
export function registryKey(domain: string): string {
  const lower = domain.toLowerCase();
  return lower.endsWith(':443') ? lower.slice(0, -4) : lower;
}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[[a-fA-F0-9:]+\\]';
const HOST = `(?:${DOMAIN_NAME}|${IPV6})`;
const DOMAIN = new RegExp(`^${HOST}(?::([0-9]+))?$`);
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*';
const PATH = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})$/;
/** Encoded lengths of the algorithms docker knows; their hex must also be lowercase. */
const KNOWN_DIGEST_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const IDENTIFIER = /^[a-f0-9]{64}$/;

function isValidDigest(text: string): boolean {
  const m = DIGEST.exec(text);
  if (!m) return false;
  const algorithm = m[1] ?? '';
  const hex = m[2] ?? '';
  const length = KNOWN_DIGEST_LENGTHS[algorithm];
  if (length === undefined) return true;
  return hex.length === length && /^[a-f0-9]+$/.test(hex);
}

/** True when the first component of a name is a registry host rather than the start of a Docker Hub path. */
function looksLikeDomain(component: string): boolean {
  return (
    component.includes('.') ||
    component.includes(':') ||
    component === 'localhost' ||
    component.toLowerCase() !== component
  );
}

/** Parses a reference; undefined when the text is not a valid reference (empty, uppercase path, spaces, bad digest, ...). */
export function parseReference(text: string): ImageReference | undefined {
  if (text.length === 0) return undefined;
  // A bare 64-hex string is an image ID, not a name (docker refuses it the same way).
  if (IDENTIFIER.test(text)) return undefined;

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isValidDigest(digest)) return undefined;
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }

  const name = rest;
  if (name.length === 0 || name.length > NAME_TOTAL_LENGTH_MAX) return undefined;

  let domain = DOCKER_HUB_DOMAIN;
  let path = name;
  const slash = name.indexOf('/');
  if (slash >= 0 && looksLikeDomain(name.slice(0, slash))) {
    domain = name.slice(0, slash);
    path = name.slice(slash + 1);
    if (!DOMAIN.test(domain)) return undefined;
  }
  if (!PATH.test(path)) return undefined;

  if (domain === LEGACY_DOCKER_HUB_DOMAIN) domain = DOCKER_HUB_DOMAIN;
  if (domain === DOCKER_HUB_DOMAIN && !path.includes('/')) path = OFFICIAL_REPOSITORY_PREFIX + path;

  const ref: ImageReference = { domain, path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** Prints the full normalized reference: domain/path[:tag][@digest]. */
export function formatReference(ref: ImageReference): string {
  return (
    `${ref.domain}/${ref.path}` +
    (ref.tag !== undefined ? `:${ref.tag}` : '') +
    (ref.digest !== undefined ? `@${ref.digest}` : '')
  );
}

/** The last path element ('elasticsearch' for 'elasticsearch/elasticsearch'). */
export function lastPathElement(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * True for a valid registry host with optional port (a DNS name or IPv4, or [IPv6], optional :port; 'localhost').
 * No scheme, no path. The host must also read as a registry in a reference (hold a `.` or a port, or be
 * `localhost`): `my-registry/elasticsearch/elasticsearch` would be pulled from Docker Hub. Ports are 1–65535.
 */
export function isRegistryHost(text: string): boolean {
  const m = DOMAIN.exec(text);
  if (!m) return false;
  // DNS bounds (253 characters, labels of 63), so that every image moved there still fits the 255 of a name.
  const host = m[1] === undefined ? text : text.slice(0, text.length - m[1].length - 1);
  if (
    host.length > MAX_HOST_LENGTH ||
    (!host.startsWith('[') && host.split('.').some((label) => label.length > MAX_LABEL_LENGTH))
  )
    return false;
  const port = m[1];
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return false;
  }
  return text.includes('.') || text.includes(':') || text === 'localhost';
}

/** A mirror destination 'host[:port][/path/prefix]' -> { domain, prefix } (prefix '' when none); undefined when invalid. */
export function parseMirrorTarget(text: string): { domain: string; prefix: string } | undefined {
  const slash = text.indexOf('/');
  const domain = slash < 0 ? text : text.slice(0, slash);
  const prefix = slash < 0 ? '' : text.slice(slash + 1);
  if (!isRegistryHost(domain)) return undefined;
  if (slash >= 0 && !PATH.test(prefix)) return undefined;
  return { domain, prefix };
}
