// The part of Kyverno's ClusterPolicy schema that `eck-airgap policy -o kyverno` writes into, written here from
// the facts of kyverno/kyverno v1.19.0, config/crds/kyverno/kyverno.io_clusterpolicies.yaml (kyverno.io/v1
// openAPIV3Schema): at each level the full list of property names (so an unknown or misspelt field is caught),
// and for what the policy uses, its type and enum. Fields the policy never writes are `{}` (any). When the CRD
// itself is on disk, test/commands/policy.test.ts checks against it too.
type S = { type?: string; properties?: Record<string, S>; required?: string[]; enum?: unknown[]; items?: S };
const any: S = {};
const names = (list: string[], typed: Record<string, S> = {}): Record<string, S> =>
  Object.fromEntries(list.map((n) => [n, typed[n] ?? any]));

const keys: S = {
  type: 'object',
  properties: names(['ctlog', 'kms', 'publicKeys', 'rekor', 'secret', 'signatureAlgorithm'], {
    publicKeys: { type: 'string' },
    signatureAlgorithm: { type: 'string' },
    rekor: { type: 'object', properties: names(['ignoreTlog', 'pubkey', 'url'], { ignoreTlog: { type: 'boolean' } }) },
    ctlog: {
      type: 'object',
      properties: names(['ignoreSCT', 'pubkey', 'tsaCertChain'], { ignoreSCT: { type: 'boolean' } }),
    },
  }),
};
const verifyImage: S = {
  type: 'object',
  properties: names(
    [
      'additionalExtensions',
      'annotations',
      'attestations',
      'attestors',
      'cosignOCI11',
      'failureAction',
      'image',
      'imageReferences',
      'imageRegistryCredentials',
      'issuer',
      'key',
      'mutateDigest',
      'repository',
      'required',
      'roots',
      'skipImageReferences',
      'subject',
      'type',
      'useCache',
      'validate',
      'verifyDigest',
    ],
    {
      imageReferences: { type: 'array', items: { type: 'string' } },
      failureAction: { type: 'string', enum: ['Audit', 'Enforce'] },
      required: { type: 'boolean' },
      verifyDigest: { type: 'boolean' },
      mutateDigest: { type: 'boolean' },
      attestors: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            count: { type: 'integer' },
            entries: {
              type: 'array',
              items: {
                type: 'object',
                properties: names(
                  ['annotations', 'attestor', 'certificates', 'keyless', 'keys', 'repository', 'signatureAlgorithm'],
                  { keys },
                ),
              },
            },
          },
        },
      },
    },
  ),
};
const resources: S = {
  type: 'object',
  properties: names(
    ['annotations', 'kinds', 'name', 'names', 'namespaceSelector', 'namespaces', 'operations', 'selector'],
    { kinds: { type: 'array', items: { type: 'string' } } },
  ),
};
const rule: S = {
  type: 'object',
  required: ['match', 'name'],
  properties: names(
    [
      'celPreconditions',
      'context',
      'exclude',
      'generate',
      'imageExtractors',
      'match',
      'mutate',
      'name',
      'preconditions',
      'reportProperties',
      'skipBackgroundRequests',
      'validate',
      'verifyImages',
    ],
    {
      name: { type: 'string' },
      match: {
        type: 'object',
        properties: names(['all', 'any', 'clusterRoles', 'resources', 'roles', 'subjects'], {
          any: {
            type: 'array',
            items: {
              type: 'object',
              properties: names(['clusterRoles', 'resources', 'roles', 'subjects'], { resources }),
            },
          },
        }),
      },
      verifyImages: { type: 'array', items: verifyImage },
    },
  ),
};

/** `.spec` of a kyverno.io/v1 ClusterPolicy, as far as the facts above go. */
export const KYVERNO_V1_19_SPEC: S = {
  type: 'object',
  properties: names(
    [
      'admission',
      'applyRules',
      'background',
      'emitWarning',
      'failurePolicy',
      'generateExisting',
      'generateExistingOnPolicyUpdate',
      'mutateExistingOnPolicyUpdate',
      'rules',
      'schemaValidation',
      'useServerSideApply',
      'validationFailureAction',
      'validationFailureActionOverrides',
      'webhookConfiguration',
      'webhookTimeoutSeconds',
    ],
    {
      background: { type: 'boolean' },
      webhookTimeoutSeconds: { type: 'integer' },
      validationFailureAction: { type: 'string', enum: ['audit', 'enforce', 'Audit', 'Enforce'] },
      rules: { type: 'array', items: rule },
    },
  ),
};
