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
  if (!existsSync(path) || statSync(path).isDirectory() !== (kind === 'directory')) throw new UsageError(`${flag} ${path}: no such ${kind}.`);
}

/** Global options, before the subcommand. */
function global(options: SkopeoOptions): string[] {
  return options.registriesConf !== undefined ? ['--registries-conf', options.registriesConf] : [];
}

const auth = (o: SkopeoOptions): string[] => (o.authfile !== undefined ? ['--authfile', o.authfile] : []);
const srcTls = (o: SkopeoOptions): string[] => (o.srcTlsVerify !== undefined ? [`--src-tls-verify=${o.srcTlsVerify}`] : []);
const destTls = (o: SkopeoOptions): string[] =>
  [...(o.destTlsVerify !== undefined ? [`--dest-tls-verify=${o.destTlsVerify}`] : []), ...(o.destCertDir !== undefined ? ['--dest-cert-dir', o.destCertDir] : [])];

/** skopeo's reason, from its last error line (`time=… level=fatal msg="…"` unwrapped). */
export function skopeoReason(stderr: string, exitCode: number | undefined): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const last = [...lines].reverse().find((l) => /level=(fatal|error)/.test(l)) ?? lines.at(-1);
  if (!last) return `skopeo exited ${exitCode ?? '?'} without a message`;
  const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(last);
  return msg ? msg[1]!.replace(/\\"/g, '"') : last;
}

export type Side = 'source' | 'destination';

/** The digest of an image's top manifest (`skopeo inspect --raw`), or undefined when skopeo cannot read it. */
export async function inspectDigest(options: SkopeoOptions, transportRef: string, side: Side): Promise<string | undefined> {
  const tls =
    side === 'source'
      ? options.srcTlsVerify !== undefined ? [`--tls-verify=${options.srcTlsVerify}`] : []
      : [...(options.destTlsVerify !== undefined ? [`--tls-verify=${options.destTlsVerify}`] : []), ...(options.destCertDir !== undefined ? ['--cert-dir', options.destCertDir] : [])];
  const r = await execa(options.bin, [...global(options), 'inspect', '--raw', ...(transportRef.startsWith('docker://') ? [...auth(options), ...tls] : []), transportRef], {
    reject: false,
    encoding: 'buffer',
    stdin: 'ignore',
  });
  if (r.exitCode !== 0) return undefined;
  return `sha256:${createHash('sha256').update(Buffer.from(r.stdout)).digest('hex')}`;
}

/**
 * `skopeo copy --all SRC DST`, with `--preserve-digests` into a registry (the mirror must hold the very digests
 * pods may be pinned to); undefined on success, else skopeo's reason. Into an OCI layout skopeo must convert
 * Docker-format manifests to OCI ones, so there digests are not forced (OCI images keep theirs).
 */
export async function copy(options: SkopeoOptions, source: string, destination: string): Promise<string | undefined> {
  const args = [...global(options), 'copy', '--all', ...(destination.startsWith('docker://') ? ['--preserve-digests'] : []), '--quiet', ...auth(options)];
  if (source.startsWith('docker://')) args.push(...srcTls(options));
  if (destination.startsWith('docker://')) args.push(...destTls(options));
  args.push(source, destination);
  const r = await execa(options.bin, args, { reject: false, stdin: 'ignore' });
  if (r.failed && r.exitCode === undefined) return `skopeo could not run: ${r.shortMessage}`;
  return r.exitCode === 0 ? undefined : skopeoReason(String(r.stderr), r.exitCode);
}
