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
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

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

const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem', '/etc/ssl/cert.pem'];

/** Node's roots, the system bundle and the extra CA file (PEM), as one `ca` list. */
export function trustedCas(extraCaFile: string | undefined, env: NodeJS.ProcessEnv): string[] {
  const cas = [...rootCertificates];
  const system = [env.SSL_CERT_FILE, ...SYSTEM_BUNDLES].find((f) => f !== undefined && f !== '' && existsSync(f));
  if (system) {
    try {
      cas.push(readFileSync(system, 'utf8'));
    } catch {
      // an unreadable system bundle: Node's roots still apply
    }
  }
  if (extraCaFile !== undefined) cas.push(readFileSync(extraCaFile, 'utf8'));
  return cas;
}

const MAX_BODY = 8 * 1024 * 1024;

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

export function send(
  url: URL,
  options: { method: 'GET' | 'HEAD'; headers: Record<string, string>; ca: string[]; timeoutMs: number },
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const https = url.protocol === 'https:';
    const requestFn = https ? httpsRequest : httpRequest;
    const req = requestFn(
      url,
      { method: options.method, headers: { 'user-agent': 'eck-airgap', ...options.headers }, ...(https ? { ca: options.ca } : {}), timeout: options.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) {
            req.destroy(new TransportError(`${url.host}: response larger than ${MAX_BODY} bytes`, 'TOO_LARGE'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (error) => reject(wrap(error, url)));
      },
    );
    req.on('timeout', () => req.destroy(new TransportError(`${url.host}: no answer within ${options.timeoutMs / 1000} s`, 'TIMEOUT')));
    req.on('error', (error) => reject(wrap(error, url)));
    req.end();
  });
}

function wrap(error: Error, url: URL): TransportError {
  if (error instanceof TransportError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (isTlsTrustError(code)) {
    return new TransportError(`${url.host}: TLS certificate not trusted (${error.message}); give its CA with --ca-file`, code);
  }
  if (code === 'EPROTO' || /wrong version number|packet length too long/i.test(error.message)) {
    return new TransportError(`${url.host}: TLS handshake failed (${error.message}); a plain-HTTP registry needs --plain-http`, code);
  }
  return new TransportError(`${url.host}: ${error.message}`, code);
}
