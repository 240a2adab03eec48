/**
 * The edits render makes to the operator: its manager container's flags and environment, the flags that make the
 * mirror win where a source is not edited (envFrom, valueFrom, a source the stream does not hold), other containers'
 * setting flags, and the configuration file (a ConfigMap or Secret key, base64 re-encoded where it was).
 */
import type { YAMLMap } from 'yaml';
import { isUbiMode } from '../eck/naming.js';
import { InputError } from '../errors.js';
import { editedConfigText, operatorConfigEdits, wantedChanges } from '../operator/operator-config.js';
import {
  configEntryOf,
  configReadBy,
  type ManagerContainer,
  type OperatorModel,
  type OperatorSettingKey,
} from '../operator/operator-model.js';
import { entryNode, entryText } from '../operator/settings-sources.js';
import { envNameOf, parseBool } from '../operator/viper.js';
import { operatorFlagSites } from '../sites/operator-args.js';
import type { ResourceId } from '../sites/resource-id.js';
import { addPair, appendItems, replaceScalar } from '../yaml/edit-builders.js';
import type { DocumentWork, RenderContext } from './plan-resource.js';

/** The operator's `--container-registry=…` style flags follow the same settings as its ConfigMap. */
export function planOperatorFlags(work: DocumentWork, ctx: RenderContext, podSpec: YAMLMap, where: string): void {
  const ubi = isUbiMode(ctx.container);
  for (const site of operatorFlagSites(podSpec, work.doc)) {
    // In UBI mode the ConfigMap says `ubi-only: true` and has no `container-suffix`; the operator refuses both at
    // once, so a suffix flag is emptied (an empty suffix is the operator's default).
    const suffix = ubi ? '' : ctx.container.suffix;
    const want =
      site.key === 'container-registry'
        ? ctx.container.registry
        : site.key === 'container-repository'
          ? ctx.container.repository
          : suffix;
    if (want === undefined || want === site.value) continue;
    work.edits.push(replaceScalar(work.text, site.node, site.inline ? `--${site.key}=${want}` : want));
    ctx.report.add({ kind: 'operator-config', where, field: `--${site.key}`, from: site.value, to: want });
  }
}

/**
 * The operator's manager container: every flag and environment variable that sets where it pulls from is made
 * to say the mirror (and the repository, suffix and UBI mode of the configuration); when no source the manager
 * reads sets one of them, it is added to its args.
 */
export function planManager(work: DocumentWork, ctx: RenderContext, manager: ManagerContainer, where: string): void {
  const want = ctx.container;
  const ubi = isUbiMode(want);
  const wantText = (key: OperatorSettingKey): string | undefined => {
    switch (key) {
      case 'container-registry':
        return want.registry;
      case 'container-repository':
        return want.repository;
      case 'container-suffix':
        return ubi ? '' : want.suffix;
      case 'ubi-only':
        return ubi ? 'true' : want.suffix !== undefined ? 'false' : undefined;
    }
  };
  const note = (field: string, from: string, to: string): void => {
    ctx.report.add({ kind: 'operator-config', where, field, from, to });
  };
  for (const site of manager.flags) {
    const value = wantText(site.key);
    if (value === undefined) continue;
    if (site.key === 'ubi-only') {
      const now = parseBool(site.value) ?? false;
      if (ubi && !now) {
        work.edits.push(replaceScalar(work.text, site.node, '--ubi-only'));
        note('--ubi-only', site.value, 'true');
      } else if (!ubi && want.suffix !== '') {
        // The operator refuses a suffix while --ubi-only is given at all (even =false): the flag becomes the suffix.
        const text = `--container-suffix=${want.suffix}`;
        work.edits.push(replaceScalar(work.text, site.node, text));
        note('--ubi-only', site.value, text);
      }
      continue;
    }
    if (value === site.value) continue;
    work.edits.push(replaceScalar(work.text, site.node, site.inline ? `--${site.key}=${value}` : value));
    note(`--${site.key}`, site.value, value);
  }
  for (const site of manager.env) {
    const value = wantText(site.key);
    // An entry without a value (or an empty one) is unset for the operator: it sets nothing.
    if (value === undefined || !site.valueNode || site.value === '') continue;
    if (site.key === 'ubi-only') {
      const now = parseBool(site.value) ?? false;
      if (ubi && !now) {
        work.edits.push(replaceScalar(work.text, site.valueNode, 'true'));
        note(`env ${site.name}`, site.value, 'true');
      } else if (!ubi && want.suffix !== '') {
        work.edits.push(
          replaceScalar(work.text, site.nameNode, 'CONTAINER_SUFFIX'),
          replaceScalar(work.text, site.valueNode, want.suffix!),
        );
        note(`env ${site.name}`, site.value, `CONTAINER_SUFFIX=${want.suffix}`);
      }
      continue;
    }
    if (value === site.value) continue;
    work.edits.push(replaceScalar(work.text, site.valueNode, value));
    note(`env ${site.name}`, site.value, value);
  }
  const added = flagsToAdd(ctx, manager, ubi);
  if (added.length === 0) return;
  if (manager.argv) work.edits.push(appendItems(work.text, manager.argv, added));
  // Without args the image's default command runs (`manager`): args replace it, so it comes first.
  else work.edits.push(addPair(work.text, manager.container, 'args', ['manager', ...added]));
  note('args', '', added.join(' '));
}

/**
 * The flags to add so that the mirror wins (flags are the operator's highest source): for each setting no flag of
 * the manager sets whose value after render is not already the edited one — set by an envFrom/valueFrom source, by a
 * source the stream does not hold, or by nothing while no configuration file in the stream is edited to say it.
 * Never a combination the operator refuses: a suffix is not added where ubi-only may be set by a source render does
 * not edit (refused when the stream shows it, a warning when it is unseen).
 */
function flagsToAdd(ctx: RenderContext, manager: ManagerContainer, ubi: boolean): string[] {
  const want = ctx.container;
  const model = ctx.operator;
  const isModelManager = model.manager?.container === manager.container;
  // The configuration file in the stream this manager reads gets the mirror written into it.
  const edited = model.config !== undefined || configReadBy(model, manager) !== undefined;
  const hasFlag = (key: OperatorSettingKey): boolean => manager.flags.some((f) => f.key === key);
  const literalEnv = (key: OperatorSettingKey): boolean =>
    manager.env.some((e) => e.key === key && e.valueNode !== undefined && e.value !== '');
  /** Whether the value after render is not sure to be the edited one: a flag is needed. */
  const needsFlag = (key: OperatorSettingKey): boolean => {
    if (hasFlag(key)) return false;
    if (!isModelManager) return !literalEnv(key) && !edited;
    const value = readOf(model, key);
    if ((model.uncertain.get(key)?.length ?? 0) > 0) return true;
    if (value?.source === 'env') return value.from !== envNameOf(key);
    if (value?.source === 'config') return false;
    return !edited;
  };
  /** ubi-only set (viper.IsSet) by a source render does not edit, seen or not. */
  const ubiOnlyFixed = (): 'seen' | 'unseen' | undefined => {
    if (!isModelManager || hasFlag('ubi-only')) return undefined;
    const value = model.read.ubiOnly;
    if (value?.source === 'env' && value.from !== envNameOf('ubi-only')) return 'seen';
    return (model.uncertain.get('ubi-only')?.length ?? 0) > 0 ? 'unseen' : undefined;
  };
  const added: string[] = [];
  if (needsFlag('container-registry')) added.push(`--container-registry=${want.registry}`);
  if (want.repository !== undefined && needsFlag('container-repository'))
    added.push(`--container-repository=${want.repository}`);
  if (ubi) {
    if (needsFlag('ubi-only') && !literalEnv('ubi-only')) added.push('--ubi-only');
    // An empty suffix flag overrides a suffix the environment or an unseen file may hold (viper: a set flag wins).
    const suffix = model.read.suffix;
    if (
      isModelManager &&
      !hasFlag('container-suffix') &&
      ((model.uncertain.get('container-suffix')?.length ?? 0) > 0 ||
        (suffix?.source === 'env' && suffix.from !== envNameOf('container-suffix') && suffix.value !== ''))
    ) {
      added.push('--container-suffix=');
    }
  } else if (want.suffix !== undefined && want.suffix !== '' && !hasFlag('ubi-only') && needsFlag('container-suffix')) {
    const fixed = ubiOnlyFixed();
    if (fixed === 'seen') {
      throw new InputError(
        `${manager.where}: ubi-only is set by ${model.read.ubiOnly!.from}, which render does not edit; with the suffix ` +
          `"${want.suffix}" as a flag the ECK operator would refuse to start. Remove UBI_ONLY from that source, or set ` +
          'container-suffix there, and render again.',
      );
    }
    if (fixed === 'unseen') {
      const ids = model.uncertain
        .get('ubi-only')!
        .map((u) => u.id)
        .join(', ');
      ctx.report.warn(
        `${manager.where}: --container-suffix=${want.suffix} is not added: ${ids} may set ubi-only, and the ECK operator refuses ` +
          'to start with both. Set container-suffix in that source, or vouch for it (--vouch-source) and render again.',
      );
    } else if (!literalEnv('ubi-only')) {
      added.push(`--container-suffix=${want.suffix}`);
    }
  }
  return added;
}

function readOf(
  model: OperatorModel,
  key: OperatorSettingKey,
): { source: string; from: string; value: unknown } | undefined {
  switch (key) {
    case 'container-registry':
      return model.read.registry;
    case 'container-repository':
      return model.read.repository;
    case 'container-suffix':
      return model.read.suffix;
    case 'ubi-only':
      return model.read.ubiOnly;
  }
}

/** The operator's configuration file, when this ConfigMap or Secret holds it: its key edited to say the mirror. */
export function planSettingsData(
  work: DocumentWork,
  ctx: RenderContext,
  root: YAMLMap,
  kind: 'ConfigMap' | 'Secret',
  id: ResourceId,
  where: string,
): void {
  const site = configEntryOf(ctx.operator, kind, id);
  if (!site) return;
  const found = entryNode(root, work.doc, kind, site.key);
  if (!found) return;
  const field = `${found.entry.field}["${site.key}"]`;
  const current = site.settings;
  const changes = wantedChanges(current, ctx.container);
  if (changes.size === 0) return;
  if (found.entry.base64) {
    const encoded = String(found.node.value);
    const config = entryText(found.node, found.entry);
    if (config === undefined || Buffer.from(config, 'utf8').toString('base64') !== encoded.replace(/\s+/g, '')) {
      throw new InputError(
        `${where}, ${field}: cannot point the operator at the mirror: its base64 value is not UTF-8 text that encodes back the same. Write the configuration in stringData and render again.`,
      );
    }
    const edited = editedConfigText(config, changes, where, field);
    work.edits.push(replaceScalar(work.text, found.node, Buffer.from(edited, 'utf8').toString('base64')));
  } else {
    work.edits.push(...operatorConfigEdits(work.text, found.node, changes, where, field));
  }
  ctx.report.add({ kind: 'operator-config', where, field, from: current.registry, to: ctx.container.registry });
}
