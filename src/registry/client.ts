/**
 * A small OCI distribution API client for one registry: manifests (GET/HEAD with the Accept headers for OCI
 * indexes and manifests and Docker manifest lists and v2 manifests) and config blobs, with anonymous, Basic and
 * Bearer access from the registry's `WWW-Authenticate` challenge.
 *
 * What it takes from a registry: nothing on its word. A manifest body is hashed and must match the digest asked
 * for and the Docker-Content-Digest announced, and must be an OCI / Docker manifest or index by media type and
 * shape (parseManifest); a blob read must hash to its digest; any answer that breaks the protocol (a realm that
 * is no HTTP(S) URL, a Location that is no URL, a token a header cannot carry, a body past its cap) is an
 * `invalid answer`, never an exception. Each call has one deadline (ClientOptions.timeoutMs) for all the requests
 * it makes: redirects and the token fetch included.
 *
 * Which hosts it contacts, and where credentials go:
 * - the registry itself; redirects are followed only within the same origin (scheme, host, port);
 * - a Bearer challenge's realm (the token server), which is on another host by design for many registries: it is
 *   contacted, but the registry's credentials are sent to it only when it is on the registry's own host name
 *   and over HTTPS (or loopback, or --plain-http). Otherwise a token is asked for anonymously, and credentials
 *   stored in the auth file under the realm's own host are used if there are any. Credentials never leave for
 *   a host they were not stored for, or that the registry does not share a name with.
 */
import { createHash } from 'node:crypto';
import type { CredentialLookup, Credentials } from './auth-file.js';
import { MAX_TOKEN_BODY, send, TransportError, type HttpResponse } from './http.js';

export const MANIFEST_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

const INDEX_TYPES: readonly string[] = [MANIFEST_TYPES.ociIndex, MANIFEST_TYPES.dockerList];
const IMAGE_TYPES: readonly string[] = [MANIFEST_TYPES.ociManifest, MANIFEST_TYPES.dockerManifest];

const ACCEPT = Object.values(MANIFEST_TYPES).join(', ');

/** The most entries an index may list for verify to follow it (documented in docs/mirror-and-verify.md). */
export const MAX_INDEX_ENTRIES = 1000;

/** A digest as the OCI image spec registers them; anything else a registry sends is an invalid answer. */
export const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export interface ClientOptions {
  readonly plainHttp: boolean;
  readonly ca: string[];
  /** The deadline of each request (connect, headers, body, and the token fetch it needs, together). */
  readonly timeoutMs: number;
  readonly credentials: CredentialLookup;
}

export type FailureStatus = 'missing' | 'unauthorized' | 'unreachable' | 'invalid answer';

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: FailureStatus; readonly detail: string };

type Failure = Extract<Outcome<unknown>, { ok: false }>;

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
  readonly annotations?: Readonly<Record<string, string>>;
}

/** What a manifest body is, once its media type and shape are checked. */
export type ManifestShape =
  | { readonly kind: 'index'; readonly manifests: readonly Descriptor[] }
  | { readonly kind: 'manifest'; readonly config: Descriptor; readonly layers: readonly Descriptor[] };

export interface Manifest {
  readonly mediaType: string;
  /** The digest of the bytes received (checked against the digest asked for and Docker-Content-Digest). */
  readonly digest: string;
  readonly body: Buffer;
  readonly shape: ManifestShape;
}

/** The digest of `bytes` with the algorithm `like` names (sha256 unless it is a sha512 digest). */
export function digestOf(bytes: Buffer, like?: string): string {
  const algorithm = like?.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** A registry's answer that is not what the protocol allows (bad digest, bad shape, bad realm, bad token). */
export class InvalidAnswer extends Error {}

const kindOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function descriptor(value: unknown, where: string): Descriptor | string {
  if (!isObject(value)) return `${where} is ${kindOf(value)}, not a descriptor`;
  const { mediaType, digest, size, platform, annotations } = value;
  if (typeof mediaType !== 'string') return `${where} has no mediaType`;
  if (typeof digest !== 'string' || !DIGEST.test(digest)) return `${where} has no valid digest`;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return `${where} has no valid size`;
  let p: Descriptor['platform'];
  if (platform !== undefined) {
    if (!isObject(platform) || typeof platform.os !== 'string' || typeof platform.architecture !== 'string')
      return `${where} has a platform without os and architecture`;
    if (platform.variant !== undefined && typeof platform.variant !== 'string')
      return `${where} has a platform variant that is not a string`;
    p = {
      os: platform.os,
      architecture: platform.architecture,
      ...(typeof platform.variant === 'string' && platform.variant !== '' ? { variant: platform.variant } : {}),
    };
  }
  const a = isObject(annotations)
    ? (Object.fromEntries(Object.entries(annotations).filter(([, v]) => typeof v === 'string')) as Record<
        string,
        string
      >)
    : undefined;
  return { mediaType, digest, size, ...(p ? { platform: p } : {}), ...(a ? { annotations: a } : {}) };
}

/**
 * Reads a manifest body as an OCI / Docker image manifest or index: a JSON object of schemaVersion 2 whose media
 * type (the body's `mediaType`, else the Content-Type) is one of MANIFEST_TYPES, an index with a `manifests`
 * list of descriptors (at most MAX_INDEX_ENTRIES), a manifest with a `config` descriptor and a `layers` list.
 * Returns the shape with its media type, or why it is not one.
 */
export function parseManifest(
  body: Buffer,
  contentType: string | undefined,
): { mediaType: string; shape: ManifestShape } | string {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return 'the manifest is not JSON';
  }
  if (!isObject(json)) return `the manifest is ${kindOf(json)}, not a JSON object`;
  const declared = json.mediaType;
  if (declared !== undefined && typeof declared !== 'string')
    return 'the manifest has a mediaType that is not a string';
  const header = (contentType ?? '').split(';')[0]!.trim();
  const mediaType = declared ?? header;
  if (json.schemaVersion !== 2)
    return `the manifest is not of schemaVersion 2 (media type ${JSON.stringify(mediaType)})`;
  if (INDEX_TYPES.includes(mediaType)) {
    if (json.config !== undefined || json.layers !== undefined) return 'the index also has config or layers';
    const list = json.manifests;
    if (!Array.isArray(list))
      return `the index's "manifests" is ${list === undefined ? 'missing' : kindOf(list)}, not a list`;
    if (list.length > MAX_INDEX_ENTRIES)
      return `the index lists ${list.length} entries, more than the ${MAX_INDEX_ENTRIES} eck-airgap verify follows`;
    const manifests: Descriptor[] = [];
    for (const [i, entry] of list.entries()) {
      const d = descriptor(entry, `index entry ${i}`);
      if (typeof d === 'string') return d;
      manifests.push(d);
    }
    return { mediaType, shape: { kind: 'index', manifests } };
  }
  if (!IMAGE_TYPES.includes(mediaType))
    return `the manifest has media type ${JSON.stringify(mediaType)}, not an OCI or Docker image manifest or index`;
  if (json.manifests !== undefined) return 'the image manifest also has "manifests"';
  const config = descriptor(json.config, 'the config');
  if (typeof config === 'string') return config;
  if (!Array.isArray(json.layers))
    return `the manifest's "layers" is ${json.layers === undefined ? 'missing' : kindOf(json.layers)}, not a list`;
  if (json.layers.length > MAX_INDEX_ENTRIES)
    return `the manifest lists ${json.layers.length} layers, more than the ${MAX_INDEX_ENTRIES} eck-airgap verify accepts`;
  const layers: Descriptor[] = [];
  for (const [i, entry] of json.layers.entries()) {
    const d = descriptor(entry, `layer ${i}`);
    if (typeof d === 'string') return d;
    layers.push(d);
  }
  return { mediaType, shape: { kind: 'manifest', config, layers } };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** `docker.io` is served from registry-1.docker.io. */
function apiHost(domain: string): string {
  return domain === 'docker.io' ? 'registry-1.docker.io' : domain;
}

interface TokenResult {
  readonly token: string | undefined;
  /** Set when the registry's credentials were kept from a token server on another host. */
  readonly withheld?: string;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenge(header: string | string[] | undefined): Challenge | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(text);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
    params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: m[1]!.toLowerCase(), params };
}

/** A token as RFC 6750 allows it in a header (visible ASCII); anything else (CR, LF, spaces) is not sent. */
const TOKEN = /^[\x21-\x7e]{1,16384}$/;

/** The one deadline of a request and the requests it makes (redirects, the token fetch). */
interface Deadline {
  readonly at: number;
  readonly label: string;
}

export class RegistryClient {
  private readonly origin: URL;
  private readonly tokens = new Map<string, Promise<TokenResult>>();
  private useBasic = false;
  /** The registry's last Bearer challenge: later requests ask for their token first, without an anonymous round trip. */
  private bearer?: Challenge;

  constructor(
    readonly domain: string,
    private readonly options: ClientOptions,
  ) {
    this.origin = new URL(`${options.plainHttp ? 'http' : 'https'}://${apiHost(domain)}`);
  }

  /** The auth files searched, for "none found in …". */
  private searched(): string {
    const files = this.options.credentials.files ?? [];
    return files.length === 0 ? 'the auth file' : `the auth file${files.length === 1 ? '' : 's'} ${files.join(', ')}`;
  }

  private creds(repository: string): Credentials | undefined {
    return this.options.credentials(this.domain, repository);
  }

  private deadline(): Deadline {
    return { at: Date.now() + this.options.timeoutMs, label: `${this.options.timeoutMs / 1000} s (--timeout)` };
  }

  private async raw(
    url: URL,
    method: 'GET' | 'HEAD',
    headers: Record<string, string>,
    deadline: Deadline,
  ): Promise<HttpResponse> {
    let current = url;
    for (let hop = 0; hop < 4; hop++) {
      const res = await send(current, {
        method,
        headers,
        ca: this.options.ca,
        deadline: deadline.at,
        deadlineLabel: deadline.label,
      });
      const location = res.headers.location;
      if (res.status < 300 || res.status >= 400 || !location) return res;
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new InvalidAnswer(
          `${this.domain}: redirected to ${JSON.stringify(location.slice(0, 200))}, which is not a URL`,
        );
      }
      if (next.origin !== this.origin.origin) {
        throw new TransportError(
          `${this.domain}: redirected to ${next.origin}, another host; eck-airgap verify contacts only the mirror`,
          'REDIRECT',
        );
      }
      current = next;
    }
    throw new TransportError(`${this.domain}: too many redirects`, 'REDIRECT');
  }

  /** A Bearer token for `scope` from the challenge's realm (cached per scope; a failed fetch is not kept). */
  private token(challenge: Challenge, repository: string, scope: string, deadline: Deadline): Promise<TokenResult> {
    const key = `${challenge.params.realm}\n${scope}`;
    let pending = this.tokens.get(key);
    if (!pending) {
      pending = this.fetchToken(challenge, repository, scope, deadline);
      this.tokens.set(key, pending);
      pending.catch(() => this.tokens.delete(key));
    }
    return pending;
  }

  private async fetchToken(
    challenge: Challenge,
    repository: string,
    scope: string,
    deadline: Deadline,
  ): Promise<TokenResult> {
    const given = challenge.params.realm ?? '';
    const shown = JSON.stringify(given.slice(0, 200));
    let realm: URL;
    try {
      realm = new URL(given);
    } catch {
      throw new InvalidAnswer(`${this.domain}: its token realm ${shown} is not an absolute URL`);
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:')
      throw new InvalidAnswer(`${this.domain}: its token realm ${shown} is not HTTP(S)`);
    if (realm.hostname === '') throw new InvalidAnswer(`${this.domain}: its token realm ${shown} names no host`);
    if (realm.username !== '' || realm.password !== '')
      throw new InvalidAnswer(`${this.domain}: its token realm holds a user name or password; not contacted`);
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', scope);
    const safeChannel = realm.protocol === 'https:' || LOOPBACK.test(realm.hostname) || this.options.plainHttp;
    const sameHost = realm.hostname === this.origin.hostname;
    const own = this.creds(repository);
    const credentials = sameHost && safeChannel ? own : this.options.credentials(realm.host);
    const withheld =
      own && !credentials
        ? `the credentials for ${this.domain} were not sent to its token server ${realm.host} (${sameHost ? 'not over HTTPS' : 'another host'}); add an entry for ${realm.host} to the auth file to use it`
        : undefined;
    const headers: Record<string, string> = {};
    if (credentials)
      headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    const res = await send(realm, {
      method: 'GET',
      headers,
      ca: this.options.ca,
      deadline: deadline.at,
      deadlineLabel: deadline.label,
      maxBytes: MAX_TOKEN_BODY,
    });
    if (res.status === 401 || res.status === 403) return { token: undefined, ...(withheld ? { withheld } : {}) };
    if (res.status !== 200)
      throw new TransportError(`${this.domain}: token server ${realm.host} answered HTTP ${res.status}`, 'TOKEN');
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new InvalidAnswer(`${this.domain}: token server ${realm.host} sent no JSON`);
    }
    const token = isObject(json) ? (json.token ?? json.access_token) : undefined;
    if (typeof token !== 'string' || token === '')
      throw new InvalidAnswer(`${this.domain}: token server ${realm.host} sent no token`);
    if (!TOKEN.test(token))
      throw new InvalidAnswer(
        `${this.domain}: token server ${realm.host} sent a token holding characters a header cannot carry (not sent)`,
      );
    return { token, ...(withheld ? { withheld } : {}) };
  }

  /** A request with whatever access the registry asks for; 401/403 after trying are returned as they are. */
  private async authorized(
    path: string,
    method: 'GET' | 'HEAD',
    accept: string | undefined,
    repository: string,
    deadline: Deadline,
  ): Promise<HttpResponse & { authDetail?: string }> {
    const url = new URL(path, this.origin);
    const base: Record<string, string> = accept ? { accept } : {};
    const scope = `repository:${repository}:pull`;
    const credentials = this.creds(repository);
    const basicHeader = credentials
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
      : undefined;
    // already known: a Basic registry, or a Bearer one (ask for this scope's token first)
    if (this.useBasic && basicHeader) return this.raw(url, method, { ...base, authorization: basicHeader }, deadline);
    if (this.bearer) {
      const known = await this.token(this.bearer, repository, scope, deadline);
      if (known.token) {
        const direct = await this.raw(url, method, { ...base, authorization: `Bearer ${known.token}` }, deadline);
        if (direct.status !== 401) return direct;
      }
    }
    const first = await this.raw(url, method, base, deadline);
    if (first.status !== 401) return first;
    const challenge = parseChallenge(first.headers['www-authenticate']);
    if (challenge?.scheme === 'basic') {
      if (!basicHeader)
        return {
          ...first,
          authDetail: `${this.domain} wants a user name and password (Basic); none found in ${this.searched()}`,
        };
      if (this.origin.protocol !== 'https:' && !LOOPBACK.test(this.origin.hostname) && !this.options.plainHttp) {
        return { ...first, authDetail: `${this.domain} wants a password over plain HTTP; not sent` };
      }
      this.useBasic = true;
      const again = await this.raw(url, method, { ...base, authorization: basicHeader }, deadline);
      return again.status === 401
        ? {
            ...again,
            authDetail: `${this.domain} refused the user name and password of ${credentials!.file} (user ${credentials!.username})`,
          }
        : again;
    }
    if (challenge?.scheme === 'bearer' && challenge.params.realm !== undefined) {
      this.bearer = challenge;
      const { token, withheld } = await this.token(challenge, repository, scope, deadline);
      if (!token) {
        return {
          ...first,
          authDetail:
            withheld ??
            (credentials
              ? `the token server refused the user name and password of ${credentials.file} (user ${credentials.username})`
              : `${this.domain} wants a token; no credentials found in ${this.searched()}`),
        };
      }
      const again = await this.raw(url, method, { ...base, authorization: `Bearer ${token}` }, deadline);
      if (again.status !== 401 && again.status !== 403) return again;
      return {
        ...again,
        authDetail:
          withheld ??
          (credentials
            ? `${this.domain} refused the token (no pull access to ${repository} for user ${credentials.username})`
            : `${this.domain} gives no anonymous pull access to ${repository}; no credentials found in ${this.searched()}`),
      };
    }
    return {
      ...first,
      authDetail: `${this.domain} asks for an unsupported authentication (${challenge?.scheme ?? 'no challenge'})`,
    };
  }

  private failure(res: HttpResponse & { authDetail?: string }, what: string): Failure {
    const of = what === '' ? '' : `${what}: `;
    if (res.status === 404) return { ok: false, status: 'missing', detail: `${of}not found (HTTP 404)` };
    if (res.status === 401 || res.status === 403)
      return { ok: false, status: 'unauthorized', detail: `${of}${res.authDetail ?? `HTTP ${res.status}`}` };
    if (res.status === 400 && /HTTP request to an HTTPS server/i.test(res.body.subarray(0, 512).toString('latin1')))
      return {
        ok: false,
        status: 'unreachable',
        detail: `${of}HTTP 400: Client sent an HTTP request to an HTTPS server`,
      };
    return { ok: false, status: 'unreachable', detail: `${of}HTTP ${res.status}` };
  }

  private async guarded<T>(run: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof TransportError)
        return {
          ok: false,
          status: error.code === 'TOO_LARGE' ? 'invalid answer' : 'unreachable',
          detail: error.message,
        };
      if (error instanceof InvalidAnswer) return { ok: false, status: 'invalid answer', detail: error.message };
      throw error;
    }
  }

  /** A Docker-Content-Digest that does not name the bytes (or is no digest), as a failure; undefined when fine. */
  private announced(res: HttpResponse, body: Buffer | undefined, expected: string, what: string): Failure | undefined {
    const raw = res.headers['docker-content-digest'];
    if (raw === undefined) return undefined;
    const header = String(raw).trim();
    if (!DIGEST.test(header))
      return {
        ok: false,
        status: 'invalid answer',
        detail: `${what}: the registry announced ${JSON.stringify(header.slice(0, 200))} (Docker-Content-Digest), not a digest`,
      };
    const actual = body === undefined ? expected : digestOf(body, header);
    if (header !== actual) {
      const sent = body === undefined ? `for ${expected}` : `but sent bytes hashing to ${actual}`;
      return {
        ok: false,
        status: 'invalid answer',
        detail: `${what}: the registry announced ${header} (Docker-Content-Digest) ${sent}`,
      };
    }
    return undefined;
  }

  /**
   * GET a manifest by tag or digest (failures say why, not which image: the caller names it). The body is hashed:
   * by digest it must hash to that digest; a Docker-Content-Digest must name the bytes; it must be an OCI or
   * Docker manifest or index (parseManifest). `digest` is the digest of the bytes received.
   */
  manifest(repository: string, reference: string): Promise<Outcome<Manifest>> {
    return this.guarded<Manifest>(async () => {
      const byDigest = reference.includes(':');
      if (byDigest && !DIGEST.test(reference))
        return {
          ok: false,
          status: 'invalid answer',
          detail: `${JSON.stringify(reference.slice(0, 200))} is not a digest`,
        };
      const res = await this.authorized(
        `/v2/${repository}/manifests/${reference}`,
        'GET',
        ACCEPT,
        repository,
        this.deadline(),
      );
      if (res.status !== 200) return this.failure(res, '');
      const digest = digestOf(res.body, byDigest ? reference : undefined);
      if (byDigest && digest !== reference)
        return {
          ok: false,
          status: 'invalid answer',
          detail: `asked for ${reference}, the registry sent bytes hashing to ${digest}`,
        };
      const lie = this.announced(res, res.body, digest, `the manifest ${digest}`);
      if (lie) return lie;
      const parsed = parseManifest(res.body, res.headers['content-type']);
      if (typeof parsed === 'string') return { ok: false, status: 'invalid answer', detail: `${parsed} (${digest})` };
      return { ok: true, value: { mediaType: parsed.mediaType, digest, body: res.body, shape: parsed.shape } };
    });
  }

  /** HEAD a manifest by digest: is it there? (A Docker-Content-Digest naming another digest is an invalid answer.) */
  hasManifest(repository: string, digest: string): Promise<Outcome<true>> {
    const what = `${this.domain}/${repository}@${digest}`;
    return this.guarded<true>(async () => {
      if (!DIGEST.test(digest)) return { ok: false, status: 'invalid answer', detail: `${what}: not a digest` };
      const res = await this.authorized(
        `/v2/${repository}/manifests/${digest}`,
        'HEAD',
        ACCEPT,
        repository,
        this.deadline(),
      );
      if (res.status !== 200) return this.failure(res, what);
      return this.announced(res, undefined, digest, what) ?? { ok: true, value: true };
    });
  }

  /** HEAD a blob by digest: is it there? (For the mirror's repair check: HEAD requests are cheap.) */
  hasBlob(repository: string, digest: string): Promise<Outcome<true>> {
    const what = `${this.domain}/${repository}@${digest} (blob)`;
    return this.guarded<true>(async () => {
      if (!DIGEST.test(digest)) return { ok: false, status: 'invalid answer', detail: `${what}: not a digest` };
      const res = await this.authorized(
        `/v2/${repository}/blobs/${digest}`,
        'HEAD',
        undefined,
        repository,
        this.deadline(),
      );
      if (res.status !== 200) return this.failure(res, what);
      return this.announced(res, undefined, digest, what) ?? { ok: true, value: true };
    });
  }

  /** GET a (small) blob, e.g. an image config; its bytes must hash to `digest`. */
  blob(repository: string, digest: string): Promise<Outcome<Buffer>> {
    const what = `${this.domain}/${repository}@${digest} (blob)`;
    return this.guarded<Buffer>(async () => {
      if (!DIGEST.test(digest)) return { ok: false, status: 'invalid answer', detail: `${what}: not a digest` };
      const res = await this.authorized(
        `/v2/${repository}/blobs/${digest}`,
        'GET',
        undefined,
        repository,
        this.deadline(),
      );
      if (res.status !== 200) return this.failure(res, what);
      const actual = digestOf(res.body, digest);
      if (actual !== digest)
        return { ok: false, status: 'invalid answer', detail: `${what}: the registry sent bytes hashing to ${actual}` };
      return { ok: true, value: res.body };
    });
  }
}
