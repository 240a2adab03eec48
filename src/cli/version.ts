/**
 * `eck-airgap --version` (or `-V`) as the only argument is answered before anything else is loaded: the entry
 * points (`main.ts`, `start.ts`) check it first. Commander answers every other use of the flag, with the same text.
 */
declare const ECK_AIRGAP_VERSION: string;

export const VERSION = typeof ECK_AIRGAP_VERSION === 'string' ? ECK_AIRGAP_VERSION : 'dev';

/** Whether the arguments (after node and the script) are exactly `--version` or `-V`. */
export function isVersionOnly(args: readonly string[]): boolean {
  return args.length === 1 && (args[0] === '--version' || args[0] === '-V');
}
