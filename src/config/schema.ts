/**
 * The one schema of eck-airgap's settings. The config file, the environment and the command line each give a
 * partial object of this shape; they are checked separately (so every problem names where it came from) and
 * merged, flags first, then the environment, then the file.
 */
import { array, boolean, maxLength, minLength, optional, record, refine, regex, strictObject, string, type infer as Infer } from 'zod/mini';
import { isRegistryHost, parseMirrorTarget } from '../image/reference.js';

const registryHost = string().check(
  refine(isRegistryHost, { message: 'not a registry host (expected a host name or IP, optional :port, no scheme or path)' }),
);

/** A repository path as the operator's --container-repository takes it: lowercase path components. */
const repositoryPath = string().check(
  regex(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/, {
    message: 'not a repository path (lowercase letters, digits, separators, slashes)',
  }),
);

const suffix = string().check(
  regex(/^[a-z0-9._-]{1,64}$/, { message: 'not an image name suffix (e.g. -ubi, -wolfi)' }),
);

/** A Kubernetes Secret name (DNS-1123 subdomain). */
const secretName = string().check(
  regex(/^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/, { message: 'not a Secret name' }),
  maxLength(253),
);

const mirrorTarget = string().check(
  refine((s) => parseMirrorTarget(s) !== undefined, { message: 'not a mirror destination (host[:port][/path])' }),
);

/** An ECK operator release, X.Y.Z (a pre-release such as 3.0.0-rc1 is accepted). */
const eckRelease = string().check(
  regex(/^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/, {
    message: 'not an ECK operator release (expected X.Y.Z, e.g. 3.5.0)',
  }),
);

export const settingsSchema = strictObject({
  registry: optional(registryHost),
  repository: optional(repositoryPath),
  suffix: optional(suffix),
  ubiOnly: optional(boolean()),
  imagePullSecrets: optional(array(secretName)),
  sourceRegistries: optional(array(registryHost).check(minLength(1))),
  operator: optional(strictObject({ repository: optional(repositoryPath) })),
  setDefaultImages: optional(boolean()),
  mirrors: optional(record(string(), mirrorTarget)),
  eckVersion: optional(eckRelease),
});

export type PartialSettings = Infer<typeof settingsSchema>;

export const settingsDescriptions: Record<string, string> = {
  registry: 'Host (and optional port) of the private mirror, e.g. my.registry:5000. Required.',
  repository: "Like the operator's --container-repository: images go to <registry>/<repository>/<name>.",
  suffix: "Like the operator's --container-suffix, e.g. -wolfi; -ubi is the same as ubiOnly.",
  ubiOnly: "Like the operator's --ubi-only: use the UBI images.",
  imagePullSecrets: 'Names of Secrets added to every pod template that pulls from the mirror.',
  sourceRegistries: 'Registries whose images are moved to the mirror (default [docker.elastic.co]).',
  operator: 'Settings for the operator image.',
  setDefaultImages: "Write spec.image on Elastic resources that rely on the operator's default (default true).",
  mirrors: 'Other registries to move, e.g. {docker.io: my.registry/dockerhub}.',
  eckVersion: 'The ECK operator release to name images for when the stream has no operator image (default: the newest release eck-airgap knows).',
};
