/**
 * Where an image goes on the mirror. Three rules, in order:
 * - the operator image (`<source registry>/…/eck-operator…`) goes to `<registry>/<operator repository>/<name>`;
 * - an image on a source registry goes to `<registry>/<path>`, or `<registry>/<repository>/<last element>` when a
 *   repository is set (as the operator's `--container-repository` does);
 * - an image on a registry listed in `mirrors` goes under that mirror's prefix with its whole path.
 * Tags and digests are kept. Anything else stays where it is.
 */
import { OPERATOR_IMAGE_NAME } from '../eck/kinds.js';
import { formatReference, lastPathElement, parseReference, parseMirrorTarget, type ImageReference } from './reference.js';

export interface MirrorPlan {
  readonly registry: string;
  readonly repository?: string;
  readonly operatorRepository: string;
  readonly sourceRegistries: readonly string[];
  /** Source registry → `host[:port][/prefix]`. */
  readonly mirrors: Readonly<Record<string, string>>;
}

export type Relocation =
  | { readonly kind: 'moved'; readonly rule: 'operator' | 'source-registry' | 'mirror'; readonly target: string; readonly source: ImageReference }
  | { readonly kind: 'on-mirror'; readonly source: ImageReference }
  | { readonly kind: 'not-covered'; readonly source: ImageReference }
  | { readonly kind: 'invalid' };

const OPERATOR_NAME = new RegExp(`^${OPERATOR_IMAGE_NAME}(?:-[a-z0-9]+)*$`);

export function isOperatorImage(ref: ImageReference): boolean {
  return OPERATOR_NAME.test(lastPathElement(ref.path));
}

const domainsOf = new WeakMap<MirrorPlan, Set<string>>();

/** The registries images are moved to (the mirror and every `mirrors` destination); computed once per plan. */
export function mirrorDomains(plan: MirrorPlan): Set<string> {
  const known = domainsOf.get(plan);
  if (known) return known;
  const domains = new Set([plan.registry]);
  for (const target of Object.values(plan.mirrors)) {
    const parsed = parseMirrorTarget(target);
    if (parsed) domains.add(parsed.domain);
  }
  domainsOf.set(plan, domains);
  return domains;
}

export function relocateReference(ref: ImageReference, plan: MirrorPlan): Relocation {
  const keep = { tag: ref.tag, digest: ref.digest };
  if (plan.sourceRegistries.includes(ref.domain)) {
    if (isOperatorImage(ref)) {
      const path = `${plan.operatorRepository}/${lastPathElement(ref.path)}`;
      return { kind: 'moved', rule: 'operator', source: ref, target: formatReference({ domain: plan.registry, path, ...keep }) };
    }
    const path = plan.repository ? `${plan.repository}/${lastPathElement(ref.path)}` : ref.path;
    return { kind: 'moved', rule: 'source-registry', source: ref, target: formatReference({ domain: plan.registry, path, ...keep }) };
  }
  const mirror = plan.mirrors[ref.domain];
  if (mirror !== undefined) {
    const target = parseMirrorTarget(mirror);
    if (target) {
      const path = target.prefix ? `${target.prefix}/${ref.path}` : ref.path;
      return { kind: 'moved', rule: 'mirror', source: ref, target: formatReference({ domain: target.domain, path, ...keep }) };
    }
  }
  return mirrorDomains(plan).has(ref.domain) ? { kind: 'on-mirror', source: ref } : { kind: 'not-covered', source: ref };
}

export function relocate(image: string, plan: MirrorPlan): Relocation {
  const ref = parseReference(image);
  return ref ? relocateReference(ref, plan) : { kind: 'invalid' };
}
