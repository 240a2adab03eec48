/** eck-airgap's own version, set by the build (scripts/build.mjs `define`); `dev` when run from source. */
declare const ECK_AIRGAP_VERSION: string;

export const VERSION = typeof ECK_AIRGAP_VERSION === 'string' ? ECK_AIRGAP_VERSION : 'dev';
