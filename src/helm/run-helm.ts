/** Runs Helm as a process (an argument array, never a shell) and says why it failed in Helm's own words. */
import { execa } from 'execa';
import { UsageError, UserError } from '../errors.js';
import { writeStderr } from '../io/write-output.js';
import { escapeControl } from '../text/escape.js';

class HelmFailed extends UserError {}

/**
 * Helm 3 reads every plugin.yaml in its plugins folder strictly: a Helm 4 plugin there (eck-airgap's, installed by
 * Helm 4 into the same default folder) makes it print this line on every command. What it means, and the fix.
 */
export function helmPluginNote(stderr: string): string {
  if (!/failed to load plugins: .*unknown field "apiVersion"/.test(stderr)) return '';
  // Helm 3 names the manifest it could not read; its folder is what to remove (a link for a checkout installed by
  // Helm 4, a folder for the release archive, named eck-airgap-helm-plugin: not always "eck-airgap").
  const at = /failed to load plugin at "([^"\n]+)\/plugin\.yaml"/.exec(stderr);
  const folder = at?.[1] ? escapeControl(at[1]) : '';
  return (
    'eck-airgap: note: the "failed to load plugins" line above is Helm 3 reading a Helm 4 plugin manifest (apiVersion: v1) ' +
    `in the plugins folder both versions share${folder ? ` (${folder})` : ''}. Remove it with Helm 4 as it was installed ` +
    `(helm4 plugin uninstall eck-airgap) or delete it (rm -r "${folder || '$(helm env HELM_PLUGINS)/<folder>'}"), ` +
    'then give Helm 4 its own data home (HELM_DATA_HOME=~/.local/share/helm4 for every helm4 command) and install the plugin again. ' +
    'See docs/helm.md, "Helm 3 and Helm 4 on one machine".\n'
  );
}

interface FinishedProcess {
  exitCode?: number | undefined;
  signal?: string | undefined;
  stderr?: unknown;
  timedOut?: boolean;
  isMaxBuffer?: boolean;
  code?: string;
  shortMessage?: string;
}

/** Why a helm run failed, in words: its own message, else its exit code or the signal that killed it. */
export function helmFailure(result: FinishedProcess): string {
  const stderr = String(result.stderr ?? '').trim();
  let how: string;
  if (result.signal) how = `helm was killed by signal ${result.signal}`;
  else if (result.timedOut) how = 'helm timed out';
  else if (result.isMaxBuffer) how = 'helm printed more than eck-airgap can hold';
  else if (typeof result.exitCode === 'number') how = `helm exited with code ${result.exitCode}`;
  else how = `helm did not run (${result.code ?? result.shortMessage ?? 'unknown reason'})`;
  if (!stderr) return how;
  return result.signal || typeof result.exitCode !== 'number' || result.exitCode === 0 ? `${stderr} (${how})` : stderr;
}

/** Runs helm with an argument array (no shell); returns its stdout, or throws with Helm's message. */
export async function runHelm(helm: string, args: string[], what = 'helm template'): Promise<string> {
  const result = await execa(helm, args, {
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    maxBuffer: 1024 * 1024 * 1024,
    encoding: 'utf8',
  });
  if (result.failed) {
    const code = (result as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new UsageError(
        `Cannot run helm ("${helm}" not found). Put helm on PATH, or say where it is with --helm PATH or $HELM_BIN.`,
      );
    }
    const note = helmPluginNote(String(result.stderr ?? ''));
    throw new HelmFailed(
      `${what} failed: ${helmFailure(result as FinishedProcess)}${note ? `\n${note.replace(/^eck-airgap: note: /, '').trimEnd()}` : ''}`,
      1,
    );
  }
  if (result.stderr)
    writeStderr(
      (String(result.stderr).endsWith('\n') ? String(result.stderr) : `${result.stderr}\n`) +
        helmPluginNote(String(result.stderr)),
    );
  return String(result.stdout);
}
