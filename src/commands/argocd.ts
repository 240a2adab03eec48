/**
 * `eck-airgap argocd init` and `eck-airgap argocd generate`: the two steps of the Argo CD config-management plugin
 * (argocd/plugin.yaml), run by argocd-cmp-server in the Application's source directory. See src/argocd/ for what
 * they read and how each value is checked; argocd/README.md ("Security") for who controls which input.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, UsageError, UserError } from '../errors.js';
import { loadSettings } from '../config/load-settings.js';
import { writeStderr } from '../io/write-output.js';
import {
  missingDependencies,
  missingRepositories,
  refuseOutsideDependencies,
  vendoringAdvice,
} from '../argocd/init.js';
import { repositoryRoot } from '../argocd/paths.js';
import { planGenerate } from '../argocd/generate.js';
import { helmTemplateArgs } from '../helm/template-args.js';
import { runHelm } from '../helm/run-helm.js';
import { renderTemplate } from './template.js';
import { containLockForArgocd } from '../argocd/lock.js';

const helmBinary = (): string => process.env['HELM_BIN'] || 'helm';

export async function argocdInit(): Promise<number> {
  const helm = helmBinary();
  // before Helm reads anything: a file:// dependency leading out of the repository is not built
  const cwd = process.cwd();
  refuseOutsideDependencies(cwd, repositoryRoot(cwd, process.env['ARGOCD_APP_SOURCE_PATH']));
  const listing = await runHelm(helm, ['dependency', 'list'], 'helm dependency list');
  const missing = missingDependencies(listing);
  if (missing.length === 0) return 0;
  writeStderr(`eck-airgap argocd init: building chart dependencies: ${missing.join(', ')}\n`);
  let output: string;
  try {
    output = await runHelm(helm, ['dependency', 'build', '--skip-refresh'], 'helm dependency build');
  } catch (error) {
    const advice =
      error instanceof UserError ? vendoringAdvice(missingRepositories(listing), error.message) : undefined;
    if (advice !== undefined) throw new InputError(advice);
    throw error;
  }
  // init's output is discarded by cmp-server; keep Helm's report for the sidecar's log.
  if (output) writeStderr(output.endsWith('\n') ? output : `${output}\n`);
  return 0;
}

export async function argocdGenerate(): Promise<number> {
  const cwd = process.cwd();
  if (!existsSync(join(cwd, 'Chart.yaml'))) {
    throw new UsageError(
      `No Chart.yaml in ${cwd}: eck-airgap argocd generate renders the Helm chart in the current directory (the Application's source directory).`,
    );
  }
  const plan = planGenerate(process.env, cwd);
  for (const warning of plan.warnings) writeStderr(`eck-airgap argocd generate: ${warning}\n`);
  let settings;
  try {
    settings = await loadSettings({ flags: plan.flags, env: process.env, cwd, requireRegistry: true });
  } catch (error) {
    // The settings' messages name command-line flags; here those are the Application's parameters.
    if (error instanceof UsageError && error.message.includes('command line')) {
      throw new UsageError(
        `${error.message}\n(Here "command line" means the Application's plugin parameters: --registry is the registry parameter, --repository repository, --suffix suffix, --ubi-only ubi-only, --image-pull-secret image-pull-secrets, --mirror mirrors, --strict strict.)`,
      );
    }
    throw error;
  }
  settings = containLockForArgocd(settings, process.env, cwd, plan.flags.lock);
  return renderTemplate(helmTemplateArgs(plan.request), plan.request.chart, settings, { helm: helmBinary() });
}

export async function argocdCommand(step: 'init' | 'generate'): Promise<number> {
  return step === 'init' ? argocdInit() : argocdGenerate();
}
