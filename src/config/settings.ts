/** The settings a command runs with, after every source has been read, checked and merged. */
import { DEFAULT_CONTAINER_REGISTRY, OPERATOR_SOURCE_REPOSITORY } from '../eck/kinds.js';
import type { MirrorPlan } from '../image/relocate.js';

export interface Settings extends MirrorPlan {
  /** The configured suffix; UBI mode (`ubiOnly`, or suffix `-ubi`) is `-ubi`. Undefined when unset. */
  readonly suffix?: string | undefined;
  readonly imagePullSecrets: readonly string[];
  readonly setDefaultImages: boolean;
  /** The ECK operator release to name images for when the stream has no operator image (`eckVersion`). */
  readonly eckVersion?: string;
  /** The images lock to pin to / check against (`lock`), a path as given. */
  readonly lock?: string;
  /** Fail render and template when an image stays off the mirror (`strict`). */
  readonly strict: boolean;
  /** Operator settings sources the stream does not hold that the user vouches set no image setting. */
  readonly vouchedSources?: readonly string[];
  /** Registry access of mirror and verify (src/mirror/registry-access.ts); paths as given. */
  readonly plainHttp?: boolean;
  readonly caFile?: string;
  readonly authfile?: string;
  readonly registriesConf?: string;
  readonly platforms?: readonly string[];
}

/** What one source (flags, environment, config file) says, checked: every key optional. */
export interface PartialSettings {
  registry?: string;
  repository?: string;
  suffix?: string;
  ubiOnly?: boolean;
  imagePullSecrets?: string[];
  sourceRegistries?: string[];
  operator?: { repository?: string };
  setDefaultImages?: boolean;
  mirrors?: Record<string, string>;
  eckVersion?: string;
  lock?: string;
  defaultSourceRegistry?: boolean;
  strict?: boolean;
  vouchedSources?: string[];
  plainHttp?: boolean;
  caFile?: string;
  authfile?: string;
  registriesConf?: string;
  platforms?: string[];
}

export const DEFAULTS = {
  sourceRegistries: [DEFAULT_CONTAINER_REGISTRY],
  operatorRepository: OPERATOR_SOURCE_REPOSITORY,
  setDefaultImages: true,
} as const;
