/**
 * What `eck-airgap policy` writes: enforcement of Elastic's signatures on the cluster, for the mirror's
 * repositories of Elastic images (those relocated from docker.elastic.co), each mapped back to the repository
 * Elastic signed.
 *
 * containers-policy (containers-policy.json(5), containers-registries.d(5); CRI-O, podman, skopeo):
 *   - policy.json: under `transports.docker`, one scope per mirror repository (`MIRROR/elasticsearch/elasticsearch`)
 *     requiring `sigstoreSigned` with the key (`keyData`, base64 of the PEM: the file is self-contained) and
 *     `signedIdentity: {type: exactRepository, dockerRepository: docker.elastic.co/elasticsearch/elasticsearch}`.
 *     Cosign signs a repository without tag, so only matchRepository / exactRepository accept its signatures
 *     (containers-policy.json(5), sigstoreSigned); matchRepository would want the mirror's own name in the
 *     signature, and remapIdentity follows matchRepoDigestOrExact, which wants the tag in it. The default is
 *     `insecureAcceptAnything` (other images unchanged) or `reject` with --reject-others.
 *     containers/image 5.23 takes one key per sigstoreSigned requirement and ANDs the requirements of a scope,
 *     so this output takes exactly one --key.
 *   - registries.d/eck-airgap.yaml: `use-sigstore-attachments: true` for each of those repositories, so the
 *     library reads the `sha256-<digest>.sig` tags.
 * kyverno: a kyverno.io/v1 ClusterPolicy with one verifyImages rule over Pods: the mirror's repositories as
 *   imageReferences (`MIRROR/elasticsearch/elasticsearch:*` and `@*`), the keys as attestors (any one of them),
 *   offline: `rekor.ignoreTlog: true`, `ctlog.ignoreSCT: true`; `required: true`; Enforce both as the rule's
 *   `failureAction` (Kyverno 1.13+) and the deprecated `spec.validationFailureAction` (older releases, which would
 *   prune the rule's field and fall back to Audit); with --require-digests
 *   (what a digest lock calls for) `verifyDigest: true, mutateDigest: false`: a pod image not pinned by digest is
 *   refused instead of pinned at admission.
 */
import { stringify } from 'yaml';
import { parseReference } from '../image/reference.js';
import type { PublicKey } from './cosign.js';

export const ELASTIC_REGISTRY = 'docker.elastic.co';

export interface EnforcedRepository {
  /** On the mirror: domain/path. */
  readonly mirror: string;
  /** What Elastic signed: docker.elastic.co/path. */
  readonly signed: string;
}

export interface Pair {
  readonly source: string;
  readonly target: string;
}

/** The mirror repositories of Elastic images, with the repository each was relocated from (sorted, unique). */
export function enforcedRepositories(
  pairs: readonly Pair[],
  skip: (source: string) => boolean,
): { repos: EnforcedRepository[]; others: string[]; skipped: string[]; conflicts: string[] } {
  const byMirror = new Map<string, string>();
  const others: string[] = [];
  const skipped: string[] = [];
  const conflicts: string[] = [];
  for (const p of pairs) {
    const s = parseReference(p.source);
    const t = parseReference(p.target);
    if (!s || !t) continue;
    if (s.domain !== ELASTIC_REGISTRY) {
      others.push(p.source);
      continue;
    }
    if (skip(p.source)) {
      skipped.push(p.source);
      continue;
    }
    const mirror = `${t.domain}/${t.path}`;
    const signed = `${s.domain}/${s.path}`;
    const seen = byMirror.get(mirror);
    if (seen !== undefined && seen !== signed) conflicts.push(`${mirror} holds both ${seen} and ${signed}`);
    byMirror.set(mirror, signed);
  }
  const repos = [...byMirror.entries()]
    .map(([mirror, signed]) => ({ mirror, signed }))
    .sort((a, b) => (a.mirror < b.mirror ? -1 : a.mirror > b.mirror ? 1 : 0));
  return { repos, others: [...new Set(others)].sort(), skipped: [...new Set(skipped)].sort(), conflicts };
}

function pemOf(key: PublicKey): string {
  return key.key.export({ type: 'spki', format: 'pem' }).toString();
}

export function containersPolicy(repos: readonly EnforcedRepository[], key: PublicKey, rejectOthers: boolean): string {
  const keyData = Buffer.from(pemOf(key)).toString('base64');
  const docker: Record<string, unknown[]> = {};
  for (const r of repos)
    docker[r.mirror] = [
      { type: 'sigstoreSigned', keyData, signedIdentity: { type: 'exactRepository', dockerRepository: r.signed } },
    ];
  const policy = { default: [{ type: rejectOthers ? 'reject' : 'insecureAcceptAnything' }], transports: { docker } };
  return `${JSON.stringify(policy, null, 2)}\n`;
}

export function registriesD(repos: readonly EnforcedRepository[]): string {
  const docker: Record<string, { 'use-sigstore-attachments': true }> = {};
  for (const r of repos) docker[r.mirror] = { 'use-sigstore-attachments': true };
  return `# Written by eck-airgap policy: read the cosign signatures (sha256-<digest>.sig tags) of these repositories.\n${stringify({ docker })}`;
}

export const KYVERNO_POLICY_NAME = 'eck-airgap-verify-elastic-images';

export function kyvernoPolicy(
  repos: readonly EnforcedRepository[],
  keys: readonly PublicKey[],
  requireDigests: boolean,
): string {
  const policy = {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name: KYVERNO_POLICY_NAME,
      annotations: {
        'policies.kyverno.io/title': 'Elastic images on the mirror carry Elastic’s cosign signatures',
        'policies.kyverno.io/description': `Written by eck-airgap policy: each image of these mirror repositories must be signed by one of the keys for the docker.elastic.co repository it was relocated from (${repos.map((r) => `${r.mirror} <- ${r.signed}`).join(', ')}). Offline: no Rekor, no CT log.`,
      },
    },
    spec: {
      validationFailureAction: 'Enforce',
      background: false,
      webhookTimeoutSeconds: 30,
      rules: [
        {
          name: 'elastic-signatures',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          verifyImages: [
            {
              imageReferences: repos.flatMap((r) => [`${r.mirror}:*`, `${r.mirror}@*`]),
              failureAction: 'Enforce',
              required: true,
              verifyDigest: requireDigests,
              mutateDigest: !requireDigests,
              attestors: [
                {
                  count: 1,
                  entries: keys.map((k) => ({
                    keys: {
                      publicKeys: pemOf(k),
                      signatureAlgorithm: 'sha256',
                      rekor: { ignoreTlog: true },
                      ctlog: { ignoreSCT: true },
                    },
                  })),
                },
              ],
            },
          ],
        },
      ],
    },
  };
  return `# Written by eck-airgap policy -o kyverno.\n${stringify(policy, { lineWidth: 0 })}`;
}
