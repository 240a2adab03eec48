/**
 * Cosign's storage format, as facts (sigstore/cosign pkg/oci, containers/image signature/internal):
 * - the signatures of the manifest with digest `sha256:HEX` live in the same repository under the tag
 *   `sha256-HEX.sig`: an OCI image manifest, one layer per signature;
 * - each such layer has mediaType `application/vnd.dev.cosign.simplesigning.v1+json`; its blob is the payload
 *   (`{"critical":{"identity":{"docker-reference":REPO},"image":{"docker-manifest-digest":DIGEST},"type":"cosign
 *   container image signature"},"optional":…}`) and its annotation `dev.cosignproject.cosign/signature` the
 *   base64 signature of the payload bytes: ECDSA (ASN.1 DER) or RSA PKCS#1 v1.5 over SHA-256, or Ed25519 over
 *   the bytes themselves (sigstore's LoadVerifier);
 * - cosign writes the repository without tag as the identity (`docker.elastic.co/elasticsearch/elasticsearch`).
 * Public keys are PEM (SubjectPublicKeyInfo, as `cosign.pub`). Everything read from a registry is bounded.
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, constants } from 'node:fs';
import { UsageError } from '../errors.js';
import { parseReference } from '../image/reference.js';

export const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const SIGNATURE_TYPE = 'cosign container image signature';

/** Limits on what a registry (or a carried directory) may hand us. */
export const LIMITS = {
  keyFile: 64 * 1024,
  sigManifest: 256 * 1024,
  layers: 64,
  payload: 64 * 1024,
  signature: 16 * 1024,
} as const;

/** The tag cosign stores a digest's signatures under. */
export function signatureTag(digest: string): string | undefined {
  const m = /^sha256:([a-f0-9]{64})$/.exec(digest);
  return m ? `sha256-${m[1]}.sig` : undefined;
}

export interface PublicKey {
  readonly file: string;
  readonly key: KeyObject;
  readonly kind: 'ecdsa-p256' | 'rsa' | 'ed25519';
}

/**
 * Reads a PEM public key, bounded, from a regular file. The name the user gave may be a link (a Kubernetes Secret
 * volume's files are): it is followed, the user chose it; what it reaches must be a small regular file.
 */
export function loadPublicKey(file: string): PublicKey {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UsageError(
      `--key ${file}: cannot open it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give a PEM public key file such as Elastic's cosign.pub.`,
    );
  }
  let text: string;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`--key ${file}: not a regular file.`);
    if (st.size > LIMITS.keyFile)
      throw new UsageError(`--key ${file}: ${st.size} bytes, more than a public key (${LIMITS.keyFile} at most).`);
    const buf = Buffer.alloc(LIMITS.keyFile + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n > LIMITS.keyFile)
        throw new UsageError(`--key ${file}: more than ${LIMITS.keyFile} bytes, not a public key.`);
    }
    text = buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text))
    throw new UsageError(`--key ${file}: a private key; give the public key (cosign.pub), never the private one.`);
  if (!/-----BEGIN PUBLIC KEY-----/.test(text))
    throw new UsageError(
      `--key ${file}: no "BEGIN PUBLIC KEY" PEM block; give a PEM public key such as Elastic's cosign.pub.`,
    );
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch (error) {
    throw new UsageError(`--key ${file}: not a readable public key (${(error as Error).message}).`);
  }
  const type = key.asymmetricKeyType;
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1')
      throw new UsageError(
        `--key ${file}: an ECDSA key on ${curve ?? 'an unknown curve'}; cosign keys are P-256 (prime256v1).`,
      );
    return { file, key, kind: 'ecdsa-p256' };
  }
  if (type === 'rsa') return { file, key, kind: 'rsa' };
  if (type === 'ed25519') return { file, key, kind: 'ed25519' };
  throw new UsageError(`--key ${file}: a ${type ?? 'unknown'} key; cosign keys are ECDSA P-256, RSA or Ed25519.`);
}

/** Does `signature` (raw bytes) sign `payload` with `key`, as cosign verifies? Never throws. */
export function verifiesWith(key: PublicKey, payload: Buffer, signature: Buffer): boolean {
  try {
    if (key.kind === 'ed25519') return cryptoVerify(null, payload, key.key, signature);
    if (key.kind === 'ecdsa-p256')
      return cryptoVerify('sha256', payload, { key: key.key, dsaEncoding: 'der' }, signature);
    return cryptoVerify('sha256', payload, key.key, signature);
  } catch {
    return false;
  }
}

export interface Payload {
  readonly identity: string;
  readonly digest: string;
}

/**
 * Parses a simple-signing payload strictly, as containers/image does: exactly `critical` and `optional` at the
 * top, exactly `type`, `image`, `identity` in critical, the type cosign writes. Undefined when it is not one.
 */
export function parsePayload(bytes: Buffer): Payload | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const obj = (v: unknown): Record<string, unknown> | undefined =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  const exact = (o: Record<string, unknown> | undefined, keys: string[]): boolean =>
    !!o && Object.keys(o).length === keys.length && keys.every((k) => k in o);
  const top = obj(json);
  if (!exact(top, ['critical', 'optional'])) return undefined;
  const critical = obj(top!.critical);
  if (!exact(critical, ['type', 'image', 'identity']) || critical!.type !== SIGNATURE_TYPE) return undefined;
  const image = obj(critical!.image);
  const identity = obj(critical!.identity);
  if (!exact(image, ['docker-manifest-digest']) || !exact(identity, ['docker-reference'])) return undefined;
  const digest = image!['docker-manifest-digest'];
  const reference = identity!['docker-reference'];
  if (typeof digest !== 'string' || typeof reference !== 'string') return undefined;
  return { identity: reference, digest };
}

/** The repository a reference names (domain/path, Docker Hub normalised), or undefined. */
export function repositoryOf(reference: string): string | undefined {
  const ref = parseReference(reference);
  return ref ? `${ref.domain}/${ref.path}` : undefined;
}
