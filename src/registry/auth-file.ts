/**
 * Registry credentials as skopeo, podman and docker keep them: a containers `auth.json` or a Docker
 * `config.json`, both `{"auths": {"<host>[/<path>]": {"auth": base64("user:password")}}}` (Docker also writes
 * `https://index.docker.io/v1/` style keys). `--authfile FILE` is the only file read when given; otherwise
 * `$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`, `~/.docker/config.json`, the first one holding
 * an entry for the host wins. Credential helpers (`credHelpers`, `credsStore`) are not run: a process per lookup
 * is more than verify should start; `skopeo login --authfile FILE` writes a file this reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
  /** The file they came from, for messages. */
  readonly file: string;
}

export type CredentialLookup = (host: string, repository?: string) => Credentials | undefined;

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
}

/** `https://index.docker.io/v1/` → `docker.io`; `my.registry:5000/team` → `my.registry:5000/team`. */
function normalizeKey(key: string): string {
  let k = key.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '');
  if (k.startsWith('index.docker.io') || k.startsWith('registry-1.docker.io')) k = `docker.io${k.slice(k.indexOf('/') === -1 ? k.length : k.indexOf('/'))}`;
  if (k === 'docker.io/v1' || k === 'docker.io/v2') k = 'docker.io';
  return k;
}

function decode(entry: AuthEntry, file: string): Credentials | undefined {
  if (entry.auth) {
    const text = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon > 0) return { username: text.slice(0, colon), password: text.slice(colon + 1), file };
  }
  if (entry.username && entry.password !== undefined) return { username: entry.username, password: entry.password, file };
  return undefined;
}

function readAuths(file: string, required: boolean): Map<string, Credentials> {
  const map = new Map<string, Credentials>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (required) throw new UsageError(`--authfile ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
    return map;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not a valid auth file (not JSON); expected {"auths": {"<registry>": {"auth": "<base64 user:password>"}}}.`);
  }
  const auths = (json as { auths?: Record<string, AuthEntry> } | null)?.auths;
  if (auths && typeof auths === 'object') {
    for (const [key, entry] of Object.entries(auths)) {
      const credentials = entry && typeof entry === 'object' ? decode(entry, file) : undefined;
      if (credentials) map.set(normalizeKey(key), credentials);
    }
  }
  return map;
}

/** The auth files in the order they are searched. */
export function authFileCandidates(flag: string | undefined, env: NodeJS.ProcessEnv): { files: string[]; required: boolean } {
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
  const maps = files.filter((f) => required || existsSync(f)).map((f) => readAuths(f, required));
  return (host, repository) => {
    const keys: string[] = [];
    if (repository) {
      const parts = repository.split('/');
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
}
