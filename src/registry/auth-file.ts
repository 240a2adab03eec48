/**
 * Registry credentials as skopeo, podman and docker keep them: a containers `auth.json` or a Docker
 * `config.json`, both `{"auths": {"<host>[/<path>]": {"auth": base64("user:password")}}}` (Docker also writes
 * `https://index.docker.io/v1/` style keys). `--authfile FILE` is the only file read when given; otherwise
 * `$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`, `~/.docker/config.json`, the first one holding
 * an entry for the host wins. Credential helpers (`credHelpers`, `credsStore`) are not run: a process per lookup
 * is more than verify should start; `skopeo login --authfile FILE` writes a file this reads.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { BoundedReadError, readBounded } from '../io/read-bounded.js';
import { escapeControl } from '../text/escape.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
  /** The file they came from, for messages. */
  readonly file: string;
}

export type CredentialLookup = ((host: string, repository?: string) => Credentials | undefined) & {
  /** The auth files searched, in order (for messages: "none found in …"). */
  readonly files?: readonly string[];
};

/** Auth files are small; a bigger one is not an auth file (and must not fill memory). */
export const MAX_AUTH_FILE = 4 * 1024 * 1024;

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * An auth-file key as a lookup key: `https://index.docker.io/v1/` → `docker.io`; `My.Registry:5000/team/` →
 * `my.registry:5000/team`. The host is compared as a whole name (lower case), never by prefix:
 * `index.docker.io.attacker.test` is that host, not Docker Hub.
 */
export function normalizeKey(key: string): string {
  const k = key
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/+$/, '');
  const slash = k.indexOf('/');
  let host = (slash === -1 ? k : k.slice(0, slash)).toLowerCase();
  let path = slash === -1 ? '' : k.slice(slash + 1).replace(/\/{2,}/g, '/');
  if (DOCKER_HUB_HOSTS.has(host)) {
    host = 'docker.io';
    if (path === 'v1' || path === 'v2') path = '';
  }
  return path === '' ? host : `${host}/${path}`;
}

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

const EXPECTED = 'expected {"auths": {"<registry>": {"auth": "<base64 of user:password>"}}}';

function decode(key: string, entry: unknown, file: string): Credentials | undefined {
  const at = `${file}: the entry auths[${JSON.stringify(escapeControl(key))}]`;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    throw new UsageError(`${at} is ${typeOf(entry)}, not an object; ${EXPECTED}.`);
  const { auth, username, password } = entry as Record<string, unknown>;
  if (auth !== undefined && typeof auth !== 'string')
    throw new UsageError(`${at} has an "auth" that is ${typeOf(auth)}, not a string; ${EXPECTED}.`);
  if (username !== undefined && typeof username !== 'string')
    throw new UsageError(`${at} has a "username" that is ${typeOf(username)}, not a string; ${EXPECTED}.`);
  if (password !== undefined && typeof password !== 'string')
    throw new UsageError(`${at} has a "password" that is ${typeOf(password)}, not a string; ${EXPECTED}.`);
  if (auth) {
    const text = /^[A-Za-z0-9+/=\s_-]*$/.test(auth) ? Buffer.from(auth, 'base64').toString('utf8') : '';
    const colon = text.indexOf(':');
    if (colon <= 0)
      throw new UsageError(
        `${at} has an "auth" that is not base64 of user:password (its value is not shown); ${EXPECTED}.`,
      );
    const user = text.slice(0, colon);
    const pass = text.slice(colon + 1);
    if (/[\u0000-\u001f\u007f]/.test(user) || /[\r\n\u0000]/.test(pass))
      throw new UsageError(
        `${at} has an "auth" whose user name or password holds a control character (not shown); write it again with skopeo login.`,
      );
    return { username: user, password: pass, file };
  }
  if (username && password !== undefined) {
    if (/[\u0000-\u001f\u007f]/.test(username) || /[\r\n\u0000]/.test(password))
      throw new UsageError(`${at}: its user name or password holds a control character (not shown).`);
    return { username, password, file };
  }
  return undefined;
}

function readAuths(file: string, required: boolean): Map<string, Credentials> {
  const map = new Map<string, Credentials>();
  let text: string;
  try {
    text = readBounded(file, { what: required ? '--authfile' : 'auth file', maxBytes: MAX_AUTH_FILE }).toString('utf8');
  } catch (error) {
    if (!(error instanceof BoundedReadError)) throw error;
    if (!required && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return map;
    const why =
      error.code === 'ENOENT'
        ? `${required ? '--authfile' : 'auth file'} ${file}: cannot read it (no such file)`
        : error.message;
    throw new UsageError(`${why}. Give --authfile a containers auth.json or a Docker config.json.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not a valid auth file (not JSON); ${EXPECTED}.`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new UsageError(`${file}: not a valid auth file (${typeOf(json)}, not an object); ${EXPECTED}.`);
  const auths = (json as { auths?: unknown }).auths;
  if (auths === undefined) return map;
  if (auths === null || typeof auths !== 'object' || Array.isArray(auths))
    throw new UsageError(`${file}: "auths" is ${typeOf(auths)}, not an object; ${EXPECTED}.`);
  for (const [key, entry] of Object.entries(auths as Record<string, unknown>)) {
    const credentials = decode(key, entry, file);
    if (credentials) map.set(normalizeKey(key), credentials);
  }
  return map;
}

/** The auth files in the order they are searched. */
export function authFileCandidates(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): { files: string[]; required: boolean } {
  if (flag !== undefined) return { files: [flag], required: true };
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) files.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  files.push(join(env.HOME || homedir(), '.docker', 'config.json'));
  return { files, required: false };
}

/**
 * Looks credentials up by host, the most specific `host/path` entry first (as containers-auth.json(5) does), in
 * each file in turn.
 */
export function loadCredentials(flag: string | undefined, env: NodeJS.ProcessEnv): CredentialLookup {
  const { files, required } = authFileCandidates(flag, env);
  const maps = files.map((f) => readAuths(f, required));
  const lookup = (rawHost: string, repository?: string): Credentials | undefined => {
    const host = normalizeKey(rawHost);
    const keys: string[] = [];
    if (repository) {
      // path prefixes by whole segments: team/app matches an entry for host/team, never host/te
      const parts = repository.split('/').filter((p) => p !== '');
      for (let n = parts.length; n > 0; n--) keys.push(`${host}/${parts.slice(0, n).join('/')}`);
    }
    keys.push(host);
    for (const map of maps) {
      for (const key of keys) {
        const found = map.get(key);
        if (found) return found;
      }
    }
    return undefined;
  };
  return Object.assign(lookup, { files: files.map(escapeControl) });
}
