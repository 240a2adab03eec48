/**
 * Where an image goes on the mirror. Three rules, in order:
 * - the operator image (`<source registry>/…/eck-operator…`) goes to `<registry>/<operator repository>/<name>`;
 * - an image on a source registry goes to `<registry>/<path>`, or `<registry>/<repository>/<last element>` when a
 *   repository is set (as the operator's `--container-repository` does);
 * - an image on a registry listed in `mirrors` goes under that mirror's prefix with its whole path.
 * Tags and digests are kept. Anything else stays where it is.
 */
import { OPERATOR_IMAGE_NAME } from '../eck/kinds.js';
import { InputError } from '../errors.js';
import {
  NAME_TOTAL_LENGTH_MAX,
  formatReference,
  lastPathElement,
  parseMirrorTarget,
  parseReference,
  registryKey,
  type ImageReference,
} from './reference.js';

export interface MirrorPlan {
  readonly registry: string;
  readonly repository?: string | undefined;
  readonly operatorRepository: string;
  readonly sourceRegistries: readonly string[];
  /** Source registry → `host[:port][/prefix]`. */
  readonly mirrors: Readonly<Record<string, string>>;
}

export type Relocation =
  | {
      readonly kind: 'moved';
      readonly rule: 'operator' | 'source-registry' | 'mirror';
      readonly target: string;
      readonly source: ImageReference;
    }
  | { readonly kind: 'on-mirror'; readonly source: ImageReference }
  | { readonly kind: 'not-covered'; readonly source: ImageReference }
  | { readonly kind: 'invalid' };

/**
 * The mirror `host[:port][/path]` as its host and path prefix ('' when none). The operator names its images
 * `<container registry>/<path>` (pkg/controller/common/container ImageRepository), so a path is simply a prefix.
 */
export function registryParts(registry: string): { readonly domain: string; readonly prefix: string } {
  return parseMirrorTarget(registry) ?? { domain: registry, prefix: '' };
}

const under = (prefix: string, path: string): string => (prefix === '' ? path : `${prefix}/${path}`);

const OPERATOR_NAME = new RegExp(`^${OPERATOR_IMAGE_NAME}(?:-[a-z0-9]+)*$`);

export function isOperatorImage(ref: ImageReference): boolean {
  return OPERATOR_NAME.test(lastPathElement(ref.path));
}

interface PlanKeys {
  /** The mirror and every `mirrors` destination, as written and by registryKey. */
  readonly mirrorDomains: Set<string>;
  readonly sources: Set<string>;
  readonly mirrors: Map<string, string>;
  /** The mirror's host and path prefix. */
  readonly mirror: { readonly domain: string; readonly prefix: string };
}

const keysOf = new WeakMap<MirrorPlan, PlanKeys>();

/** The registries of a plan by registryKey (case-insensitive, `:443` the same as no port); computed once per plan. */
function planKeys(plan: MirrorPlan): PlanKeys {
  const known = keysOf.get(plan);
  if (known) return known;
  const mirror = registryParts(plan.registry);
  const mirrorDomains = new Set([mirror.domain, registryKey(mirror.domain)]);
  for (const target of Object.values(plan.mirrors)) {
    const parsed = parseMirrorTarget(target);
    if (parsed) mirrorDomains.add(parsed.domain).add(registryKey(parsed.domain));
  }
  const keys: PlanKeys = {
    mirrorDomains,
    sources: new Set(plan.sourceRegistries.map(registryKey)),
    mirrors: new Map(Object.entries(plan.mirrors).map(([source, target]) => [registryKey(source), target])),
    mirror,
  };
  keysOf.set(plan, keys);
  return keys;
}

/**
 * The registries images are moved to (the mirror and every `mirrors` destination), each as written and by its
 * registryKey: look a domain up by `registryKey(domain)`.
 */
export function mirrorDomains(plan: MirrorPlan): Set<string> {
  return planKeys(plan).mirrorDomains;
}

/** A moved reference; refused when its name outgrows what a reference allows (the next run would reject it). */
function moved(
  rule: 'operator' | 'source-registry' | 'mirror',
  source: ImageReference,
  target: ImageReference,
): Relocation {
  const name = `${target.domain}/${target.path}`;
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    throw new InputError(
      `${formatReference(source)} would be ${formatReference(target)} on the mirror: a name of ${name.length} characters, more than the ${NAME_TOTAL_LENGTH_MAX} an image reference allows. Use a shorter registry, repository or mirror prefix.`,
    );
  }
  return { kind: 'moved', rule, source, target: formatReference(target) };
}

export function relocateReference(ref: ImageReference, plan: MirrorPlan): Relocation {
  const keep = { tag: ref.tag, digest: ref.digest };
  const keys = planKeys(plan);
  const domain = registryKey(ref.domain);
  if (keys.sources.has(domain)) {
    if (isOperatorImage(ref)) {
      const path = under(keys.mirror.prefix, `${plan.operatorRepository}/${lastPathElement(ref.path)}`);
      return moved('operator', ref, { domain: keys.mirror.domain, path, ...keep });
    }
    const path = under(
      keys.mirror.prefix,
      plan.repository ? `${plan.repository}/${lastPathElement(ref.path)}` : ref.path,
    );
    return moved('source-registry', ref, { domain: keys.mirror.domain, path, ...keep });
  }
  const mirror = keys.mirrors.get(domain);
  if (mirror !== undefined) {
    const target = parseMirrorTarget(mirror);
    if (target) {
      const path = target.prefix ? `${target.prefix}/${ref.path}` : ref.path;
      return moved('mirror', ref, { domain: target.domain, path, ...keep });
    }
  }
  return keys.mirrorDomains.has(domain) ? { kind: 'on-mirror', source: ref } : { kind: 'not-covered', source: ref };
}

export function relocate(image: string, plan: MirrorPlan): Relocation {
  const ref = parseReference(image);
  return ref ? relocateReference(ref, plan) : { kind: 'invalid' };
}
