/**
 * The lock file under Argo CD: who may name it. The sidecar's own ECK_AIRGAP_LOCK (or a lock in the sidecar's own
 * ECK_AIRGAP_CONFIG) is the Argo CD administrator's and trusted as given. A lock named by whoever may edit the
 * Application — the `lock` parameter, ARGOCD_ENV_ECK_AIRGAP_LOCK (plugin.env), or `lock:` in the Application's own
 * config file — must be a file inside the Application's source directory, held to the values files' rule: it must not
 * make eck-airgap read (and quote the keys of) a file of the repo-server.
 */
import type { Settings } from '../config/settings.js';
import { containedPath } from './paths.js';

export function containLockForArgocd(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  cwd: string,
  fromParameter: string | undefined,
): Settings {
  if (settings.lock === undefined) return settings;
  const sidecarLock = (env['ECK_AIRGAP_LOCK'] ?? '').trim();
  const sidecarConfig = (env['ECK_AIRGAP_CONFIG'] ?? '').trim() !== '';
  const applicationEnv = (env['ARGOCD_ENV_ECK_AIRGAP_LOCK'] ?? '').trim() !== '';
  const trusted = fromParameter === undefined && (settings.lock === sidecarLock || (sidecarConfig && !applicationEnv));
  return trusted ? settings : { ...settings, lock: containedPath(cwd, settings.lock, 'The lock file') };
}
