/**
 * One vocabulary for registry access in `mirror` and `verify` (the `registry access` settings of
 * src/config/descriptors.ts: plainHttp, caFile, authfile, registriesConf, platforms), and its translation into
 * skopeo's options for mirror. mirror copies source → mirror: `--plain-http` and `--ca-file` are about the mirror
 * (skopeo's destination), `--registries-conf` says where the sources are reached, `--authfile` serves both sides,
 * `--platform` is a platform every image must have (every platform is still copied, digests preserved).
 *
 * skopeo's own spellings (`--dest-tls-verify`, `--dest-cert-dir`, `--src-tls-verify`) stay accepted; one that
 * disagrees with the new spelling given alongside it is refused. `--ca-file` reaches skopeo as a private directory
 * (mkdtemp, 0700) holding only that CA as `ca.crt`, so a key next to the CA never reaches skopeo (which would look
 * for its client certificate); it is removed after the run. See docs/mirror-and-verify.md, "Registry access".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { BoundedReadError, readBounded } from '../io/read-bounded.js';
import { MAX_CA_FILE } from '../registry/http.js';
import type { RegistryClient } from '../registry/client.js';
import { parsePlatform, verifyImage, type Platform } from '../registry/verify-image.js';
import type { Settings } from '../config/settings.js';
import { checkFile, type SkopeoOptions } from './skopeo.js';

/** The registry access settings, as the settings give them (flags, environment, config file merged). */
export type AccessSettings = Pick<Settings, 'plainHttp' | 'caFile' | 'authfile' | 'registriesConf' | 'platforms'>;

/** skopeo's own spellings, as mirror takes them (flags only, as before). */
export interface SkopeoSpellings {
  readonly srcTlsVerify?: string | undefined;
  readonly destTlsVerify?: string | undefined;
  readonly destCertDir?: string | undefined;
}

export interface MirrorAccess {
  /** skopeo's options (all but the binary). */
  readonly options: Omit<SkopeoOptions, 'bin'>;
  /** Platforms every image must have on the mirror. */
  readonly platforms: readonly Platform[];
  /** Lines for stderr (settings that have no effect in this mode). */
  readonly notes: readonly string[];
  /** Removes the private CA directory (idempotent). */
  cleanup(): void;
}

function skopeoBool(flag: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UsageError(`${flag}=${value}: expected true or false (write ${flag}=false).`);
}

/** The platforms, parsed (the settings' rule already checked their form). */
export function platformsOf(settings: AccessSettings): Platform[] {
  const platforms: Platform[] = [];
  for (const text of settings.platforms ?? []) {
    const p = parsePlatform(text);
    if (!p)
      throw new UsageError(`--platform ${text}: expected OS/ARCH or OS/ARCH/VARIANT, e.g. linux/amd64 or linux/arm64.`);
    platforms.push(p);
  }
  return platforms;
}

/** A CA file's PEM text, or a one-paragraph usage error naming the file. */
export function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readBounded(path, { what: '--ca-file', maxBytes: MAX_CA_FILE }).toString('utf8');
  } catch (error) {
    if (!(error instanceof BoundedReadError)) throw error;
    throw new UsageError(`${error.message}. Give --ca-file a PEM file of CA certificates.`);
  }
  if (!/^-----BEGIN CERTIFICATE-----\r?$/m.test(pem))
    throw new UsageError(
      `--ca-file ${path}: holds no PEM certificate (no -----BEGIN CERTIFICATE----- line; a DER file converts with openssl x509 -inform der). Give --ca-file a PEM file of CA certificates.`,
    );
  return pem;
}

/**
 * mirror's registry access: the settings and skopeo's spellings checked against each other and translated.
 * `contactsMirror` is false for --to-dir (the mirror is not contacted there).
 */
export function mirrorAccess(
  settings: AccessSettings,
  spellings: SkopeoSpellings,
  contactsMirror: boolean,
): MirrorAccess {
  const srcTlsVerify = skopeoBool('--src-tls-verify', spellings.srcTlsVerify);
  const destTlsVerify = skopeoBool('--dest-tls-verify', spellings.destTlsVerify);
  const platforms = platformsOf(settings);
  checkFile('--registries-conf', settings.registriesConf, 'file');
  checkFile('--authfile', settings.authfile, 'file');
  checkFile('--ca-file', settings.caFile, 'file');
  checkFile('--dest-cert-dir', spellings.destCertDir, 'directory');

  const { plainHttp, caFile } = settings;
  if (plainHttp !== undefined && destTlsVerify !== undefined && plainHttp === destTlsVerify)
    throw new UsageError(
      `--plain-http${plainHttp ? '' : '=false'} (or plainHttp / ECK_AIRGAP_PLAIN_HTTP) and --dest-tls-verify=${destTlsVerify} disagree: ` +
        `both say whether the mirror is spoken to over TLS (--plain-http is skopeo's --dest-tls-verify=false). Give one of them: --plain-http for a plain-HTTP mirror, nothing (or --plain-http=false) for HTTPS.`,
    );
  if (caFile !== undefined && spellings.destCertDir !== undefined)
    throw new UsageError(
      `--ca-file ${caFile} (or caFile / ECK_AIRGAP_CA_FILE) and --dest-cert-dir ${spellings.destCertDir} both name the mirror's CA: give one. ` +
        `--ca-file FILE is the CA's PEM file (mirror gives skopeo a private directory holding only it); --dest-cert-dir DIR is skopeo's own, read as skopeo reads it (every *.crt, and a *.key there needs its *.cert).`,
    );

  const notes: string[] = [];
  if (!contactsMirror) {
    const unused = [
      ...(plainHttp !== undefined ? ['--plain-http'] : []),
      ...(caFile !== undefined ? ['--ca-file'] : []),
    ];
    if (unused.length > 0)
      notes.push(
        `eck-airgap: note: ${unused.join(' and ')} ${unused.length > 1 ? 'are' : 'is'} about the mirror, which mirror --to-dir does not contact; ${unused.length > 1 ? 'they apply' : 'it applies'} at --from-dir. The sources are reached as --registries-conf says.\n`,
      );
  }

  let certDir: string | undefined;
  const cleanup = (): void => {
    if (certDir === undefined) return;
    rmSync(certDir, { recursive: true, force: true });
    certDir = undefined;
    process.off('exit', cleanup);
  };
  if (caFile !== undefined && contactsMirror) {
    const pem = readCaFile(caFile);
    // created exclusively, 0700, and holding only the CA: nothing else that sits next to the user's CA reaches skopeo
    certDir = mkdtempSync(join(tmpdir(), 'eck-airgap-ca-'));
    process.on('exit', cleanup);
    writeFileSync(join(certDir, 'ca.crt'), pem, { flag: 'wx', mode: 0o600 });
  }
  const dest = plainHttp !== undefined ? !plainHttp : destTlsVerify;
  const destCertDir = certDir ?? spellings.destCertDir;
  return {
    options: {
      ...(settings.registriesConf !== undefined ? { registriesConf: resolve(settings.registriesConf) } : {}),
      ...(settings.authfile !== undefined ? { authfile: settings.authfile } : {}),
      ...(srcTlsVerify !== undefined ? { srcTlsVerify } : {}),
      ...(dest !== undefined ? { destTlsVerify: dest } : {}),
      ...(destCertDir !== undefined ? { destCertDir } : {}),
    },
    platforms,
    notes,
    cleanup,
  };
}

/**
 * Why the mirror's copy of `image` does not have every platform asked for (as verify judges it), or undefined
 * when it has them all (or none was asked for).
 */
export async function missingPlatforms(
  client: RegistryClient,
  image: string,
  platforms: readonly Platform[],
): Promise<string | undefined> {
  if (platforms.length === 0) return undefined;
  const r = await verifyImage(image, client, platforms);
  if (r.status === 'present') return undefined;
  const want = platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`).join(', ');
  return `the mirror's copy does not have every platform asked for (--platform ${want}): ${r.status}${r.detail ? `: ${r.detail}` : ''}`;
}

const show = (p: Platform): string => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;

function json(buffer: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(buffer.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

interface PlatformOf {
  os?: unknown;
  architecture?: unknown;
  variant?: unknown;
}

const same = (wanted: Platform, have: PlatformOf | undefined): boolean =>
  have !== undefined &&
  have.os === wanted.os &&
  have.architecture === wanted.architecture &&
  (wanted.variant === undefined || have.variant === wanted.variant);

/**
 * The --to-dir counterpart of missingPlatforms: which platforms asked for the image stored in the OCI layout `dir`
 * under `digest` lacks (an index's entries, or a single manifest's config), as one reason; undefined when none.
 */
export function missingPlatformsInLayout(
  dir: string,
  digest: string,
  platforms: readonly Platform[],
): string | undefined {
  if (platforms.length === 0) return undefined;
  const read = (d: unknown): Record<string, unknown> | undefined => {
    if (typeof d !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(d)) return undefined;
    try {
      return json(readBounded(join(dir, 'blobs', 'sha256', d.slice(7)), { what: 'blob', maxBytes: 4 * 1024 * 1024 }));
    } catch {
      return undefined;
    }
  };
  const top = read(digest);
  let have: PlatformOf[] = [];
  if (Array.isArray(top?.manifests)) {
    have = (top.manifests as { platform?: PlatformOf }[]).flatMap((m) => (m.platform ? [m.platform] : []));
  } else {
    const config = read((top?.config as { digest?: unknown } | undefined)?.digest);
    if (config) have = [config as PlatformOf];
  }
  const lacking = platforms.filter((p) => !have.some((h) => same(p, h)));
  if (lacking.length === 0) return undefined;
  return `the image does not have every platform asked for (--platform ${platforms.map(show).join(', ')}): platform missing: ${lacking.map(show).join(', ')}`;
}
