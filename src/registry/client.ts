/**
 * A small OCI distribution API client for one registry: manifests (GET/HEAD with the Accept headers for OCI
 * indexes and manifests and Docker manifest lists and v2 manifests) and config blobs, with anonymous, Basic and
 * Bearer access from the registry's `WWW-Authenticate` challenge.
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
import { send, TransportError, type HttpResponse } from './http.js';

export const MANIFEST_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

const ACCEPT = Object.values(MANIFEST_TYPES).join(', ');

export interface ClientOptions {
  readonly plainHttp: boolean;
  readonly ca: string[];
  readonly timeoutMs: number;
  readonly credentials: CredentialLookup;
}

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: 'missing' | 'unauthorized' | 'unreachable'; readonly detail: string };

type Failure = Extract<Outcome<unknown>, { ok: false }>;

export interface Manifest {
  readonly mediaType: string;
  readonly digest: string;
  readonly body: Buffer;
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

export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: m[1]!.toLowerCase(), params };
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

  private creds(repository: string): Credentials | undefined {
    return this.options.credentials(this.domain, repository);
  }

  private async raw(url: URL, method: 'GET' | 'HEAD', headers: Record<string, string>): Promise<HttpResponse> {
    let current = url;
    for (let hop = 0; hop < 4; hop++) {
      const res = await send(current, { method, headers, ca: this.options.ca, timeoutMs: this.options.timeoutMs });
      if (res.status < 300 || res.status >= 400 || !res.headers.location) return res;
      const next = new URL(res.headers.location, current);
      if (next.origin !== this.origin.origin) {
        throw new TransportError(`${this.domain}: redirected to ${next.origin}, another host; eck-airgap verify contacts only the mirror`, 'REDIRECT');
      }
      current = next;
    }
    throw new TransportError(`${this.domain}: too many redirects`, 'REDIRECT');
  }

  /** A Bearer token for `scope` from the challenge's realm (cached per scope). */
  private token(challenge: Challenge, repository: string, scope: string): Promise<TokenResult> {
    const key = `${challenge.params.realm}\n${scope}`;
    let pending = this.tokens.get(key);
    if (!pending) {
      pending = this.fetchToken(challenge, repository, scope);
      this.tokens.set(key, pending);
    }
    return pending;
  }

  private async fetchToken(challenge: Challenge, repository: string, scope: string): Promise<TokenResult> {
    const realm = new URL(challenge.params.realm ?? '');
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') throw new TransportError(`${this.domain}: token realm ${realm.href} is not HTTP(S)`, 'REALM');
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
    if (credentials) headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    const res = await send(realm, { method: 'GET', headers, ca: this.options.ca, timeoutMs: this.options.timeoutMs });
    if (res.status === 401 || res.status === 403) return { token: undefined, ...(withheld ? { withheld } : {}) };
    if (res.status !== 200) throw new TransportError(`${this.domain}: token server ${realm.host} answered HTTP ${res.status}`, 'TOKEN');
    try {
      const json = JSON.parse(res.body.toString('utf8')) as { token?: string; access_token?: string };
      return { token: json.token ?? json.access_token, ...(withheld ? { withheld } : {}) };
    } catch {
      throw new TransportError(`${this.domain}: token server ${realm.host} sent no JSON`, 'TOKEN');
    }
  }

  /** A request with whatever access the registry asks for; 401/403 after trying are returned as they are. */
  private async authorized(path: string, method: 'GET' | 'HEAD', accept: string | undefined, repository: string): Promise<HttpResponse & { authDetail?: string }> {
    const url = new URL(path, this.origin);
    const base: Record<string, string> = accept ? { accept } : {};
    const scope = `repository:${repository}:pull`;
    const credentials = this.creds(repository);
    const basicHeader = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` : undefined;
    // already known: a Basic registry, or a Bearer one (ask for this scope's token first)
    if (this.useBasic && basicHeader) return this.raw(url, method, { ...base, authorization: basicHeader });
    if (this.bearer) {
      const known = await this.token(this.bearer, repository, scope);
      if (known.token) {
        const direct = await this.raw(url, method, { ...base, authorization: `Bearer ${known.token}` });
        if (direct.status !== 401) return direct;
      }
    }
    const first = await this.raw(url, method, base);
    if (first.status !== 401) return first;
    const challenge = parseChallenge(first.headers['www-authenticate'] as string | undefined);
    if (challenge?.scheme === 'basic') {
      if (!basicHeader) return { ...first, authDetail: `${this.domain} wants a user name and password (Basic); none found in the auth file` };
      if (this.origin.protocol !== 'https:' && !LOOPBACK.test(this.origin.hostname) && !this.options.plainHttp) {
        return { ...first, authDetail: `${this.domain} wants a password over plain HTTP; not sent` };
      }
      this.useBasic = true;
      const again = await this.raw(url, method, { ...base, authorization: basicHeader });
      return again.status === 401 ? { ...again, authDetail: `${this.domain} refused the user name and password of ${credentials!.file} (user ${credentials!.username})` } : again;
    }
    if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      this.bearer = challenge;
      const { token, withheld } = await this.token(challenge, repository, scope);
      if (!token) {
        return {
          ...first,
          authDetail:
            withheld ??
            (credentials ? `the token server refused the user name and password of ${credentials.file} (user ${credentials.username})` : `${this.domain} wants a token; no credentials found in the auth file`),
        };
      }
      const again = await this.raw(url, method, { ...base, authorization: `Bearer ${token}` });
      if (again.status !== 401 && again.status !== 403) return again;
      return {
        ...again,
        authDetail:
          withheld ??
          (credentials ? `${this.domain} refused the token (no pull access to ${repository} for user ${credentials.username})` : `${this.domain} gives no anonymous pull access to ${repository}; no credentials found in the auth file`),
      };
    }
    return { ...first, authDetail: `${this.domain} asks for an unsupported authentication (${challenge?.scheme ?? 'no challenge'})` };
  }

  private failure(res: HttpResponse & { authDetail?: string }, what: string): Failure {
    const of = what === '' ? '' : `${what}: `;
    if (res.status === 404) return { ok: false, status: 'missing', detail: `${of}not found (HTTP 404)` };
    if (res.status === 401 || res.status === 403) return { ok: false, status: 'unauthorized', detail: `${of}${res.authDetail ?? `HTTP ${res.status}`}` };
    return { ok: false, status: 'unreachable', detail: `${of}HTTP ${res.status}` };
  }

  private async guarded<T>(what: string, run: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof TransportError) return { ok: false, status: 'unreachable', detail: error.message };
      throw error;
    }
  }

  /** GET a manifest by tag or digest (failures say why, not which image: the caller names it). */
  manifest(repository: string, reference: string): Promise<Outcome<Manifest>> {
    const what = `${this.domain}/${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
    return this.guarded<Manifest>(what, async () => {
      const res = await this.authorized(`/v2/${repository}/manifests/${reference}`, 'GET', ACCEPT, repository);
      if (res.status !== 200) return this.failure(res, '');
      const computed = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
      const header = res.headers['docker-content-digest'];
      const digest = typeof header === 'string' && header.startsWith('sha256:') ? header : computed;
      let mediaType = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
      try {
        const declared = (JSON.parse(res.body.toString('utf8')) as { mediaType?: string }).mediaType;
        if (declared) mediaType = declared;
      } catch {
        return { ok: false, status: 'unreachable', detail: `the manifest of ${what} is not JSON` };
      }
      return { ok: true, value: { mediaType, digest, body: res.body } };
    });
  }

  /** HEAD a manifest by digest: is it there? */
  hasManifest(repository: string, digest: string): Promise<Outcome<true>> {
    const what = `${this.domain}/${repository}@${digest}`;
    return this.guarded<true>(what, async () => {
      const res = await this.authorized(`/v2/${repository}/manifests/${digest}`, 'HEAD', ACCEPT, repository);
      return res.status === 200 ? { ok: true, value: true } : this.failure(res, what);
    });
  }

  /** GET a (small) blob, e.g. an image config. */
  blob(repository: string, digest: string): Promise<Outcome<Buffer>> {
    const what = `${this.domain}/${repository}@${digest} (blob)`;
    return this.guarded<Buffer>(what, async () => {
      const res = await this.authorized(`/v2/${repository}/blobs/${digest}`, 'GET', undefined, repository);
      return res.status === 200 ? { ok: true, value: res.body } : this.failure(res, what);
    });
  }
}
