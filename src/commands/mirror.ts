/**
 * `eck-airgap mirror`: copies every image `images` lists with skopeo (every platform, digests preserved):
 * directly to the mirror, into one OCI layout on disk (`--to-dir`, the connected side) or from such a directory
 * to the mirror (`--from-dir`, the disconnected side; no stream, names computed from the settings).
 *
 * "Already there" only when the destination holds the whole image (src/mirror/registry-holds.ts for a registry,
 * src/mirror/check-carry.ts for a directory); otherwise it is copied again ("repaired" when its top digest was
 * right). Each image is bounded by --timeout; transient failures are retried with backoff; copies into one
 * repository never run at the same time; into a --to-dir directory each image is copied into a stage of its own
 * (src/mirror/layout-stage.ts), so they run in parallel. While an image copies, its progress goes to stderr
 * (src/mirror/progress.ts). See docs/mirror-and-verify.md.
 */
import { carryDirError } from '../mirror/carry-dir-error.js';
import { mkdirSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isatty } from 'node:tty';
import { loadSettings } from '../config/load-settings.js';
import { writeStderr } from '../io/write-output.js';
import { InputError, UsageError } from '../errors.js';
import { relocateReference } from '../image/relocate.js';
import { parseReference } from '../image/reference.js';
import { skopeoDestination, skopeoSource } from '../images-output/skopeo-reference.js';
import { CarryBlobs, checkCarry, checkImageTree } from '../mirror/check-carry.js';
import { lstatOrUndefined } from '../mirror/carry-files.js';
import {
  layoutRef,
  prepareCarry,
  readIndex,
  removeSkopeoLeftovers,
  repairIndex,
  writeLayoutManifest,
  type LayoutEntry,
  type MissingEntry,
} from '../mirror/layout.js';
import { destinationClient, registryHolds } from '../mirror/registry-holds.js';
import {
  copy,
  findSkopeo,
  inspectDigest,
  mustConvert,
  transient,
  type RunBounds,
  type SkopeoOptions,
} from '../mirror/skopeo.js';
import { escapeControls } from '../mirror/text.js';
import { mirrorFailureReport } from '../mirror/failure-report.js';
import { mirrorAccess, missingPlatforms, missingPlatformsInLayout } from '../mirror/registry-access.js';
import type { Platform } from '../registry/verify-image.js';
import type { RegistryClient } from '../registry/client.js';
import { mapLimit, positiveInteger } from '../registry/pool.js';
import { leftoverReport, planImages, type ImagesFlags } from './images.js';
import type { CarriedSignature, SignatureCarry } from '../signatures/carry.js';
import { carryFor, signaturesOfEntry, signatureSummary } from '../signatures/mirror-hook.js';
import { MANIFEST_FILE } from '../mirror/layout.js';
import { IndexLock, mergeStage, openStage, removeStages, type Stage } from '../mirror/layout-stage.js';
import { Progress } from '../mirror/progress.js';
import { layoutWatch, registryWatch } from '../mirror/progress-watch.js';

export interface MirrorFlags extends ImagesFlags {
  skopeo?: string;
  toDir?: string;
  fromDir?: string;
  srcTlsVerify?: string;
  destTlsVerify?: string;
  destCertDir?: string;
  jobs?: string;
  timeout?: string;
  /** Hidden: milliseconds between progress updates (src/mirror/progress.ts; for the tests). */
  progressInterval?: string;
}

/** Seconds per image by default (README: "Bounded"); an Elastic image of about 1 GB on a slow link fits in it. */
export const DEFAULT_TIMEOUT_S = 1800;
/** Transient failures are tried again this many times, after about 1, 2, 4 s. */
export const RETRIES = 3;

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
  /** Copies into one destination repository run one after the other. */
  readonly repository: string;
}

type Outcome = 'copied' | 'repaired' | 'already there' | 'failed';

interface Result {
  readonly job: Job;
  readonly outcome: Outcome;
  readonly reason?: string;
  /** A failure: stopped at --timeout, and the attempts made (for the report's fix). */
  readonly timedOut?: boolean | undefined;
  readonly attempts?: number | undefined;
  readonly digest?: string;
  /** --to-dir: the upstream digest, when the layout holds a converted one. */
  readonly upstream?: string;
  /** The image's signatures carried with it. */
  readonly signatures?: SignatureCarry;
}

/** Stands for the mirror on the connected side when no registry is given with --to-dir (targets are not used there). */
const UNKNOWN_MIRROR = 'mirror.invalid';

export async function mirrorCommand(files: string[], flags: MirrorFlags): Promise<number> {
  // registry access (src/mirror/registry-access.ts): the settings in one vocabulary with verify, for skopeo
  const access = mirrorAccess(
    await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: false, quiet: true }),
    flags,
    flags.toDir === undefined,
  );
  try {
    if (!flags.quiet) writeStderr(access.notes.join(''));
    return await mirrorRun(
      files,
      flags,
      { bin: findSkopeo(flags.skopeo, process.env), ...access.options },
      access.platforms,
    );
  } finally {
    access.cleanup();
  }
}

async function mirrorRun(
  files: string[],
  flags: MirrorFlags,
  options: SkopeoOptions,
  platforms: readonly Platform[],
): Promise<number> {
  if (flags.toDir !== undefined && flags.fromDir !== undefined)
    throw new UsageError(
      '--to-dir and --from-dir exclude each other: --to-dir on the connected side, --from-dir on the disconnected one.',
    );
  if (flags.fromDir !== undefined && files.length > 0)
    throw new UsageError(`--from-dir reads no manifests (the directory says what to copy); remove ${files.join(' ')}.`);
  const jobsFlag = positiveInteger('--jobs', flags.jobs, 4, 64);
  if (typeof jobsFlag === 'string') throw new UsageError(jobsFlag);
  const timeoutS = positiveInteger('--timeout', flags.timeout, DEFAULT_TIMEOUT_S, 7 * 24 * 3600);
  if (typeof timeoutS === 'string') throw new UsageError(timeoutS);
  const intervalMs = positiveInteger('--progress-interval', flags.progressInterval, 0, 3_600_000);
  if (typeof intervalMs === 'string') throw new UsageError(intervalMs);
  const noCarry = flags.fromDir !== undefined ? carryDirError('--from-dir', flags.fromDir) : undefined;
  if (noCarry) throw noCarry;
  for (const [flag, dir] of [
    ['--to-dir', flags.toDir],
    ['--from-dir', flags.fromDir],
  ] as const) {
    // skopeo's oci:PATH:REF splits at the first colon
    if (dir !== undefined && resolve(dir).includes(':'))
      throw new UsageError(
        `${flag} ${dir}: a directory whose path holds ':' cannot be given to skopeo (oci:PATH:REF); use another directory.`,
      );
  }
  let report = '';
  let jobs: Job[];
  /** Images that are not copied and count as failed: no name on the mirror, or missing / damaged in the carry. */
  const refused: string[] = [];
  let destination: string;
  /** --to-dir: the directory, and the record as the run goes. */
  let layoutDir: string | undefined;
  const carried = new Map<string, LayoutEntry>();
  const missing = new Map<string, MissingEntry>();
  if (flags.fromDir !== undefined) {
    const dir = resolve(flags.fromDir);
    const settings = await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: true });
    // nothing is pushed that the carry does not hold whole and intact, as its record says
    const carry = await checkCarry(dir);
    for (const g of carry.general) refused.push(`${flags.fromDir}: ${g}`);
    jobs = [];
    for (const image of carry.images) {
      const name = escapeControls(image.source);
      if (image.status !== 'present') {
        refused.push(`${name}: not copied: ${image.status} in the carry: ${escapeControls(image.problems.join('; '))}`);
        continue;
      }
      const ref = parseReference(image.source);
      const relocation = ref ? relocateReference(ref, settings) : undefined;
      if (relocation?.kind !== 'moved') {
        refused.push(
          `${name}: not copied: on no source registry (${settings.sourceRegistries.join(', ')}) and no \`mirrors\` entry of these settings, so it has no name on the mirror`,
        );
        continue;
      }
      const to = skopeoDestination(relocation.target);
      jobs.push({
        name: image.source,
        from: `oci:${dir}:${image.ref}`,
        to: `docker://${to}`,
        digest: image.digest!,
        repository: repositoryOf(to),
        signatures: signaturesOfEntry(
          join(dir, MANIFEST_FILE),
          carry.record.images.find((e) => e.source === image.source) ?? image,
        ),
      });
    }
    destination = settings.registry;
  } else {
    // The connected side may not know the mirror's name: --to-dir needs only the upstream names.
    const registryKnown =
      (await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: false })).registry !== '';
    const { settings, plan } = await planImages(
      files,
      flags.toDir !== undefined && !registryKnown ? { ...flags, registry: UNKNOWN_MIRROR } : flags,
    );
    report += leftoverReport(plan, settings);
    if (flags.toDir !== undefined) {
      const dir = resolve(flags.toDir);
      const record = prepareCarry(dir, flags.toDir);
      try {
        mkdirSync(dir, { recursive: true });
      } catch (error) {
        throw new InputError(
          `--to-dir ${flags.toDir}: cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a directory you can write.`,
        );
      }
      removeSkopeoLeftovers(dir);
      removeStages(dir);
      if (record && repairIndex(dir, record))
        report += `eck-airgap: ${flags.toDir}/index.json could not be read (an interrupted copy?); rebuilt from eck-airgap-images.json, every image checked again.\n`;
      for (const e of record?.images ?? []) carried.set(e.source, e);
      for (const e of record?.missing ?? []) if (!carried.has(e.source)) missing.set(e.source, e);
      jobs = plan.pairs.map((p) => {
        const from = skopeoSource(p.source);
        const digest = parseReference(p.source)?.digest;
        return {
          name: p.source,
          from: `docker://${from}`,
          to: `oci:${dir}:${layoutRef(from)}`,
          ref: layoutRef(from),
          // each image into a stage of its own (src/mirror/layout-stage.ts): copies into the directory run in parallel
          repository: `oci:${dir}:${layoutRef(from)}`,
          ...(digest ? { digest } : {}),
        };
      });
      for (const job of jobs)
        if (!carried.has(job.name))
          missing.set(job.name, {
            source: job.name,
            ref: job.ref!,
            reason: 'not copied yet (the run that wrote this record was stopped before it)',
          });
      layoutDir = dir;
      // the record first: an interrupted run leaves one that says the carry is not complete
      saveRecord(dir, [...carried.values()], [...missing.values()], false);
      destination = dir;
    } else {
      jobs = plan.pairs.map((p) => {
        const digest = parseReference(p.source)?.digest;
        const to = skopeoDestination(p.target);
        return {
          name: p.source,
          from: `docker://${skopeoSource(p.source)}`,
          to: `docker://${to}`,
          repository: repositoryOf(to),
          ...(digest ? { digest } : {}),
        };
      });
      destination = settings.registry;
    }
  }
  writeStderr(report);

  // an interrupt (SIGINT, SIGTERM) stops skopeo, keeps the record honest, and ends with 130
  const abort = new AbortController();
  let interrupted: string | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted = signal;
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const clients = new Map<string, RegistryClient>();
  const clientFor = (host: string): RegistryClient => {
    let client = clients.get(host);
    if (!client) {
      client = destinationClient(host, options, Math.min(timeoutS, 30) * 1000, process.env);
      clients.set(host, client);
    }
    return client;
  };
  const tty = isatty(2);
  const progress = new Progress({
    quiet: flags.quiet === true,
    tty,
    ...(intervalMs > 0 ? { intervalMs } : {}),
    ...(tty && process.stderr.columns ? { columns: process.stderr.columns } : {}),
    write: writeStderr,
  });
  const context: Context = {
    options,
    timeoutS,
    signal: abort.signal,
    clientFor,
    progress,
    lock: new IndexLock(),
    platforms,
  };

  let done = 0;
  const total = jobs.length;
  const results: Result[] = [];
  // one repository at a time: distribution 2.8 races when two copies push the same blobs into one repository
  const groups = new Map<string, Job[]>();
  for (const job of jobs) groups.set(job.repository, [...(groups.get(job.repository) ?? []), job]);
  try {
    await mapLimit([...groups.values()], jobsFlag, async (group) => {
      for (const job of group) {
        let result: Result = abort.signal.aborted
          ? { job, outcome: 'failed', reason: 'not copied: interrupted' }
          : await (layoutDir !== undefined
              ? toLayout(job, context, layoutDir, carried.get(job.name))
              : toRegistry(job, context));
        if (result.outcome !== 'failed') {
          // the image's cosign signatures (sha256-<digest>.sig tags) go with it; a signature that cannot be carried fails it
          // into a directory they write its index.json directly: under the one lock of that file
          const signatures = await context.lock.run(() =>
            carryFor(
              job,
              options,
              layoutDir,
              flags.fromDir !== undefined ? resolve(flags.fromDir) : undefined,
              result.upstream,
            ),
          );
          result =
            signatures.problems.length > 0
              ? { job, outcome: 'failed', reason: signatures.problems.join('; ') }
              : { ...result, signatures };
        }
        results.push(result);
        done++;
        if (layoutDir !== undefined) {
          if (result.outcome === 'failed') {
            carried.delete(job.name);
            missing.set(job.name, {
              source: job.name,
              ref: job.ref!,
              reason: escapeControls((result.reason ?? 'failed').split('\n').join(' ')),
            });
          } else {
            carried.set(job.name, {
              source: job.name,
              ref: job.ref!,
              digest: result.digest!,
              ...(result.upstream ? { upstream: result.upstream } : {}),
              signatures: result.signatures?.carried ?? [],
            });
            missing.delete(job.name);
          }
          saveRecord(layoutDir, [...carried.values()], [...missing.values()], false);
        }
        if (!flags.quiet || result.outcome === 'failed') {
          const arrow = job.to.startsWith('oci:') ? `${destination}` : job.to.slice('docker://'.length);
          const first = result.reason === undefined ? undefined : escapeControls(result.reason, true).split('\n')[0];
          progress.line(
            `eck-airgap: [${done}/${total}] ${escapeControls(job.name)} -> ${escapeControls(arrow)}: ${result.outcome}${first ? `: ${first}` : ''}\n`,
          );
        }
      }
    });
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (layoutDir !== undefined) {
      removeSkopeoLeftovers(layoutDir);
      removeStages(layoutDir);
      saveRecord(layoutDir, [...carried.values()], [...missing.values()], interrupted === undefined);
    }
  }
  results.sort((a, b) => jobs.indexOf(a.job) - jobs.indexOf(b.job));

  const count = (o: Outcome): number => results.filter((r) => r.outcome === o).length;
  const failed = results.filter((r) => r.outcome === 'failed');
  const all = total + refused.length;
  let summary = `eck-airgap: ${all} image${all === 1 ? '' : 's'} to ${destination}: ${count('copied')} copied, ${count('already there')} already there, ${failed.length + refused.length} failed, ${count('repaired')} repaired.\n`;
  summary += signatureSummary(results.map((r) => r.signatures));
  summary += mirrorFailureReport(
    failed.map((r) => ({ ...r.job, reason: r.reason ?? 'failed', timedOut: r.timedOut, attempts: r.attempts })),
    { authfile: flags.authfile, env: process.env, timeoutS },
  );
  for (const why of refused) summary += `eck-airgap: failed: ${why}.\n`;
  if (layoutDir !== undefined) {
    summary +=
      missing.size === 0 && interrupted === undefined
        ? `eck-airgap: the carry is complete: ${carried.size} image${carried.size === 1 ? '' : 's'} in ${flags.toDir}/eck-airgap-images.json; check it after copying the disk with eck-airgap verify --dir.\n`
        : `eck-airgap: the carry is NOT complete: ${flags.toDir}/eck-airgap-images.json lists ${missing.size} image${missing.size === 1 ? '' : 's'} missing (${[...missing.keys()].map((k) => escapeControls(k)).join(', ')}); run the same mirror --to-dir again, it resumes.\n`;
  }
  if (interrupted !== undefined) {
    writeStderr(`${summary}eck-airgap: interrupted (${interrupted}); skopeo stopped, nothing half-written kept.\n`);
    return interrupted === 'SIGTERM' ? 143 : 130;
  }
  if (failed.length + refused.length > 0 || !flags.quiet) writeStderr(summary);
  return failed.length + refused.length > 0 ? 1 : 0;
}

interface Context {
  readonly options: SkopeoOptions;
  readonly timeoutS: number;
  readonly signal: AbortSignal;
  readonly clientFor: (host: string) => RegistryClient;
  readonly progress: Progress;
  /** --to-dir: held by whatever reads or writes the directory's index.json. */
  readonly lock: IndexLock;
  /** --platform: platforms every image must have on the mirror. */
  readonly platforms: readonly Platform[];
}

/** host/path of a destination reference: copies into it are serialised. */
function repositoryOf(image: string): string {
  const ref = parseReference(image);
  return ref ? `${ref.domain}/${ref.path}` : image;
}

const left = (deadline: number): RunBounds['timeoutMs'] => Math.max(1, deadline - Date.now());

/** The digest the destination must hold: the pinned one, or the source's top manifest (asked, retried when transient). */
async function wantedDigest(
  job: Job,
  context: Context,
  deadline: number,
): Promise<{ digest: string } | { reason: string; timedOut: boolean; attempts: number }> {
  if (job.digest !== undefined) return { digest: job.digest };
  let attempt = 0;
  for (;;) {
    const r = await inspectDigest(context.options, job.from, 'source', {
      timeoutMs: left(deadline),
      signal: context.signal,
    });
    attempt++;
    if ('digest' in r) return r;
    if (
      r.timedOut ||
      context.signal.aborted ||
      !transient(r.reason) ||
      attempt > RETRIES ||
      Date.now() + 2000 * attempt > deadline
    )
      return { ...r, attempts: attempt };
    await sleep(backoff(attempt), undefined, { signal: context.signal }).catch(() => undefined);
  }
}

/** 1, 2, 4 s (with jitter, so that parallel copies do not retry in step). */
const backoff = (attempt: number): number => 500 * 2 ** attempt * (0.75 + Math.random() / 2);

/** skopeo copy, retried with backoff on transient failures, within the image's deadline. */
async function copyRetried(
  job: Job,
  context: Context,
  deadline: number,
  preserveDigests = true,
  stage?: Stage,
): Promise<{ ok: true } | { ok: false; reason: string; timedOut: boolean; attempts: number }> {
  let attempt = 0;
  for (;;) {
    const r = await copy(
      context.options,
      job.from,
      stage ? stage.destination(job.ref!) : job.to,
      { timeoutMs: left(deadline), signal: context.signal },
      preserveDigests,
      stage?.sharedBlobDir,
    );
    attempt++;
    if (r.ok) return r;
    if (
      r.timedOut ||
      r.cancelled ||
      !transient(r.reason) ||
      attempt > RETRIES ||
      Date.now() + 2000 * attempt > deadline
    )
      return { ...r, attempts: attempt };
    await sleep(backoff(attempt), undefined, { signal: context.signal }).catch(() => undefined);
  }
}

function failure(job: Job, reason: string, timedOut: boolean, attempts: number, _context: Context): Result {
  return { job, outcome: 'failed', reason, timedOut, attempts };
}

/** Into a registry: already there only when it holds the whole image; checked again after a copy. */
async function toRegistry(job: Job, context: Context): Promise<Result> {
  const deadline = Date.now() + context.timeoutS * 1000;
  const wanted = await wantedDigest(job, context, deadline);
  if ('reason' in wanted)
    return failure(job, `the source cannot be read: ${wanted.reason}`, wanted.timedOut, wanted.attempts, context);
  const target = job.to.slice('docker://'.length);
  const client = context.clientFor(parseReference(target)?.domain ?? '');
  const before = await registryHolds(client, target, wanted.digest);
  const lacking = async (): Promise<string | undefined> => missingPlatforms(client, target, context.platforms);
  if (before.holds) {
    const why = await lacking();
    return why ? failure(job, why, false, 1, context) : { job, outcome: 'already there', digest: wanted.digest };
  }
  const ended = context.progress.start(
    job.name,
    registryWatch(
      context.options,
      job.from,
      context.clientFor(parseReference(target)?.domain ?? ''),
      parseReference(target)?.path ?? '',
      context.signal,
    ),
  );
  const copied = await copyRetried(job, context, deadline).finally(ended);
  if (!copied.ok) return failure(job, copied.reason, copied.timedOut, copied.attempts, context);
  const after = await registryHolds(client, target, wanted.digest);
  if (!after.holds && !after.unknown) {
    return failure(job, `skopeo copied it, but the mirror does not hold it whole: ${after.why}`, false, 1, context);
  }
  if (!after.holds) {
    // the client could not ask (e.g. --dest-tls-verify=false against HTTPS): skopeo reads the digest back
    const back = await inspectDigest(context.options, job.to, 'destination', {
      timeoutMs: left(deadline),
      signal: context.signal,
    });
    if (!('digest' in back) || back.digest !== wanted.digest) {
      return failure(
        job,
        `skopeo copied it, but the mirror cannot be shown to hold ${wanted.digest}: ${'digest' in back ? `it names ${back.digest}` : back.reason}`,
        false,
        1,
        context,
      );
    }
  }
  const why = await lacking();
  if (why) return failure(job, why, false, 1, context);
  return { job, outcome: !before.holds && before.top ? 'repaired' : 'copied', digest: wanted.digest };
}

/** Into the --to-dir layout: already there only when the layout holds the whole image, intact; repaired otherwise. */
async function toLayout(job: Job, context: Context, dir: string, earlier: LayoutEntry | undefined): Promise<Result> {
  const deadline = Date.now() + context.timeoutS * 1000;
  const wanted = await wantedDigest(job, context, deadline);
  if ('reason' in wanted)
    return failure(job, `the source cannot be read: ${wanted.reason}`, wanted.timedOut, wanted.attempts, context);
  let repairing = false;
  const index = await context.lock.run(() => safeIndex(dir));
  const there = index.get(job.ref!);
  // the layout's digest: the upstream one, or the converted one an earlier run recorded for it
  const expected = earlier?.upstream === wanted.digest ? earlier.digest : wanted.digest;
  if (there?.digest === expected) {
    const blobs = new CarryBlobs(dir);
    const problems = await checkImageTree(blobs, expected, there.size);
    const upstream = expected !== wanted.digest ? { upstream: wanted.digest } : {};
    const lacking = problems.length === 0 ? missingPlatformsInLayout(dir, expected, context.platforms) : undefined;
    if (lacking) return failure(job, lacking, false, 1, context);
    if (problems.length === 0) return { job, outcome: 'already there', digest: expected, ...upstream };
    repairing = true;
    // skopeo reuses any file named like a blob: the wrong ones go first
    for (const digest of blobs.damaged) {
      const path = blobs.path(digest);
      try {
        if (!lstatOrUndefined(path)?.isDirectory()) unlinkSync(path);
      } catch {
        // left: skopeo's copy or the check after it names the blob
      }
    }
  }
  // the image goes into a stage of its own, its blobs into the directory's (src/mirror/layout-stage.ts); its ref
  // joins index.json only once it is checked whole
  let stage: Stage | undefined;
  const newStage = (): Stage | Result => {
    stage?.discard();
    try {
      return (stage = openStage(dir));
    } catch (error) {
      stage = undefined;
      return failure(
        job,
        `a stage for the copy cannot be made in ${dir} (${(error as NodeJS.ErrnoException).code ?? 'error'}): free space or make the directory writable`,
        false,
        1,
        context,
      );
    }
  };
  const ended = context.progress.start(
    job.name,
    layoutWatch(context.options, job.from, dir, () => stage, context.signal),
  );
  try {
    let into = newStage();
    if (!('dir' in into)) return into;
    let copied = await copyRetried(job, context, deadline, true, into);
    // A Docker-format image: skopeo 1.9 refuses to store a Docker manifest list unchanged in an OCI layout, and a
    // single Docker manifest it stores unchanged cannot be copied out by its ref (skopeo's oci source finds only OCI
    // descriptors). Such an image is stored converted to OCI (another digest; the upstream one is recorded).
    let converted = false;
    const stored = copied.ok ? safeIndex(into.dir).get(job.ref!) : undefined;
    if (
      (!copied.ok && mustConvert(copied.reason)) ||
      (stored !== undefined && !OCI_TOP_TYPES.has(stored.mediaType ?? ''))
    ) {
      if (job.digest !== undefined) {
        return failure(
          job,
          `a Docker-format image cannot cross in an OCI layout unchanged (skopeo converts it, which changes its digest); a pod pinned to ${job.digest} would not find it`,
          false,
          1,
          context,
        );
      }
      converted = true;
      into = newStage();
      if (!('dir' in into)) return into;
      copied = await copyRetried(job, context, deadline, false, into);
    }
    if (!copied.ok) return failure(job, copied.reason, copied.timedOut, copied.attempts, context);
    const now = safeIndex(into.dir).get(job.ref!);
    if (!now || (!converted && now.digest !== wanted.digest) || !OCI_TOP_TYPES.has(now.mediaType ?? '')) {
      return failure(
        job,
        `written to the directory as ${now?.digest ?? 'nothing'}, not ${wanted.digest}; a pod pinned to ${wanted.digest} would not find it`,
        false,
        1,
        context,
      );
    }
    const problems = await checkImageTree(new CarryBlobs(dir), now.digest, now.size);
    if (problems.length > 0)
      return failure(
        job,
        `skopeo copied it, but the directory does not hold it whole: ${problems.join('; ')}`,
        false,
        1,
        context,
      );
    const lacking = missingPlatformsInLayout(dir, now.digest, context.platforms);
    if (lacking) return failure(job, lacking, false, 1, context);
    const staged = into;
    const merged = await context.lock.run(() => {
      try {
        mergeStage(dir, staged, job.ref!);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    });
    if (merged !== undefined)
      return failure(job, `its ref could not be added to ${dir}/index.json: ${merged}`, false, 1, context);
    return {
      job,
      outcome: repairing ? 'repaired' : 'copied',
      digest: now.digest,
      ...(now.digest !== wanted.digest ? { upstream: wanted.digest } : {}),
    };
  } finally {
    ended();
    stage?.discard();
  }
}

/** The record written, or a one-paragraph error (a full disk, a directory made read-only). */
function saveRecord(
  dir: string,
  images: readonly LayoutEntry[],
  missing: readonly MissingEntry[],
  final: boolean,
): void {
  try {
    writeLayoutManifest(dir, images, missing, final);
  } catch (error) {
    throw new InputError(
      `${dir}/eck-airgap-images.json: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); free space or make the directory writable, then run mirror --to-dir again (it resumes).`,
    );
  }
}

/** What skopeo's oci source finds by ref (skopeo 1.9: only these). */
const OCI_TOP_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
]);

function safeIndex(dir: string): ReturnType<typeof readIndex> {
  try {
    return readIndex(dir);
  } catch {
    return new Map();
  }
}
