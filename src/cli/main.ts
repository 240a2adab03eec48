/**
 * The command line. Only what a command needs is loaded: `render` (the default, run on every Helm install) pulls
 * in the render pipeline; `template`, `images`, `check` and `schema` are loaded on demand.
 */
import { Command, CommanderError } from 'commander';
import { UserError } from '../errors.js';
import { addRenderOptions } from './render-options.js';
import { renderCommand } from '../commands/render.js';

declare const ECK_AIRGAP_VERSION: string;

function fail(error: unknown): number {
  if (error instanceof UserError) {
    process.stderr.write(`eck-airgap: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `eck-airgap: internal error: ${message}\nThis is a bug in eck-airgap, not in your input; please report it` +
      (process.env.ECK_AIRGAP_DEBUG ? `\n${(error as Error).stack ?? ''}` : ' (set ECK_AIRGAP_DEBUG=1 for details).') +
      '\n',
  );
  return 3;
}

function program(): Command {
  const root = new Command('eck-airgap')
    .description('Points Elastic Cloud on Kubernetes (ECK) and Elastic Stack images at a private mirror, as a Helm post-renderer.')
    .version(typeof ECK_AIRGAP_VERSION === 'string' ? ECK_AIRGAP_VERSION : 'dev', '-V, --version')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`eck-airgap: ${text.replace(/^error: /, '')}`) })
    .showSuggestionAfterError(true);

  addRenderOptions(
    root
      .command('render', { isDefault: true })
      .description('rewrite the manifests read from stdin (or FILEs; - is stdin) and write them to stdout')
      .argument('[files...]', 'manifest files; - is stdin (default)'),
  ).action(async (files: string[], flags) => {
    process.exitCode = await renderCommand(files, flags);
  });

  addRenderOptions(
    root
      .command('template')
      .description('run `helm template` on a chart and render its output (a local preview)')
      .argument('<chart>', 'chart path, or repo/name')
      .argument('[helm-args...]', 'after --: release name and helm template flags, e.g. -- my-release -n ns -f values.yaml')
      .option('--diff', 'print a unified diff of the manifests before and after instead')
      .option('--helm <path>', 'helm binary (default: $HELM_BIN, else helm on PATH)'),
  ).action(async (chart: string, helmArgs: string[], flags) => {
    const { templateCommand } = await import('../commands/template.js');
    process.exitCode = await templateCommand(chart, helmArgs, flags);
  });

  root
    .command('schema')
    .description('print the JSON Schema of the config file (for editors)')
    .action(async () => {
      const { schemaCommand } = await import('../commands/schema.js');
      process.exitCode = await schemaCommand();
    });
  return root;
}

try {
  await program().parseAsync(process.argv);
} catch (error) {
  process.exitCode = fail(error);
}
