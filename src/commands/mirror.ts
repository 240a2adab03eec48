/**
 * `eck-airgap mirror`: copies every image `images` lists with skopeo (every platform, digests preserved):
 * directly to the mirror, into one OCI layout on disk (`--to-dir`, the connected side) or from such a directory
 * to the mirror (`--from-dir`, the disconnected side; no stream, names computed from the settings). An image the
 * destination already holds with the same digest is skipped. See docs/mirror-and-verify.md.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSettings } from '../config/load-settings.js';
import { writeStderr } from '../cli/write-output.js';
import { UsageError } from '../errors.js';
import { relocateReference } from '../image/relocate.js';
import { parseReference } from '../image/reference.js';
import { skopeoDestination, skopeoSource } from '../images-output/skopeo-reference.js';
import { layoutDigests, layoutRef, readLayoutManifest, writeLayoutManifest, type LayoutEntry } from '../mirror/layout.js';
import { checkFile, copy, findSkopeo, inspectDigest, type SkopeoOptions } from '../mirror/skopeo.js';
import { mapLimit, positiveInteger } from '../registry/pool.js';
import { leftoverReport, planImages, type ImagesFlags } from './images.js';
import type { CarriedSignature, SignatureCarry } from '../signatures/carry.js';
import { carryFor, signaturesOfEntry, signatureSummary } from '../signatures/mirror-hook.js';
import { MANIFEST_FILE } from '../mirror/layout.js';

export interface MirrorFlags extends ImagesFlags {
  skopeo?: string;
  toDir?: string;
  fromDir?: string;
  registriesConf?: string;
  authfile?: string;
  srcTlsVerify?: string;
  destTlsVerify?: string;
  destCertDir?: string;
  jobs?: string;
}

interface Job {
  /** What the user knows the image by (the upstream name). */
  readonly name: string;
  /** skopeo transport references. */
  readonly from: string;
  readonly to: string;
  /** The digest the destination must hold, when known without asking the source. */
  readonly digest?: string;
  /** For --to-dir: the layout ref written. */
  readonly ref?: string;
  /** --from-dir: the signatures the record lists. */
  readonly signatures?: readonly CarriedSignature[];
}

type Result = {
  readonly job: Job;
  readonly outcome: 'copied' | 'already there' | 'failed';
  readonly reason?: string;
  readonly digest?: string;
  /** --to-dir: the source's digest, when known. */
  readonly upstream?: string;
  /** The image's signatures carried with it. */
  readonly signatures?: SignatureCarry;
};

/** Stands for the mirror on the connected side when no registry is given with --to-dir (targets are not used there). */
const UNKNOWN_MIRROR = 'mirror.invalid';

function bool(flag: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UsageError(`${flag}=${value}: expected true or false (write ${flag}=false).`);
}

export async function mirrorCommand(files: string[], flags: MirrorFlags): Promise<number> {
  if (flags.toDir !== undefined && flags.fromDir !== undefined) throw new UsageError('--to-dir and --from-dir exclude each other: --to-dir on the connected side, --from-dir on the disconnected one.');
  if (flags.fromDir !== undefined && files.length > 0) throw new UsageError(`--from-dir reads no manifests (the directory says what to copy); remove ${files.join(' ')}.`);
  const jobsFlag = positiveInteger('--jobs', flags.jobs, 4, 64);
  if (typeof jobsFlag === 'string') throw new UsageError(jobsFlag);
  checkFile('--registries-conf', flags.registriesConf, 'file');
  checkFile('--authfile', flags.authfile, 'file');
  checkFile('--dest-cert-dir', flags.destCertDir, 'directory');
  checkFile('--from-dir', flags.fromDir, 'directory');
  for (const [flag, dir] of [['--to-dir', flags.toDir], ['--from-dir', flags.fromDir]] as const) {
    // skopeo's oci:PATH:REF splits at the first colon
    if (dir !== undefined && resolve(dir).includes(':')) throw new UsageError(`${flag} ${dir}: a directory whose path holds ':' cannot be given to skopeo (oci:PATH:REF); use another directory.`);
  }
  const options: SkopeoOptions = {
    bin: findSkopeo(flags.skopeo, process.env),
    ...(flags.registriesConf !== undefined ? { registriesConf: resolve(flags.registriesConf) } : {}),
    ...(flags.authfile !== undefined ? { authfile: flags.authfile } : {}),
    ...(bool('--src-tls-verify', flags.srcTlsVerify) !== undefined ? { srcTlsVerify: bool('--src-tls-verify', flags.srcTlsVerify)! } : {}),
    ...(bool('--dest-tls-verify', flags.destTlsVerify) !== undefined ? { destTlsVerify: bool('--dest-tls-verify', flags.destTlsVerify)! } : {}),
    ...(flags.destCertDir !== undefined ? { destCertDir: flags.destCertDir } : {}),
  };

  let report = '';
  let jobs: Job[];
  /** --from-dir: images in the directory no rule of the settings moves to the mirror (they count as failed). */
  const unplaced: string[] = [];
  let destination: string;
  if (flags.fromDir !== undefined) {
    const dir = resolve(flags.fromDir);
    const settings = await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: true });
    const manifest = readLayoutManifest(dir, true)!;
    jobs = [];
    for (const entry of manifest.images) {
      const ref = parseReference(entry.source);
      const relocation = ref ? relocateReference(ref, settings) : undefined;
      if (relocation?.kind !== 'moved') {
        unplaced.push(
          `${entry.source}: not copied: on no source registry (${settings.sourceRegistries.join(', ')}) and no \`mirrors\` entry of these settings, so it has no name on the mirror`,
        );
        continue;
      }
      jobs.push({ name: entry.source, from: `oci:${dir}:${entry.ref}`, to: `docker://${skopeoDestination(relocation.target)}`, digest: entry.digest, signatures: signaturesOfEntry(join(dir, MANIFEST_FILE), entry) });
    }
    destination = settings.registry;
  } else {
    // The connected side may not know the mirror's name: --to-dir needs only the upstream names.
    const registryKnown = (await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: false })).registry !== '';
    const { settings, plan } = await planImages(files, flags.toDir !== undefined && !registryKnown ? { ...flags, registry: UNKNOWN_MIRROR } : flags);
    report += leftoverReport(plan, settings);
    if (flags.toDir !== undefined) {
      const dir = resolve(flags.toDir);
      mkdirSync(dir, { recursive: true });
      jobs = plan.pairs.map((p) => {
        const from = skopeoSource(p.source);
        const digest = parseReference(p.source)?.digest;
        return { name: p.source, from: `docker://${from}`, to: `oci:${dir}:${layoutRef(from)}`, ref: layoutRef(from), ...(digest ? { digest } : {}) };
      });
      destination = dir;
    } else {
      jobs = plan.pairs.map((p) => {
        const digest = parseReference(p.source)?.digest;
        return { name: p.source, from: `docker://${skopeoSource(p.source)}`, to: `docker://${skopeoDestination(p.target)}`, ...(digest ? { digest } : {}) };
      });
      destination = settings.registry;
    }
  }
  // skopeo does not lock an OCI layout's index.json: copies into one directory run one at a time.
  const parallel = flags.toDir !== undefined ? 1 : jobsFlag;
  const layoutDir = flags.toDir !== undefined ? resolve(flags.toDir) : undefined;
  writeStderr(report);

  // --to-dir: what earlier runs recorded (ref -> upstream digest), to know a converted image is already there
  const recorded = new Map<string, string>();
  if (layoutDir !== undefined) for (const e of readLayoutManifest(layoutDir, false)?.images ?? []) if (e.upstream) recorded.set(e.ref, e.upstream);
  let done = 0;
  const total = jobs.length;
  const results = await mapLimit(jobs, parallel, async (job): Promise<Result> => {
    let result = await (layoutDir !== undefined ? toLayout(job, options, layoutDir, recorded) : toRegistry(job, options));
    if (result.outcome !== 'failed') {
      const signatures = await carryFor(job, options, layoutDir, flags.fromDir !== undefined ? resolve(flags.fromDir) : undefined, result.upstream);
      result = signatures.problems.length > 0 ? { job, outcome: 'failed', reason: signatures.problems.join('; ') } : { ...result, signatures };
    }
    done++;
    if (!flags.quiet || result.outcome === 'failed') {
      const arrow = job.to.startsWith('oci:') ? `${destination}` : job.to.slice('docker://'.length);
      writeStderr(`eck-airgap: [${done}/${total}] ${job.name} -> ${arrow}: ${result.outcome}${result.reason ? `: ${result.reason}` : ''}\n`);
    }
    return result;
  });

  if (layoutDir !== undefined) {
    const entries: LayoutEntry[] = results
      .filter((r) => r.outcome !== 'failed' && r.digest)
      .map((r) => ({ source: r.job.name, ref: r.job.ref!, digest: r.digest!, ...(r.upstream && r.upstream !== r.digest ? { upstream: r.upstream } : {}), signatures: r.signatures?.carried ?? [] }));
    writeLayoutManifest(layoutDir, entries);
  }
  const count = (o: Result['outcome']): number => results.filter((r) => r.outcome === o).length;
  const failed = results.filter((r) => r.outcome === 'failed');
  const all = total + unplaced.length;
  let summary = `eck-airgap: ${all} image${all === 1 ? '' : 's'} to ${destination}: ${count('copied')} copied, ${count('already there')} already there, ${failed.length + unplaced.length} failed.\n`;
  summary += signatureSummary(results.map((r) => r.signatures));
  for (const r of failed) summary += `eck-airgap: failed: ${r.job.name}: ${r.reason}\n`;
  for (const why of unplaced) summary += `eck-airgap: failed: ${why}.\n`;
  if (failed.length + unplaced.length > 0 || !flags.quiet) writeStderr(summary);
  return failed.length + unplaced.length > 0 ? 1 : 0;
}

/** Into a registry: skipped when the destination already holds the source's digest. */
async function toRegistry(job: Job, options: SkopeoOptions): Promise<Result> {
  const there = await inspectDigest(options, job.to, 'destination');
  if (there !== undefined) {
    const wanted = job.digest ?? (await inspectDigest(options, job.from, 'source'));
    if (wanted === there) return { job, outcome: 'already there', digest: there };
  }
  const reason = await copy(options, job.from, job.to);
  if (reason !== undefined) return { job, outcome: 'failed', reason };
  return { job, outcome: 'copied', ...(job.digest !== undefined ? { digest: job.digest } : {}) };
}

/**
 * Into the --to-dir layout: skipped when the layout's ref holds the source's digest, or did when an earlier run
 * converted it (recorded upstream digest). A pinned image whose digest the conversion would change fails.
 */
async function toLayout(job: Job, options: SkopeoOptions, dir: string, recorded: ReadonlyMap<string, string>): Promise<Result> {
  const wanted = job.digest ?? (await inspectDigest(options, job.from, 'source'));
  const there = layoutDigests(dir).get(job.ref!);
  if (there !== undefined && wanted !== undefined && (wanted === there || recorded.get(job.ref!) === wanted)) {
    return { job, outcome: 'already there', digest: there, upstream: wanted };
  }
  const reason = await copy(options, job.from, job.to);
  if (reason !== undefined) return { job, outcome: 'failed', reason };
  const digest = layoutDigests(dir).get(job.ref!);
  if (job.digest !== undefined && digest !== job.digest) {
    return { job, outcome: 'failed', reason: `written to the directory as ${digest}, not ${job.digest} (skopeo converted a Docker-format image to OCI); a pod pinned to ${job.digest} would not find it` };
  }
  return { job, outcome: 'copied', ...(digest !== undefined ? { digest } : {}), ...(wanted !== undefined ? { upstream: wanted } : {}) };
}
