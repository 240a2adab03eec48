/**
 * Does a registry hold the whole image that `mirror` would copy? The same top digest (the manifest's bytes
 * hashed, not the registry's header), every child manifest of an index (fetched by digest and hashed: all
 * platforms, as `skopeo copy --all` copies them all), and every blob they reference (HEAD requests). Only then is an
 * image "already there"; otherwise mirror copies it again ("repaired" when the top digest was right).
 *
 * Uses src/registry/client.ts for every request (its authentication, TLS, redirect and credential rules). The HEAD
 * of a blob goes through the client's `hasBlob`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseReference } from '../image/reference.js';
import { loadCredentials } from '../registry/auth-file.js';
import { RegistryClient, type Outcome } from '../registry/client.js';
import { trustedCas } from '../registry/http.js';
import { mapLimit } from '../registry/pool.js';
import { MAX_CHILDREN } from './check-carry.js';
import { validDigest } from './layout.js';
import type { SkopeoOptions } from './skopeo.js';

/** `unknown`: the registry could not be asked (transport, authentication): nothing proved either way. */
export type Holds =
  | { readonly holds: true }
  | { readonly holds: false; readonly top: boolean; readonly why: string; readonly unknown?: boolean };

/** HEAD /v2/<repository>/blobs/<digest> through the client (anonymous, Basic or Bearer as the registry asks): 'there', 'missing', or why it cannot be known. */
async function hasBlob(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<'there' | 'missing' | string> {
  const answer = await client.hasBlob(repository, digest);
  if (answer.ok) return 'there';
  return answer.status === 'missing' ? 'missing' : answer.detail;
}

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A JSON object from a registry's or a carry's bytes; anything else (an array, a scalar, bad JSON, none) is undefined. */
export function parseObject(body: Buffer | undefined): Record<string, unknown> | undefined {
  if (!body) return undefined;
  try {
    const json = JSON.parse(body.toString('utf8')) as unknown;
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A client for the destination registry with skopeo's destination options (TLS, CA directory, auth file). */
export function destinationClient(
  host: string,
  options: SkopeoOptions,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): RegistryClient {
  const ca = trustedCas(undefined, env);
  if (options.destCertDir !== undefined) {
    // as skopeo reads it: every *.crt (links followed: cert directories often link into /etc/ssl); regular files of at most 1 MiB
    for (const name of readdirSync(options.destCertDir)) {
      if (!name.endsWith('.crt')) continue;
      const file = join(options.destCertDir, name);
      try {
        const stats = statSync(file);
        if (stats.isFile() && stats.size <= 1024 * 1024) ca.push(readFileSync(file, 'utf8'));
      } catch {
        // unreadable: skopeo reports it
      }
    }
  }
  return new RegistryClient(host, {
    plainHttp: options.destTlsVerify === false,
    ca,
    timeoutMs,
    credentials: loadCredentials(options.authfile, env),
  });
}

/**
 * Whether `image` (host/path:tag or host/path@digest) holds `digest` whole. `top` says the top manifest was
 * right (so a copy is a repair).
 */
export async function registryHolds(client: RegistryClient, image: string, digest: string): Promise<Holds> {
  const ref = parseReference(image);
  if (!ref) return { holds: false, top: false, why: 'not a valid image reference' };
  const repository = ref.path;
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const top = await client.manifest(repository, reference);
  if (!top.ok)
    return { holds: false, top: false, why: top.detail, ...(top.status !== 'missing' ? { unknown: true } : {}) };
  const got = sha256(top.value.body);
  if (got !== digest) return { holds: false, top: false, why: `it names ${got}, not ${digest}` };
  const json = parseObject(top.value.body);
  if (!json) return { holds: false, top: true, why: 'its manifest is not a JSON object' };
  const manifests: Record<string, unknown>[] = [];
  if (Array.isArray(json.manifests)) {
    const children = json.manifests as { digest?: unknown }[];
    if (children.length === 0 || children.length > MAX_CHILDREN)
      return { holds: false, top: true, why: `its index lists ${children.length} manifests` };
    for (const d of new Set(children.map((c) => c?.digest))) {
      if (!validDigest(d)) return { holds: false, top: true, why: 'its index lists an entry without a sha256 digest' };
      const child: Outcome<{ body: Buffer }> = await client.manifest(repository, d);
      if (!child.ok)
        return {
          holds: false,
          top: true,
          why: `child manifest ${d}: ${child.detail}`,
          ...(child.status !== 'missing' ? { unknown: true } : {}),
        };
      if (sha256(child.value.body) !== d)
        return { holds: false, top: true, why: `child manifest ${d} holds other bytes` };
      const m = parseObject(child.value.body);
      if (!m) return { holds: false, top: true, why: `child manifest ${d} is not a JSON object` };
      manifests.push(m);
    }
  } else {
    manifests.push(json);
  }
  const blobs = new Set<string>();
  for (const m of manifests) {
    const config = (m.config as { digest?: unknown } | undefined)?.digest;
    const layers = Array.isArray(m.layers) ? (m.layers as { digest?: unknown }[]).map((l) => l?.digest) : undefined;
    if (!validDigest(config) || !layers || !layers.every(validDigest))
      return { holds: false, top: true, why: 'a manifest without a config and layers of sha256 digests' };
    for (const d of [config, ...layers]) blobs.add(d);
  }
  const answers = await mapLimit([...blobs], 8, async (d) => [d, await hasBlob(client, repository, d)] as const);
  const missing = answers.filter(([, a]) => a === 'missing').map(([d]) => d);
  const unknown = answers.find(([, a]) => a !== 'missing' && a !== 'there');
  if (missing.length > 0)
    return {
      holds: false,
      top: true,
      why: `blob${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not in the repository`,
    };
  if (unknown) return { holds: false, top: true, why: unknown[1], unknown: true };
  return { holds: true };
}
