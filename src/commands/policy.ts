/**
 * `eck-airgap policy --key FILE -o containers-policy|registries.d|kyverno [--out DIR] [files…]`: writes what makes
 * the cluster itself require Elastic's signatures on the mirror's Elastic repositories (src/signatures/policy.ts).
 * To stdout (one document), or with --out DIR the files: containers-policy → DIR/policy.json and
 * DIR/registries.d/eck-airgap.yaml; kyverno → DIR/eck-airgap-verify-images.yaml. Each file is written to a new
 * temporary name (exclusive create) and renamed into place: nothing half-written. See docs/mirror-and-verify.md.
 */
import { writeAtomic } from '../io/write-atomic.js';
import { readLock } from '../lock/lock-file.js';
import { lstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeStderr, writeStdout } from '../io/write-output.js';
import { InputError, UsageError } from '../errors.js';
import { exemptBy } from '../signatures/check.js';
import { containersPolicy, enforcedRepositories, kyvernoPolicy, registriesD } from '../signatures/policy.js';
import { loadKeys, type KeyFlags } from '../signatures/verify-keys.js';
import { leftoverReport, planImages, type ImagesFlags } from './images.js';

export interface PolicyFlags extends ImagesFlags, KeyFlags {
  out?: string;
  rejectOthers?: boolean;
  requireDigests?: boolean;
}

const FORMATS = ['containers-policy', 'registries.d', 'kyverno'] as const;

function writeFileAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  try {
    if (lstatSync(file).isDirectory())
      throw new UsageError(`--out: ${file} is a directory; remove it or choose another --out.`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  try {
    writeAtomic(file, text);
  } catch (error) {
    throw new InputError(
      `${file}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    );
  }
}

export async function policyCommand(files: string[], flags: PolicyFlags): Promise<number> {
  const format = flags.output;
  if (format === undefined) throw new UsageError(`policy needs -o ${FORMATS.join('|')}.`);
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`-o ${format}: unknown output; use ${FORMATS.join(', ')}.`);
  const keys = format === 'registries.d' ? [] : loadKeys(flags);
  if (format !== 'registries.d' && keys.length === 0)
    throw new UsageError(
      'policy needs --key FILE: the public key the images must be signed with (Elastic publishes cosign.pub).',
    );
  if (format === 'containers-policy' && keys.length > 1) {
    throw new UsageError(
      'containers-policy takes one --key: containers/image 5.23 (CRI-O, podman, skopeo) reads one key per sigstoreSigned requirement and requires every requirement of a repository to hold; give the one key Elastic signs with, or use -o kyverno (any of several keys).',
    );
  }
  if (flags.rejectOthers && format !== 'containers-policy')
    throw new UsageError('--reject-others is for -o containers-policy (the policy default for every other image).');
  if (flags.requireDigests && format !== 'kyverno')
    throw new UsageError('--require-digests is for -o kyverno (containers-policy has no such rule).');

  const { settings, plan } = await planImages(files, flags);
  const { repos, others, skipped, conflicts } = enforcedRepositories(plan.pairs, (source) =>
    exemptBy(flags.allowUnsigned ?? [], source),
  );
  let report = leftoverReport(plan, settings);
  if (conflicts.length > 0) {
    writeStderr(
      `${report}eck-airgap: ${conflicts.join('; ')}: one repository on the mirror cannot be signed as two upstream repositories; check the mirrors settings.\n`,
    );
    return 1;
  }
  if (repos.length === 0) {
    writeStderr(
      `${report}eck-airgap: no image of the release comes from docker.elastic.co (or every one is exempted); nothing to enforce, nothing written.\n`,
    );
    return 1;
  }
  if (others.length > 0)
    report += `eck-airgap: not covered (not Elastic's, not signed with Elastic's key): ${others.join(', ')}\n`;
  if (skipped.length > 0)
    report += `eck-airgap: exempted by --allow-unsigned, left out of the policy: ${skipped.join(', ')}\n`;

  // With a lock (render --lock pins every image by digest), Kyverno requires digests: an unpinned pod image is refused.
  if (settings.lock !== undefined) readLock(settings.lock);
  const requireDigests = flags.requireDigests === true || settings.lock !== undefined;
  const documents: [string, string][] =
    format === 'kyverno'
      ? [['eck-airgap-verify-images.yaml', kyvernoPolicy(repos, keys, requireDigests)]]
      : format === 'registries.d'
        ? [[join('registries.d', 'eck-airgap.yaml'), registriesD(repos)]]
        : [
            ['policy.json', containersPolicy(repos, keys[0]!, flags.rejectOthers === true)],
            [join('registries.d', 'eck-airgap.yaml'), registriesD(repos)],
          ];
  if (flags.out !== undefined) {
    for (const [name, text] of documents) writeFileAtomically(join(flags.out, name), text);
    if (!flags.quiet)
      report += `eck-airgap: ${repos.length} repositor${repos.length === 1 ? 'y' : 'ies'} on ${settings.registry} enforced; wrote ${documents.map(([n]) => join(flags.out!, n)).join(', ')}.\n`;
    writeStderr(report);
    return 0;
  }
  if (format === 'containers-policy' && !flags.quiet)
    report +=
      'eck-airgap: the registries.d entry (use-sigstore-attachments) is written by -o registries.d, or with --out DIR.\n';
  writeStderr(report);
  await writeStdout(documents[0]![1]);
  return 0;
}
