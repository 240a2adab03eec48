// A small hostile container registry for the verify tests: what Debian's docker-registry will not do on demand —
// lying digests, bodies other than the manifest asked for, trickled or endless answers, hostile token realms and
// redirects, huge indexes. Node's http on 127.0.0.1 (port 0), one handler per test deciding every answer; it logs
// every request (method, path, headers) and how many were in flight at once. Bounded in time: close() drops
// every open connection, so a trickling answer never outlives its test. Nothing here reaches beyond 127.0.0.1.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';

export const sha256 = (bytes: string | Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export interface Logged {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
}

export type Handler = (req: IncomingMessage, res: ServerResponse, server: HostileRegistry) => void;

export interface HostileRegistry {
  /** `127.0.0.1:PORT`, what `--registry` is given. */
  readonly host: string;
  readonly port: number;
  readonly requests: Logged[];
  /** The most requests that were in flight at the same time. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/** `tls`: serve HTTPS with this certificate and key (PEM files, e.g. test/support/registry.ts's makePki()). */
export async function startHostile(
  handler: Handler,
  bind = '127.0.0.1',
  tls?: { cert: string; key: string },
): Promise<HostileRegistry> {
  const sockets = new Set<Socket>();
  const requests: Logged[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = true;
    const done = (): void => {
      if (counted) inFlight--;
      counted = false;
    };
    res.on('finish', done);
    res.on('close', done);
    handler(req, res, registry);
  };
  const server: Server = tls
    ? createTlsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, listener)
    : createServer(listener);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, bind, resolve));
  const port = (server.address() as AddressInfo).port;
  const registry: HostileRegistry = {
    host: `${bind}:${port}`,
    port,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return registry;
}

/** Sends `body` as a registry does (Content-Type, Docker-Content-Digest of the body unless `digest` overrides it). */
export function answer(
  res: ServerResponse,
  body: string | Buffer,
  options: { type?: string; digest?: string | null; status?: number; method?: string | undefined } = {},
): void {
  const headers: Record<string, string> = {
    'content-type': options.type ?? OCI_MANIFEST,
    'content-length': String(Buffer.byteLength(body)),
  };
  if (options.digest !== null) headers['docker-content-digest'] = options.digest ?? sha256(body);
  res.writeHead(options.status ?? 200, headers);
  res.end(options.method === 'HEAD' ? undefined : body);
}

/** Sends one byte a second, forever (until the client or close() ends it). */
export function trickle(res: ServerResponse, headers: Record<string, string> = { 'content-type': OCI_MANIFEST }): void {
  res.writeHead(200, headers);
  res.write('{');
  const timer = setInterval(() => res.write(' '), 1000);
  res.on('close', () => clearInterval(timer));
}

/** A tiny image: a config, one layer descriptor, its manifest; every digest real. */
export function image(
  platform: { os: string; architecture: string; variant?: string } = { os: 'linux', architecture: 'amd64' },
): {
  config: string;
  configDigest: string;
  manifest: string;
  digest: string;
} {
  const config = JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: [] } });
  const configDigest = sha256(config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: configDigest, size: Buffer.byteLength(config) },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: sha256(`layer ${platform.architecture}`),
        size: 1,
      },
    ],
  });
  return { config, configDigest, manifest, digest: sha256(manifest) };
}

export interface IndexEntry {
  digest: string;
  size?: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

export function index(entries: IndexEntry[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: entries.map((e) => ({ mediaType: OCI_MANIFEST, size: 1, ...e })),
  });
}

/**
 * A handler serving `manifests` (path `/v2/<repo>/manifests/<ref>` → body, by tag or digest) and `blobs` honestly;
 * everything else 404 as a registry does.
 */
export function serve(
  manifests: Record<string, { body: string; type?: string }>,
  blobs: Record<string, string> = {},
): Handler {
  const byDigest = new Map<string, { body: string; type?: string }>();
  for (const m of Object.values(manifests)) byDigest.set(sha256(m.body), m);
  return (req, res) => {
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/?]+)$/.exec(req.url ?? '');
    if (req.url === '/v2/') return answer(res, '{}', { type: 'application/json', digest: null });
    if (!m)
      return answer(res, '{"errors":[{"code":"NOT_FOUND"}]}', { status: 404, type: 'application/json', digest: null });
    const ref = decodeURIComponent(m[3]!);
    if (m[2] === 'blobs') {
      const blob = blobs[ref];
      if (blob === undefined)
        return answer(res, '{"errors":[{"code":"BLOB_UNKNOWN"}]}', {
          status: 404,
          type: 'application/json',
          digest: null,
          method: req.method,
        });
      return answer(res, blob, { type: 'application/octet-stream', method: req.method });
    }
    const found = manifests[ref] ?? byDigest.get(ref);
    if (!found)
      return answer(res, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', {
        status: 404,
        type: 'application/json',
        digest: null,
        method: req.method,
      });
    return answer(res, found.body, { type: found.type ?? OCI_MANIFEST, method: req.method });
  };
}
