/**
 * `eck-airgap images`: every image the release pulls once the operator has done its work, each with its name on
 * the mirror — the list to copy before an air-gapped install. See docs/images-and-check.md.
 */
import { moveFlags } from '../analysis/move-flags.js';
import { loadSettings } from '../config/load-settings.js';
import type { FlagValues } from '../config/sources.js';
import { readInputs } from '../io/read-input.js';
import { writeStderr, writeStdout } from '../io/write-output.js';
import { UsageError } from '../errors.js';
import { DEFAULT_DIAGNOSTIC_IMAGE, diagnosticsUse } from '../analysis/diagnostics-image.js';
import { describeUse } from '../analysis/describe-use.js';
import type { Leftover, MirrorPair, MirrorPlanResult } from '../analysis/mirror-pairs.js';
import { listMirrorPairs } from '../analysis/list-mirror-pairs.js';
import { parseReference } from '../image/reference.js';
import { formatImages, IMAGE_FORMATS, isImageFormat } from '../images-output/format-images.js';
import { syncDestinations } from '../images-output/format-skopeo.js';
import { shellQuote } from '../images-output/shell-quote.js';
import type { Settings } from '../config/settings.js';

export interface ImagesFlags extends FlagValues {
  quiet?: boolean;
  output?: string;
  withDiagnostics?: boolean | string;
}

/** Each image once, then each of its uses on its own line with the document (and file) it is in. */
function leftoverLines(title: string, leftovers: readonly Leftover[]): string {
  if (leftovers.length === 0) return '';
  const byImage = new Map<string, Leftover[]>();
  for (const l of leftovers) byImage.set(l.image, [...(byImage.get(l.image) ?? []), l]);
  const lines = [...byImage.keys()].sort().flatMap((image) => {
    const uses = byImage.get(image)!;
    const registry = parseReference(image)?.domain;
    return [
      `  ${image}${registry ? ` (${registry})` : ''}, ${uses.length === 1 ? '1 use' : `${uses.length} uses`}:`,
      ...[...new Set(uses.map((l) => `${describeUse(l.usedBy)} [${l.where}]`))].map((line) => `    ${line}`),
    ];
  });
  return `eck-airgap: ${title}\n${lines.join('\n')}\n`;
}

function diagnosticsHint(pairs: readonly MirrorPair[], settings: Settings): string {
  const pair = pairs.find((p) => p.usedBy.some((u) => u.reason === 'diagnostics'));
  if (!pair) return '';
  const namespaces = new Set<string>();
  const operatorNamespaces = new Set<string>();
  for (const p of pairs) {
    for (const u of p.usedBy) {
      if (!u.namespace) continue;
      if (u.reason === 'operator') operatorNamespaces.add(u.namespace);
      else if (u.reason === 'explicit' || u.reason === 'operator-default') namespaces.add(u.namespace);
    }
  }
  const words = ['eck-diagnostics', '--diagnostic-image', pair.target];
  if (settings.imagePullSecrets.length > 0) words.push('--image-pull-secrets', settings.imagePullSecrets.join(','));
  if (operatorNamespaces.size > 0) words.push('-o', [...operatorNamespaces].sort().join(','));
  words.push('-r', namespaces.size > 0 ? [...namespaces].sort().join(',') : 'NAMESPACES');
  return `eck-airgap: run eck-diagnostics against the mirror with:\n  ${words.map(shellQuote).join(' ')}\n`;
}

export interface ImagePlan {
  readonly settings: Settings;
  readonly plan: ReturnType<typeof listMirrorPairs>;
}

/**
 * The images `images` lists, as (source → target) pairs: the one entry point `images`, `mirror` and `verify` share
 * (same stream, settings, names, operator defaults, sidecars and `--with-diagnostics`).
 */
export async function planImages(files: string[], flags: ImagesFlags): Promise<ImagePlan> {
  // `--with-diagnostics FILE` was given back as a file by the command line (src/cli/program.ts): a string is an image.
  if (flags.withDiagnostics === '') {
    throw new UsageError(
      '--with-diagnostics= names no image: write --with-diagnostics for the default, or --with-diagnostics=IMAGE.',
    );
  }
  const diagnostics = flags.withDiagnostics === true ? DEFAULT_DIAGNOSTIC_IMAGE : flags.withDiagnostics || undefined;
  if (diagnostics !== undefined && !parseReference(diagnostics)) {
    throw new UsageError(`--with-diagnostics ${diagnostics}: not a valid image reference.`);
  }
  const settings = await loadSettings({ flags, env: process.env, cwd: process.cwd(), requireRegistry: true });
  const plan = listMirrorPairs(
    await readInputs(files),
    settings,
    diagnostics !== undefined ? [diagnosticsUse(diagnostics)] : [],
  );
  return { settings, plan };
}

/** What `images` says on stderr about images it does not list (shared with `mirror` and `verify`). */
export function leftoverReport(plan: MirrorPlanResult, settings: Settings): string {
  return (
    leftoverLines(
      'not covered (on no source registry and no `mirrors` entry, so not listed; to copy them add ' +
        `${moveFlags(
          plan.notCovered.map((l) => l.image),
          settings.registry,
        )}):`,
      plan.notCovered,
    ) + leftoverLines('already on the mirror, upstream name unknown (not listed):', plan.unknownOrigin)
  );
}

export async function imagesCommand(files: string[], flags: ImagesFlags): Promise<number> {
  const format = flags.output ?? 'text';
  if (!isImageFormat(format))
    throw new UsageError(`--output ${format}: unknown format; use one of ${IMAGE_FORMATS.join(', ')}.`);
  const { settings, plan } = await planImages(files, flags);

  let report = leftoverReport(plan, settings);
  if (format === 'skopeo' && (syncDestinations(plan.pairs)?.length ?? 0) > 1) {
    report +=
      'eck-airgap: these targets lie in several directories of the mirror; one `skopeo sync` cannot place them (it writes DEST/<last path element>). See the file header, or use --output script.\n';
  }
  report += diagnosticsHint(plan.pairs, settings);
  for (const warning of plan.warnings) report += `eck-airgap: warning: ${warning}\n`;
  if (!flags.quiet)
    report += `eck-airgap: images named for ECK operator ${plan.operator.release.version} (from ${plan.operator.releaseFrom}).\n`;
  if (!flags.quiet)
    report += `eck-airgap: ${plan.pairs.length} image${plan.pairs.length === 1 ? '' : 's'} to mirror to ${settings.registry}.\n`;
  writeStderr(report);
  await writeStdout(formatImages(format, plan.pairs, `eck-airgap images for ${settings.registry}`));
  return 0;
}
