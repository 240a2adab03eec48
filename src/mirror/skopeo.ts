/**
 * Running skopeo: found on PATH or given with --skopeo, started with argument arrays (never a shell), its
 * options passed through as the user wrote them. A registries.conf goes to skopeo's global `--registries-conf`
 * (hidden in skopeo 1.9's help, but there; the containers/image 5.23 it is built on does not read
 * $CONTAINERS_REGISTRIES_CONF).
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { UsageError } from '../errors.js';
import { escapeControls, unquoteGo } from './text.js';

export interface SkopeoOptions {
  readonly bin: string;
  readonly registriesConf?: string;
  readonly authfile?: string;
  readonly srcTlsVerify?: boolean;
  readonly destTlsVerify?: boolean;
  readonly destCertDir?: string;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function findSkopeo(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag !== undefined) {
    if (!executable(flag)) throw new UsageError(`--skopeo ${flag}: not an executable file.`);
    return flag;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, 'skopeo'))) return join(dir, 'skopeo');
  }
  throw new UsageError('skopeo not found on PATH; install it (e.g. apt-get install skopeo) or give --skopeo PATH.');
}

export function checkFile(flag: string, path: string | undefined, kind: 'file' | 'directory'): void {
  if (path === undefined) return;
  if (!existsSync(path) || statSync(path).isDirectory() !== (kind === 'directory'))
    throw new UsageError(`${flag} ${path}: no such ${kind}.`);
}

/** Global options, before the subcommand. */
function global(options: SkopeoOptions): string[] {
  return options.registriesConf !== undefined ? ['--registries-conf', options.registriesConf] : [];
}

const auth = (o: SkopeoOptions): string[] => (o.authfile !== undefined ? ['--authfile', o.authfile] : []);
const srcTls = (o: SkopeoOptions): string[] =>
  o.srcTlsVerify !== undefined ? [`--src-tls-verify=${o.srcTlsVerify}`] : [];
const destTls = (o: SkopeoOptions): string[] => [
  ...(o.destTlsVerify !== undefined ? [`--dest-tls-verify=${o.destTlsVerify}`] : []),
  ...(o.destCertDir !== undefined ? ['--dest-cert-dir', o.destCertDir] : []),
];

/** skopeo's reason, from its error lines (`time=… level=fatal msg="…"` unwrapped, Go escapes decoded: real line breaks). */
export function skopeoReason(stderr: string, exitCode: number | undefined): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const last = [...lines].reverse().find((l) => /level=(fatal|error)/.test(l)) ?? lines.at(-1);
  if (!last) return `skopeo exited ${exitCode ?? '?'} without a message`;
  const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(last);
  const text = msg ? unquoteGo(msg[1]!) : last;
  return escapeControls(text.trim().slice(0, 4000), true);
}

export type Side = 'source' | 'destination';

export interface RunBounds {
  /** Milliseconds left for this image (skopeo is killed past it). */
  readonly timeoutMs: number;
  /** Aborted on SIGINT / SIGTERM: skopeo is stopped. */
  readonly signal?: AbortSignal;
}

/** The top manifest of an image (`skopeo inspect --raw`): its digest, or why skopeo could not read it. */
export async function inspectDigest(
  options: SkopeoOptions,
  transportRef: string,
  side: Side,
  bounds: RunBounds,
): Promise<{ digest: string; raw: Buffer } | { reason: string; timedOut: boolean }> {
  const tls =
    side === 'source'
      ? options.srcTlsVerify !== undefined
        ? [`--tls-verify=${options.srcTlsVerify}`]
        : []
      : [
          ...(options.destTlsVerify !== undefined ? [`--tls-verify=${options.destTlsVerify}`] : []),
          ...(options.destCertDir !== undefined ? ['--cert-dir', options.destCertDir] : []),
        ];
  const r = await execa(
    options.bin,
    [
      ...global(options),
      'inspect',
      '--raw',
      ...(transportRef.startsWith('docker://') ? [...auth(options), ...tls] : []),
      transportRef,
    ],
    {
      reject: false,
      encoding: 'buffer',
      stdin: 'ignore',
      maxBuffer: 16 * 1024 * 1024,
      timeout: Math.max(1, bounds.timeoutMs),
      killSignal: 'SIGKILL',
      ...(bounds.signal ? { cancelSignal: bounds.signal } : {}),
    },
  );
  if (r.timedOut) return { reason: 'no answer in time (skopeo inspect stopped)', timedOut: true };
  if (r.isCanceled) return { reason: 'interrupted', timedOut: false };
  if (r.signal !== undefined) return { reason: `skopeo inspect was stopped by ${r.signal}`, timedOut: false };
  if (r.exitCode !== 0)
    return {
      reason:
        r.exitCode === undefined
          ? `skopeo could not run: ${r.shortMessage}`
          : skopeoReason(Buffer.from(r.stderr).toString('utf8'), r.exitCode),
      timedOut: false,
    };
  const raw = Buffer.from(r.stdout);
  return { digest: `sha256:${createHash('sha256').update(raw).digest('hex')}`, raw };
}

export type CopyOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly timedOut: boolean; readonly cancelled: boolean };

/**
 * `skopeo copy --all --preserve-digests SRC DST`: every platform, and the very bytes (no recompression of an
 * uncompressed layer, no conversion of a Docker manifest on the way into an OCI layout), so that a tag names the
 * same digest upstream, in the carry and on the mirror. Killed when the bound is exceeded or on an interrupt.
 * (Without `preserveDigests` only for a Docker manifest list going into an OCI layout: skopeo 1.9 can store it
 * only converted; see mustConvert.) `destSharedBlobDir`: skopeo's `--dest-shared-blob-dir`, for a --to-dir stage.
 */
export async function copy(
  options: SkopeoOptions,
  source: string,
  destination: string,
  bounds: RunBounds,
  preserveDigests = true,
  destSharedBlobDir?: string,
): Promise<CopyOutcome> {
  const args = [
    ...global(options),
    'copy',
    '--all',
    ...(preserveDigests ? ['--preserve-digests'] : []),
    '--quiet',
    ...auth(options),
  ];
  if (source.startsWith('docker://')) args.push(...srcTls(options));
  if (destination.startsWith('docker://')) args.push(...destTls(options));
  // a --to-dir stage (src/mirror/layout-stage.ts): the blobs go into the carry's blobs directory
  if (destSharedBlobDir !== undefined) args.push('--dest-shared-blob-dir', destSharedBlobDir);
  args.push(source, destination);
  const r = await execa(options.bin, args, {
    reject: false,
    stdin: 'ignore',
    stdout: 'ignore',
    maxBuffer: 4 * 1024 * 1024,
    timeout: Math.max(1, bounds.timeoutMs),
    killSignal: 'SIGKILL',
    ...(bounds.signal ? { cancelSignal: bounds.signal } : {}),
  });
  if (r.timedOut)
    return {
      ok: false,
      reason: 'no end to the copy in time: skopeo was stopped (the registry stopped answering?)',
      timedOut: true,
      cancelled: false,
    };
  if (r.isCanceled) return { ok: false, reason: 'interrupted', timedOut: false, cancelled: true };
  if (r.signal !== undefined)
    return {
      ok: false,
      reason: `skopeo was stopped by ${r.signal} before the copy ended (nothing it left half-written is kept)`,
      timedOut: false,
      cancelled: false,
    };
  if (r.failed && r.exitCode === undefined)
    return { ok: false, reason: `skopeo could not run: ${r.shortMessage}`, timedOut: false, cancelled: false };
  return r.exitCode === 0
    ? { ok: true }
    : { ok: false, reason: skopeoReason(String(r.stderr), r.exitCode), timedOut: false, cancelled: false };
}

/**
 * A failure worth trying again: the registry's 5xx and 429, a reset or cut connection, and distribution 2.8's
 * races between two pushes of shared blobs (`digest invalid`, `blob unknown`).
 */
export function transient(reason: string): boolean {
  return /\b(50[0-4]|429)\b|too many requests|internal server error|bad gateway|service unavailable|gateway time-?out|connection reset|reset by peer|broken pipe|unexpected EOF|\bEOF\b|i\/o timeout|TLS handshake timeout|digest invalid|blob unknown|blob upload unknown|DIGEST_INVALID|BLOB_UNKNOWN|BLOB_UPLOAD_UNKNOWN/i.test(
    reason,
  );
}

/** skopeo refused to store a Docker manifest list unchanged in an OCI layout (it can only convert it). */
export function mustConvert(reason: string): boolean {
  return /must be converted to type .* but we cannot modify it|Instructed to preserve digests/i.test(reason);
}
