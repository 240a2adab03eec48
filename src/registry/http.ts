/**
 * One HTTP(S) request, with Node's own `http`/`https` modules. Why these and not `fetch`: Node 20's `fetch`
 * (undici) takes a custom CA only through an undici `Agent` passed as `dispatcher`, and undici is not a
 * dependency here (the copy bundled inside Node is not importable); `https.request` takes `ca` directly, gives
 * the TLS error codes (self-signed, unknown authority, wrong host name) as they are, and never follows
 * redirects on its own — so the caller decides which hosts are contacted and where credentials go.
 *
 * Trust: Node's bundled roots, the system bundle (`$SSL_CERT_FILE`, else the usual Debian / RHEL / Alpine
 * paths; Node 20 has no API for the system store) and `--ca-file`.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { BoundedReadError, readBounded } from '../io/read-bounded.js';

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A failure below HTTP: connection refused, DNS, timeout, TLS. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

/** A CA file (a bundle of PEM certificates) is far smaller than this. */
export const MAX_CA_FILE = 8 * 1024 * 1024;

/** The largest manifest, index or config blob read (the OCI distribution spec asks registries for 4 MiB). */
export const MAX_BODY = 8 * 1024 * 1024;
/** The largest token server answer read. */
export const MAX_TOKEN_BODY = 1024 * 1024;

/**
 * Node's roots, the system bundle and the extra CA file (PEM), as one `ca` list. The CA file is read bounded
 * (a regular file or a pipe with a writer, at most MAX_CA_FILE): a BoundedReadError says why not.
 */
export function trustedCas(extraCaFile: string | undefined, env: NodeJS.ProcessEnv): string[] {
  const cas = [...rootCertificates];
  for (const file of [env.SSL_CERT_FILE, ...SYSTEM_BUNDLES]) {
    if (file === undefined || file === '') continue;
    try {
      cas.push(readBounded(file, { what: 'CA bundle', maxBytes: MAX_CA_FILE, allowFifo: false }).toString('utf8'));
      break;
    } catch {
      // missing or unusable: the next bundle; Node's roots still apply
    }
  }
  if (extraCaFile !== undefined) {
    const pem = readBounded(extraCaFile, { what: '--ca-file', maxBytes: MAX_CA_FILE }).toString('utf8');
    // Node ignores what is not PEM without a word: say so here, not as an untrusted certificate later
    if (!/^-----BEGIN CERTIFICATE-----\r?$/m.test(pem))
      throw new BoundedReadError(
        `--ca-file ${extraCaFile}: holds no PEM certificate (no -----BEGIN CERTIFICATE----- line; a DER file converts with openssl x509 -inform der)`,
        'EINVAL',
      );
    cas.push(pem);
  }
  return cas;
}

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isTlsTrustError(code: string | undefined): boolean {
  return code !== undefined && TLS_CODES.has(code);
}

export interface SendOptions {
  readonly method: 'GET' | 'HEAD';
  readonly headers: Record<string, string>;
  readonly ca: string[];
  /** When the whole request must be over (epoch ms): connect, TLS, headers and body together. */
  readonly deadline: number;
  /** How the deadline is named in the message (`30 s`). */
  readonly deadlineLabel: string;
  /** The largest body read (default MAX_BODY). */
  readonly maxBytes?: number;
}

/**
 * One request, bounded in time (a deadline for all of it, not an idle timeout: a server trickling a byte a
 * second ends at the deadline) and in size (a body past `maxBytes`, announced or sent, ends it). Every failure
 * is a TransportError; nothing a server sends makes it throw anything else.
 */
export function send(url: URL, options: SendOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const maxBytes = options.maxBytes ?? MAX_BODY;
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) {
      reject(new TransportError(`${url.host}: no complete answer within ${options.deadlineLabel}`, 'TIMEOUT'));
      return;
    }
    if (url.username !== '' || url.password !== '') {
      reject(new TransportError(`${url.host}: a URL holding a user name or password is not contacted`, 'BAD_URL'));
      return;
    }
    const https = url.protocol === 'https:';
    const requestFn = https ? httpsRequest : httpRequest;
    let settled = false;
    const done = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    let req: ReturnType<typeof httpRequest>;
    const timer = setTimeout(() => {
      req?.destroy(new TransportError(`${url.host}: no complete answer within ${options.deadlineLabel}`, 'TIMEOUT'));
    }, remaining);
    try {
      req = requestFn(
        url,
        {
          method: options.method,
          headers: { 'user-agent': 'eck-airgap', ...options.headers },
          ...(https ? { ca: options.ca } : {}),
          agent: false,
        },
        (res) => {
          const length = Number(res.headers['content-length']);
          if (options.method === 'GET' && Number.isFinite(length) && length > maxBytes) {
            req.destroy(
              new TransportError(
                `${url.host}: an answer of ${length} bytes, more than the ${maxBytes} read`,
                'TOO_LARGE',
              ),
            );
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              req.destroy(
                new TransportError(`${url.host}: an answer larger than the ${maxBytes} bytes read`, 'TOO_LARGE'),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () =>
            done(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })),
          );
          res.on('error', (error) => done(() => reject(wrap(error, url))));
          res.on('aborted', () =>
            done(() => reject(new TransportError(`${url.host}: the answer was cut off`, 'ECONNRESET'))),
          );
        },
      );
    } catch (error) {
      // e.g. a header value a server handed us (a token) holding a character HTTP does not allow
      done(() =>
        reject(
          new TransportError(
            `${url.host}: cannot send the request (${(error as Error).message})`,
            (error as NodeJS.ErrnoException).code ?? 'BAD_REQUEST',
          ),
        ),
      );
      return;
    }
    req.on('error', (error) => done(() => reject(wrap(error, url))));
    req.on('close', () =>
      done(() => reject(new TransportError(`${url.host}: the connection closed without an answer`, 'ECONNRESET'))),
    );
    req.end();
  });
}

/**
 * The reason of an OpenSSL error as Node reports it (`write EPROTO 800C…:error:0A00010B:SSL routines:ssl3_get_record:
 * wrong version number:../deps/openssl/…/ssl3_record.c:350:` and a line break): `OpenSSL: wrong version number`.
 * The build's source path, the thread address and the error code say nothing to a user; any other text is kept.
 */
export function opensslReason(message: string): string {
  const m = /error:[0-9A-Fa-f]+:[^:\n]*:[^:\n]*:([^:\n]+)/.exec(message);
  return m ? `OpenSSL: ${m[1]!.trim()}` : message.trim();
}

function wrap(error: Error, url: URL): TransportError {
  if (error instanceof TransportError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (isTlsTrustError(code)) {
    return new TransportError(`${url.host}: TLS certificate not trusted (${error.message})`, code);
  }
  if (code === 'EPROTO' || /wrong version number|packet length too long/i.test(error.message)) {
    return new TransportError(`${url.host}: TLS handshake failed (${opensslReason(error.message)})`, code);
  }
  return new TransportError(`${url.host}: ${error.message}`, code);
}
