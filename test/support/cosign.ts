// Signing in cosign's exact storage format, for the signature tests (no cosign binary: the format is written here
// from its facts, and judged by an independent verifier, test/support/policy-verifier). A key pair made with
// node:crypto (ECDSA P-256 as `cosign generate-key-pair` makes; RSA and Ed25519 too); the simple-signing payload
// byte for byte as cosign writes it (Go's encoding/json of its struct: keys in that order, no spaces,
// `"optional":null` without annotations); stored as the `sha256-<hex>.sig` tag of the image's repository: an OCI
// manifest whose config is cosign's empty-image config and whose layer (mediaType
// application/vnd.dev.cosign.simplesigning.v1+json) is the payload, annotated `dev.cosignproject.cosign/signature`
// with the base64 signature. `signImage` signs the index and each platform manifest, as `cosign sign --recursive`.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { ociLayout, tempDir, tools, type Registry, type WrittenImage } from './registry.js';

export interface TestKey {
  readonly privateKey: KeyObject;
  /** The public key's PEM file (as cosign.pub). */
  readonly publicFile: string;
  readonly kind: 'ecdsa' | 'rsa' | 'ed25519';
}

export function makeKey(kind: TestKey['kind'] = 'ecdsa'): TestKey {
  const pair =
    kind === 'ecdsa'
      ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      : kind === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
  const publicFile = join(tempDir('key'), 'cosign.pub');
  writeFileSync(publicFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateKey: pair.privateKey, publicFile, kind };
}

/** The payload cosign signs, byte for byte. */
export function cosignPayload(identity: string, digest: string): Buffer {
  return Buffer.from(
    `{"critical":{"identity":{"docker-reference":"${identity}"},"image":{"docker-manifest-digest":"${digest}"},"type":"cosign container image signature"},"optional":null}`,
  );
}

export function signPayload(key: TestKey, payload: Buffer): string {
  const sig = key.kind === 'ed25519' ? sign(null, payload, key.privateKey) : sign('sha256', payload, key.privateKey);
  return sig.toString('base64');
}

export interface SignatureLayer {
  readonly payload: Buffer;
  /** base64 */
  readonly signature: string;
}

/** A cosign signature image (one layer per signature) as an OCI layout with the ref `sig`; returns its digest. */
export function writeSignatureImage(layers: readonly SignatureLayer[]): { layout: string; digest: string } {
  const { layout, put, finish } = ociLayout('sig');
  const described = layers.map((l) => ({
    mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
    ...put(l.payload),
    annotations: { 'dev.cosignproject.cosign/signature': l.signature },
  }));
  const config = put(
    Buffer.from(
      JSON.stringify({
        architecture: '',
        created: '0001-01-01T00:00:00Z',
        history: layers.map(() => ({ created: '0001-01-01T00:00:00Z' })),
        os: '',
        rootfs: { type: 'layers', diff_ids: described.map((d) => d.digest) },
        config: {},
      }),
    ),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: described,
    }),
  );
  const m = put(manifest);
  finish({ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m }, 'sig');
  return { layout, digest: m.digest };
}

export function sigTag(digest: string): string {
  return `sha256-${digest.slice('sha256:'.length)}.sig`;
}

/** Pushes signature layers as the `.sig` tag of `digest` in `repository`. */
export async function pushSignature(
  registry: Registry,
  repository: string,
  digest: string,
  layers: readonly SignatureLayer[],
): Promise<string> {
  const sig = writeSignatureImage(layers);
  const tls = registry.tls ? [] : ['--dest-tls-verify=false'];
  await execa(tools.skopeo ?? 'skopeo', [
    'copy',
    '--preserve-digests',
    '-q',
    ...tls,
    `oci:${sig.layout}:sig`,
    `docker://${registry.host}/${repository}:${sigTag(digest)}`,
  ]);
  return sig.digest;
}

export interface SignOptions {
  /** The identity written in the payload (default docker.elastic.co/<repository>). */
  identity?: string;
  /** Sign this digest's payload claims instead of the real one (a signature moved from another image). */
  claimDigest?: (real: string) => string;
  /** Only the top manifest, not each platform's (cosign sign without --recursive). */
  topOnly?: boolean;
}

/** `cosign sign --recursive --key …` of an image already pushed to `registry/repository`. */
export async function signImage(
  registry: Registry,
  repository: string,
  image: WrittenImage,
  key: TestKey,
  options: SignOptions = {},
): Promise<string[]> {
  const identity = options.identity ?? `docker.elastic.co/${repository}`;
  const digests = [
    image.digest,
    ...(options.topOnly ? [] : Object.values(image.children).filter((d) => d !== image.digest)),
  ];
  for (const digest of digests) {
    const payload = cosignPayload(identity, options.claimDigest ? options.claimDigest(digest) : digest);
    await pushSignature(registry, repository, digest, [{ payload, signature: signPayload(key, payload) }]);
  }
  return digests;
}
