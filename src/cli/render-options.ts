/** The options every command that reads manifests shares (render, template, images, check), from the settings descriptor table. */
import { Command, Option } from 'commander';
import { SETTING_KEYS, SETTINGS } from '../config/descriptors.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The commands that talk to registries: they alone take the flags of the `registry access` settings. */
const REGISTRY_COMMANDS = ['mirror', 'verify'];

export function addRenderOptions(command: Command): Command {
  for (const key of SETTING_KEYS) {
    const d = SETTINGS[key];
    if ('scope' in d && d.scope === 'registry access' && !REGISTRY_COMMANDS.includes(command.name())) continue;
    const option = new Option(d.flag, d.help);
    if (d.form === 'list' || d.form === 'pairs') option.argParser(collect);
    command.addOption(option);
    // --strict=false (see booleanFlagValues) arrives as --no-strict: a flag that says false, above the environment.
    if (d.form === 'boolean')
      command.addOption(new Option(`--no-${d.flagName.slice(2)}`, `${d.flagName} off`).hideHelp());
    if (d.formerly) {
      const former = new Option(d.formerly.flag, `deprecated: ${d.flagName}`).hideHelp();
      if (d.form === 'list' || d.form === 'pairs') former.argParser(collect);
      command.addOption(former);
    }
  }
  return command
    .option('-c, --config <file>', 'config file (default: $ECK_AIRGAP_CONFIG, else ./eck-airgap.yaml when present)')
    .option('-q, --quiet', 'no report on stderr');
}
