/**
 * `eck-airgap verify`: asks the mirror, through the OCI distribution API, for every target `images` lists,
 * following indexes into their platforms. Exit 0 when all are present, 1 otherwise (every problem named on
 * stderr), 2 for bad usage. See docs/mirror-and-verify.md.
 */
import { writeStderr, writeStdout } from '../io/write-output.js';
import { UsageError } from '../errors.js';
import { parseReference } from '../image/reference.js';
import { loadCredentials } from '../registry/auth-file.js';
import { RegistryClient } from '../registry/client.js';
import { trustedCas } from '../registry/http.js';
import { verifyFailureReport } from '../registry/verify-report.js';
import { platformsOf, readCaFile } from '../mirror/registry-access.js';
import { checkFile } from '../mirror/skopeo.js';
import { mapLimit, positiveInteger } from '../registry/pool.js';
import { verifyImage, type ImageResult } from '../registry/verify-image.js';
import { escapeControl, safeJson } from '../text/escape.js';
import { leftoverReport, planImages, type ImagesFlags } from './images.js';
import { loadSettings } from '../config/load-settings.js';
import { loadKeys, signatureCell, verifySignatures, type KeyFlags } from '../signatures/verify-keys.js';

export interface VerifyFlags extends ImagesFlags, KeyFlags {
  jobs?: string;
  timeout?: string;
  /** Write the images lock here once every image is present (src/lock/). */
  lockOutput?: string;
  /** `verify --dir DIR`: a carry checked on its own (src/mirror/check-carry.ts), no registry contacted. */
  dir?: string;
}

const FORMATS = ['text', 'json'] as const;

function table(results: readonly ImageResult[], signature?: (image: string) => string): string {
  // registry text (a digest it announced, …) and the images are printed with control characters escaped
  const rows = [
    ['IMAGE', 'STATUS', 'DIGEST', ...(signature ? ['SIGNATURE'] : [])],
    ...results.map((r) => [
      escapeControl(r.image),
      r.status,
      escapeControl(r.digest ?? '-'),
      ...(signature ? [escapeControl(signature(r.image))] : []),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return (
    rows
      .map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '))
      .join('\n') + '\n'
  );
}

export async function verifyCommand(files: string[], flags: VerifyFlags): Promise<number> {
  if (flags.dir !== undefined) {
    const { verifyCarryCommand } = await import('../mirror/check-carry.js');
    return verifyCarryCommand(flags.dir, flags, files);
  }
  const format = flags.output ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--output ${format}: unknown format; use text or json.`);
  // registry access (src/mirror/registry-access.ts): flags, environment and config file, as mirror reads them
  const access = await loadSettings({
    flags,
    env: process.env,
    cwd: process.cwd(),
    requireRegistry: false,
    quiet: true,
  });
  const platforms = platformsOf(access);
  checkFile('--registries-conf', access.registriesConf, 'file');
  const jobs = positiveInteger('--jobs', flags.jobs, 8, 64);
  if (typeof jobs === 'string') throw new UsageError(jobs);
  const timeout = positiveInteger('--timeout', flags.timeout, 30, 3600);
  if (typeof timeout === 'string') throw new UsageError(timeout);
  const ca = [
    ...trustedCas(undefined, process.env),
    ...(access.caFile !== undefined ? [readCaFile(access.caFile)] : []),
  ];
  const credentials = loadCredentials(access.authfile, process.env);
  const lock = await import('../lock/verify-lock.js');
  if (flags.lockOutput !== undefined) lock.checkLockOutput(flags.lockOutput);
  // `--lock FILE` (or the lock setting) without --lock-output: the drift check of the lock's images, no manifests read.
  const lockPath =
    flags.lockOutput === undefined
      ? (await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: false })).lock
      : undefined;
  const keys = loadKeys(flags);

  const clients = new Map<string, RegistryClient>();
  const clientFor = (image: string): RegistryClient => {
    const domain = parseReference(image)?.domain ?? '';
    let client = clients.get(domain);
    if (!client) {
      client = new RegistryClient(domain, {
        plainHttp: access.plainHttp === true,
        ca,
        timeoutMs: timeout * 1000,
        credentials,
      });
      clients.set(domain, client);
    }
    return client;
  };
  if (lockPath !== undefined) {
    const drift = await lock.verifyDrift(
      lockPath,
      clientFor,
      jobs,
      format as 'text' | 'json',
      flags.quiet === true,
      (bad) => verifyFailureReport(bad, credentials),
    );
    if (files.length > 0 && !flags.quiet)
      writeStderr(
        `eck-airgap: warning: with --lock, verify checks the images the lock lists; ${files.join(', ')} not read.\n`,
      );
    writeStderr(drift.stderr);
    await writeStdout(drift.stdout);
    return drift.ok ? 0 : 1;
  }

  const { settings, plan } = await planImages(files, flags);
  const sourceOf = new Map<string, string | null>();
  for (const p of plan.pairs) if (!sourceOf.has(p.target)) sourceOf.set(p.target, p.source);
  // A lock holds every image pulled from the mirror, those whose upstream name cannot be told too (source null).
  if (flags.lockOutput !== undefined)
    for (const u of plan.unknownOrigin) if (!sourceOf.has(u.image)) sourceOf.set(u.image, null);
  const targets = [...sourceOf.keys()].sort();
  const results = await mapLimit(targets, jobs, (image) => verifyImage(image, clientFor(image), platforms));

  const bad = results.filter((r) => r.status !== 'present');
  let report = leftoverReport(plan, settings);
  for (const r of bad)
    report += `eck-airgap: ${escapeControl(r.image)}: ${r.status}: ${escapeControl(r.detail ?? '')}\n`;
  report += verifyFailureReport(bad, credentials);
  const registries = [...clients.keys()].sort().join(', ') || settings.registry;
  if (bad.length > 0) {
    report += `eck-airgap: ${bad.length} of ${results.length} image${results.length === 1 ? '' : 's'} not ready on ${registries}.\n`;
  } else if (!flags.quiet) {
    const what = platforms.length > 0 ? ` (platforms ${access.platforms!.join(', ')})` : '';
    report += `eck-airgap: all ${results.length} image${results.length === 1 ? '' : 's'} present on ${registries}${what}.\n`;
  }
  if (flags.lockOutput !== undefined) {
    if (bad.length > 0)
      report += `eck-airgap: no lock written (${flags.lockOutput}): a lock is written only when every image is present.\n`;
    else {
      const n = await lock.writeLockFrom(flags.lockOutput, results, sourceOf, clientFor, jobs);
      if (plan.notCovered.length > 0)
        report += `eck-airgap: warning: ${plan.notCovered.length} image use${plan.notCovered.length === 1 ? '' : 's'} not from the mirror (listed above) cannot be locked; check --lock will name them.\n`;
      if (!flags.quiet)
        report += `eck-airgap: lock of ${n} image${n === 1 ? '' : 's'} written to ${flags.lockOutput}.\n`;
    }
  }
  // signatures name the upstream identity: images of unknown origin (listed for a lock only) have none to check against
  const upstreamOf = new Map([...sourceOf].filter((e): e is [string, string] => e[1] !== null));
  const signed =
    keys.length > 0 ? await verifySignatures(results, upstreamOf, clientFor, keys, flags, jobs) : undefined;
  if (signed) report += signed.report;
  writeStderr(report);
  const json = results.map((r) => ({
    image: r.image,
    source: sourceOf.get(r.image) ?? null,
    status: r.status,
    digest: r.digest,
    platforms: r.platforms,
    detail: r.detail,
    ...(signed ? { signature: signed.byImage.get(r.image) ?? null } : {}),
  }));
  await writeStdout(
    format === 'json'
      ? `${safeJson(json)}\n`
      : table(results, signed ? (image) => signatureCell(signed.byImage.get(image)) : undefined),
  );
  return bad.length > 0 || (signed?.failed ?? 0) > 0 ? 1 : 0;
}
