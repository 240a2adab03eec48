/**
 * `mirror` carries each image's cosign signatures: for the image's top manifest and every platform manifest an
 * index lists, the `sha256-HEX.sig` tag of the source repository (cosign's tag scheme) is copied, digest
 * unchanged, next to the image: into the mirror's repository directly, into the --to-dir layout under the ref
 * `<upstream repository>:sha256-HEX.sig` (listed in the record's `signatures`), and from there (--from-dir) into
 * the mirror. A signature manifest is an OCI manifest, so skopeo writes it into a layout as it is; every copy is
 * checked to hold the digest it came with. An image with no `.sig` tag upstream is carried as unsigned (said in
 * the summary; `verify --key` decides whether that is acceptable). OCI 1.1 referrers are not looked at: skopeo
 * 1.9 (containers/image 5.23) does not know the referrers API and distribution 2.8 does not serve it.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, constants } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { layoutDigests } from '../mirror/layout.js';
import { copy, skopeoReason, type SkopeoOptions } from '../mirror/skopeo.js';
import { LIMITS, signatureTag } from './cosign.js';

/** A signature manifest is a few hundred bytes: skopeo is stopped past this. */
const SIGNATURE_COPY_TIMEOUT_MS = 300_000;

/** One signature manifest carried, as the record lists it. */
export interface CarriedSignature {
  /** The manifest digest it signs (the image's top manifest, or a platform's). */
  readonly signs: string;
  /** Its tag in the repository (`sha256-HEX.sig`). */
  readonly tag: string;
  /** The digest of the signature manifest. */
  readonly digest: string;
  /** --to-dir: its ref in the layout. */
  readonly ref?: string;
}

export interface SignatureCarry {
  readonly carried: CarriedSignature[];
  /** Digests with no signature upstream. */
  readonly unsigned: string[];
  /** Why a signature that is there was not carried (the image counts as failed). */
  readonly problems: string[];
}

const MAX_MANIFEST = 4 * 1024 * 1024;

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** `docker://host/repo:tag` or `docker://host/repo@digest` → `docker://host/repo`. */
function repositoryOfTransport(ref: string): string {
  const body = ref.slice('docker://'.length);
  const at = body.indexOf('@');
  const name = at >= 0 ? body.slice(0, at) : body;
  const colon = name.lastIndexOf(':');
  return `docker://${colon > name.lastIndexOf('/') ? name.slice(0, colon) : name}`;
}

type Raw = { ok: true; body: Buffer } | { ok: false; missing: boolean; reason: string };

/** `skopeo inspect --raw`, telling "no such manifest" from every other failure. */
async function inspectRaw(options: SkopeoOptions, ref: string, side: 'source' | 'destination'): Promise<Raw> {
  const tlsValue = side === 'source' ? options.srcTlsVerify : options.destTlsVerify;
  const args = [
    ...(options.registriesConf !== undefined ? ['--registries-conf', options.registriesConf] : []),
    'inspect',
    '--raw',
    ...(options.authfile !== undefined ? ['--authfile', options.authfile] : []),
    ...(tlsValue !== undefined ? [`--tls-verify=${tlsValue}`] : []),
    ...(side === 'destination' && options.destCertDir !== undefined ? ['--cert-dir', options.destCertDir] : []),
    ref,
  ];
  const r = await execa(options.bin, args, {
    reject: false,
    encoding: 'buffer',
    stdin: 'ignore',
    maxBuffer: MAX_MANIFEST,
  });
  if (r.exitCode === 0) return { ok: true, body: Buffer.from(r.stdout) };
  const stderr = Buffer.from(r.stderr ?? []).toString('utf8');
  if (r.isMaxBuffer)
    return { ok: false, missing: false, reason: `${ref}: more than ${MAX_MANIFEST} bytes, not a manifest` };
  const missing = /manifest unknown|not found|name unknown|404/i.test(stderr);
  return { ok: false, missing, reason: skopeoReason(stderr, r.exitCode) };
}

/** The digest of a manifest and those of the platform manifests it lists (an index). */
export function digestsOf(body: Buffer): string[] {
  const top = sha256(body);
  try {
    const json = JSON.parse(body.toString('utf8')) as { manifests?: { digest?: unknown }[] };
    const children = Array.isArray(json.manifests)
      ? json.manifests
          .map((m) => m?.digest)
          .filter((d): d is string => typeof d === 'string' && /^sha256:[a-f0-9]{64}$/.test(d))
      : [];
    return [top, ...new Set(children)].filter((d, i, all) => all.indexOf(d) === i);
  } catch {
    return [top];
  }
}

/** A blob of an OCI layout, bounded, not through a link. */
export function layoutBlob(dir: string, digest: string): Buffer | undefined {
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) return undefined;
  let fd: number;
  try {
    fd = openSync(join(dir, 'blobs', 'sha256', digest.slice(7)), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_MANIFEST) return undefined;
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < st.size) {
      const r = readSync(fd, buf, n, st.size - n, null);
      if (r === 0) break;
      n += r;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

async function carryEach(
  digests: readonly string[],
  source: (tag: string) => string,
  target: (tag: string) => string,
  options: SkopeoOptions,
  check: (tag: string, digest: string) => Promise<string | undefined>,
  layoutRef?: (tag: string) => string,
): Promise<SignatureCarry> {
  const carried: CarriedSignature[] = [];
  const unsigned: string[] = [];
  const problems: string[] = [];
  for (const signs of digests) {
    const tag = signatureTag(signs);
    if (!tag) continue;
    const there = await inspectRaw(options, source(tag), 'source');
    if (!there.ok) {
      if (there.missing) unsigned.push(signs);
      else problems.push(`its signatures (${tag}) could not be read: ${there.reason}`);
      continue;
    }
    if (there.body.length > LIMITS.sigManifest) {
      problems.push(
        `${tag}: ${there.body.length} bytes, more than a signature manifest (${LIMITS.sigManifest}); not carried`,
      );
      continue;
    }
    const digest = sha256(there.body);
    // already there with the same digest (a rerun): nothing to copy
    if ((await check(tag, digest)) === undefined) {
      carried.push({ signs, tag, digest, ...(layoutRef ? { ref: layoutRef(tag) } : {}) });
      continue;
    }
    const copied = await copy(options, source(tag), target(tag), { timeoutMs: SIGNATURE_COPY_TIMEOUT_MS });
    if (!copied.ok) {
      problems.push(`its signatures ${tag} were not copied: ${copied.reason}`);
      continue;
    }
    const wrong = await check(tag, digest);
    if (wrong !== undefined) {
      problems.push(`its signatures ${tag}: ${wrong}`);
      continue;
    }
    carried.push({ signs, tag, digest, ...(layoutRef ? { ref: layoutRef(tag) } : {}) });
  }
  return { carried, unsigned, problems };
}

/** Directly, registry to registry, after the image is on the mirror (`to` is its docker:// reference there). */
export async function carryToRegistry(options: SkopeoOptions, from: string, to: string): Promise<SignatureCarry> {
  const image = await inspectRaw(options, to, 'destination');
  if (!image.ok)
    return {
      carried: [],
      unsigned: [],
      problems: [`its manifest on the mirror could not be read to find its signatures: ${image.reason}`],
    };
  const src = repositoryOfTransport(from);
  const dst = repositoryOfTransport(to);
  return carryEach(
    digestsOf(image.body),
    (t) => `${src}:${t}`,
    (t) => `${dst}:${t}`,
    options,
    async (t, digest) => {
      const got = await inspectRaw(options, `${dst}:${t}`, 'destination');
      if (!got.ok) return `not readable on the mirror after the copy: ${got.reason}`;
      return sha256(got.body) === digest ? undefined : `the mirror holds ${sha256(got.body)}, not ${digest}`;
    },
  );
}

/**
 * Into the --to-dir layout, after the image (ref `imageRef`) is there. When skopeo converted a Docker-format image
 * to OCI on the way (`upstream`, the source's digest, differs from the layout's), upstream's signatures name
 * digests the directory does not hold and could never verify behind the gap: a signed image then fails, naming
 * both digests; an unsigned one is carried unsigned.
 */
export async function carryToLayout(
  options: SkopeoOptions,
  from: string,
  dir: string,
  imageRef: string,
  upstream?: string,
): Promise<SignatureCarry> {
  const top = layoutDigests(dir).get(imageRef);
  const body = top ? layoutBlob(dir, top) : undefined;
  if (!top || !body || sha256(body) !== top)
    return { carried: [], unsigned: [], problems: [`its manifest is not readable in ${dir} to find its signatures`] };
  const src = repositoryOfTransport(from);
  if (upstream !== undefined && upstream !== top) {
    const tag = signatureTag(upstream);
    const signed = tag ? await inspectRaw(options, `${src}:${tag}`, 'source') : undefined;
    if (signed?.ok) {
      return {
        carried: [],
        unsigned: [],
        problems: [
          `it is signed upstream as ${upstream}, but skopeo converted it to OCI (${top}) in the directory: its signatures name digests the directory does not hold and would not verify behind the gap; copy it directly, or keep its format (--preserve-digests)`,
        ],
      };
    }
    if (signed && !signed.missing)
      return { carried: [], unsigned: [], problems: [`its signatures (${tag}) could not be read: ${signed.reason}`] };
    return { carried: [], unsigned: [upstream], problems: [] };
  }
  const refOf = (t: string): string => `${src.slice('docker://'.length)}:${t}`;
  return carryEach(
    digestsOf(body),
    (t) => `${src}:${t}`,
    (t) => `oci:${dir}:${refOf(t)}`,
    options,
    (t, digest) => {
      const got = layoutDigests(dir).get(refOf(t));
      return Promise.resolve(
        got === digest ? undefined : `written to the directory as ${got ?? 'nothing'}, not ${digest}`,
      );
    },
    refOf,
  );
}

/** Out of a --from-dir layout: each signature its record lists, to the image's repository on the mirror. */
export async function carryFromLayout(
  options: SkopeoOptions,
  dir: string,
  to: string,
  signatures: readonly CarriedSignature[],
): Promise<SignatureCarry> {
  const dst = repositoryOfTransport(to);
  const carried: CarriedSignature[] = [];
  const problems: string[] = [];
  const inLayout = layoutDigests(dir);
  for (const s of signatures) {
    if (!s.ref || signatureTag(s.signs) !== s.tag) {
      problems.push(`the record lists a signature ${s.tag} for ${s.signs} that is not cosign's tag for it`);
      continue;
    }
    if (inLayout.get(s.ref) !== s.digest) {
      problems.push(
        `its signatures ${s.ref}: the directory holds ${inLayout.get(s.ref) ?? 'nothing'} there, the record says ${s.digest}`,
      );
      continue;
    }
    const copied = await copy(options, `oci:${dir}:${s.ref}`, `${dst}:${s.tag}`, {
      timeoutMs: SIGNATURE_COPY_TIMEOUT_MS,
    });
    if (!copied.ok) {
      problems.push(`its signatures ${s.tag} were not copied: ${copied.reason}`);
      continue;
    }
    const got = await inspectRaw(options, `${dst}:${s.tag}`, 'destination');
    if (!got.ok || sha256(got.body) !== s.digest) {
      problems.push(
        `its signatures ${s.tag}: ${got.ok ? `the mirror holds ${sha256(got.body)}, not ${s.digest}` : got.reason}`,
      );
      continue;
    }
    carried.push({ signs: s.signs, tag: s.tag, digest: s.digest });
  }
  return { carried, unsigned: [], problems };
}

/** The record's `signatures` field, checked when read back (an entry from an older record has none). */
export function recordedSignatures(entry: unknown): CarriedSignature[] | string {
  const list = (entry as { signatures?: unknown }).signatures;
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length > 1024) return 'its `signatures` is not a list';
  for (const s of list) {
    const ok =
      s !== null &&
      typeof s === 'object' &&
      ['signs', 'tag', 'digest', 'ref'].every((k) => typeof (s as Record<string, unknown>)[k] === 'string');
    if (!ok) return 'a `signatures` entry is not {signs, tag, digest, ref}';
  }
  return list as CarriedSignature[];
}

/**
 * For `verify --dir` (the lead wires it): what is wrong with the signatures an entry of a --to-dir record lists —
 * each must be cosign's tag for a manifest of the image (its top manifest or a platform its index lists), and
 * the layout must hold it under its ref with the recorded digest. Empty when all is well.
 */
export function layoutSignatureProblems(
  dir: string,
  entry: { source: string; digest: string; signatures?: unknown },
): string[] {
  const list = recordedSignatures(entry);
  if (typeof list === 'string') return [`${entry.source}: ${list}`];
  const body = layoutBlob(dir, entry.digest);
  const manifests = body && sha256(body) === entry.digest ? digestsOf(body) : [entry.digest];
  const inLayout = layoutDigests(dir);
  const problems: string[] = [];
  for (const s of list) {
    if (signatureTag(s.signs) !== s.tag || !manifests.includes(s.signs))
      problems.push(`${entry.source}: signature ${s.tag} is not for a manifest of this image`);
    else if (!s.ref || inLayout.get(s.ref) !== s.digest)
      problems.push(
        `${entry.source}: signature ${s.ref ?? s.tag}: the directory holds ${(s.ref && inLayout.get(s.ref)) || 'nothing'} there, the record says ${s.digest}`,
      );
    else if (!layoutBlob(dir, s.digest))
      problems.push(`${entry.source}: signature ${s.ref}: its manifest ${s.digest} is not in the directory's blobs`);
  }
  return problems;
}
