/** Checks of an Elastic resource against the operator release that will manage it. */
import type { ElasticKind } from '../eck/kinds.js';
import { kindImage, NamingError, type ContainerSettings } from '../eck/naming.js';
import { InputError } from '../errors.js';
import { NEWEST_RELEASE, releaseIsBelow, type OperatorRelease } from '../eck/release.js';
import { compareVersions, parseVersion, type StackVersion } from '../eck/version.js';

/** ECK supports stack 9.x from operator 3.0.0 on: a warning for a 9.x resource under an older operator. */
export function stackVersionWarning(
  version: string | undefined,
  container: ContainerSettings,
  where: string,
): string | undefined {
  const release = container.release ?? NEWEST_RELEASE;
  const v = version === undefined ? undefined : parseVersion(version);
  if (!v || v.major < 9 || !releaseIsBelow(release, '3.0.0')) return undefined;
  return `${where}: stack ${version} under ECK operator ${release.version}: ECK supports 9.x from operator 3.0.0 on.`;
}

/** An Elastic kind the operator release does not manage is an error (exit 1), whether spec.image is set or not. */
export function checkKindInRelease(
  kind: ElasticKind,
  container: ContainerSettings,
  where: string,
  releaseFrom: string,
): void {
  try {
    kindImage(kind, container.release);
  } catch (error) {
    if (error instanceof NamingError) throw new InputError(`${where}: ${error.message} (release from ${releaseFrom}).`);
    throw error;
  }
}

/**
 * What the operator's validation says about a resource's version, by operator release (ECK's webhooks at each
 * tag, pkg/controller/common/version/version.go `Supported…Versions` through `CheckSupportedStackVersion`, and
 * pkg/controller/common/stackmon/validations `MinStackVersion`):
 * - Enterprise Search 7.7.0 to 8.99.99 (every release 2.10–3.5);
 * - Logstash 8.6.0 or later before operator 2.12.0, 8.12.0 or later from 2.12.0 on;
 * - AutoOps Agent 9.2.1 or later in 3.3.x; from 3.4.0 on 9.2.4 on a Basic licence, 9.2.1 on Enterprise;
 * - stack monitoring (every Elasticsearch ref set) on Elasticsearch, Kibana, Beat: 7.14.0-SNAPSHOT or later;
 *   on Logstash before 2.12.0: 8.7.0-SNAPSHOT or later (pkg/apis/logstash/v1alpha1/validations.go).
 * - every kind: a spec.version that is not a semantic version (ParseVersion, pkg/apis/common/v1/validations.go);
 * - every kind, when the operator runs with ubi-only: a stack version below 7.10.0 (cmd/manager/main.go sets
 *   `version.GlobalMinStackVersion = version.From(7, 10, 0)` with ubi-only, 2.10.0 to 3.5.0 and main; it raises
 *   every kind's minimum in CheckSupportedStackVersion and Elasticsearch's supportedVersionsWithMinimum). A
 *   `container-suffix: -ubi` alone does not set it.
 * `refused`: the operator rejects the resource (it runs nothing, pulls no image). `unsure`: it depends on what the
 * stream cannot show (the licence): a warning.
 */
/**
 * The other kinds' `Supported…Versions` (pkg/controller/common/version/version.go, checked by
 * CheckSupportedStackVersion in each kind's webhook) and Elasticsearch's majors
 * (pkg/controller/elasticsearch/version/supported_versions.go), by operator release: each entry applies from its
 * release on. The maximum went from 8.99.99 to 9.99.99 in 2.15.0; APM Server's minimum from 6.2.0 to 7.0.0 and
 * Kibana's from 6.8.0 to 7.1.0 in 3.0.0; Elasticsearch 9.x is accepted from 2.15.0 on, 6.x until 2.16.x. (Agent in
 * Fleet mode has a higher minimum, 7.14.0-SNAPSHOT, not checked here; Logstash, Enterprise Search and AutoOps are
 * checked above with their own messages, their maximum here.)
 */
const SUPPORTED: Partial<Record<ElasticKind['kind'], readonly { from: string; min: string; max: string }[]>> = {
  ApmServer: [
    { from: '0.0.0', min: '6.2.0', max: '8.99.99' },
    { from: '2.15.0', min: '6.2.0', max: '9.99.99' },
    { from: '3.0.0', min: '7.0.0', max: '9.99.99' },
  ],
  Kibana: [
    { from: '0.0.0', min: '6.8.0', max: '8.99.99' },
    { from: '2.15.0', min: '6.8.0', max: '9.99.99' },
    { from: '3.0.0', min: '7.1.0', max: '9.99.99' },
  ],
  Beat: [
    { from: '0.0.0', min: '7.0.0', max: '8.99.99' },
    { from: '2.15.0', min: '7.0.0', max: '9.99.99' },
  ],
  Agent: [
    { from: '0.0.0', min: '7.10.0', max: '8.99.99' },
    { from: '2.15.0', min: '7.10.0', max: '9.99.99' },
  ],
  ElasticMapsServer: [
    { from: '0.0.0', min: '7.11.0', max: '8.99.99' },
    { from: '2.15.0', min: '7.11.0', max: '9.99.99' },
  ],
  Logstash: [
    { from: '0.0.0', min: '8.6.0', max: '8.99.99' },
    { from: '2.15.0', min: '8.6.0', max: '9.99.99' },
  ],
  PackageRegistry: [{ from: '0.0.0', min: '7.17.8', max: '9.99.99' }],
  AutoOpsAgentPolicy: [{ from: '0.0.0', min: '9.2.1', max: '9.99.99' }],
  // Elasticsearch: the majors the operator knows (a version of another major has no supported range).
  Elasticsearch: [
    { from: '0.0.0', min: '6.8.0', max: '8.99.99' },
    { from: '2.15.0', min: '6.8.0', max: '9.99.99' },
    { from: '3.0.0', min: '7.0.0', max: '9.99.99' },
  ],
};

function supportedRange(
  kind: ElasticKind['kind'],
  release: OperatorRelease,
): { min: string; max: string; file: string } | undefined {
  const entries = SUPPORTED[kind];
  if (!entries) return undefined;
  let found = entries[0]!;
  for (const e of entries) if (!releaseIsBelow(release, e.from)) found = e;
  const file =
    kind === 'Elasticsearch'
      ? 'technicallySupportedVersions, pkg/controller/elasticsearch/version/supported_versions.go'
      : `Supported${kind === 'ElasticMapsServer' ? 'Maps' : kind === 'ApmServer' ? 'APMServer' : kind}Versions, pkg/controller/common/version/version.go`;
  return { min: found.min, max: found.max, file };
}

export interface VersionVerdict {
  readonly refused?: string;
  readonly unsure?: string;
}

const AT = (v: string): StackVersion => parseVersion(v)!;
const lower = (v: StackVersion, min: string): boolean => compareVersions(v, AT(min)) < 0;
const higher = (v: StackVersion, max: string): boolean => compareVersions(v, AT(max)) > 0;

export function versionVerdict(
  kind: ElasticKind,
  version: string | undefined,
  monitoring: boolean,
  release: OperatorRelease = NEWEST_RELEASE,
  ubiOnly = false,
): VersionVerdict {
  if (version === undefined || version === '') return {};
  const by = `ECK operator ${release.version}`;
  const refuse = (rule: string, file: string): VersionVerdict => ({
    refused: `${by} refuses spec.version ${version}: ${rule} (${file}). The operator rejects the resource and runs nothing for it, so no image is listed or written; change spec.version.`,
  });
  const v = parseVersion(version);
  // Every controller's validation parses spec.version first (semver, as blang/semver reads it): Elasticsearch's
  // webhook in supportedVersion (version.Parse), every other kind's in CheckSupportedStackVersion (ParseVersion),
  // v2.10.0 to v3.5.0. The citation names the one of this kind.
  if (!v)
    return refuse(
      `${JSON.stringify(version)} is not a valid version (expected MAJOR.MINOR.PATCH, e.g. 8.16.1)`,
      kind.kind === 'Elasticsearch'
        ? 'supportedVersion, pkg/controller/elasticsearch/validation/validations.go'
        : 'ParseVersion through CheckSupportedStackVersion, pkg/apis/common/v1/validations.go',
    );
  switch (kind.kind) {
    case 'EnterpriseSearch': {
      // 2.15.x alone raised the maximum to 9.99.99 (v2.15.0); 2.16.0 capped it at 8.99.99 again.
      const max = releaseIsBelow(release, '2.15.0') || !releaseIsBelow(release, '2.16.0') ? '8.99.99' : '9.99.99';
      if (lower(v, '7.7.0') || higher(v, max)) {
        return refuse(
          max === '8.99.99'
            ? 'Enterprise Search must be 7.7.0 to 8.99.99 (there is no Enterprise Search 9.x)'
            : `Enterprise Search must be 7.7.0 to ${max}`,
          'SupportedEnterpriseSearchVersions, pkg/controller/common/version/version.go',
        );
      }
      break;
    }
    case 'Logstash': {
      const min = releaseIsBelow(release, '2.12.0') ? '8.6.0' : '8.12.0';
      if (lower(v, min))
        return refuse(
          `Logstash must be ${min} or later (8.6.0 before operator 2.12.0, 8.12.0 from 2.12.0 on)`,
          'SupportedLogstashVersions, pkg/controller/common/version/version.go',
        );
      break;
    }
    case 'AutoOpsAgentPolicy':
      if (lower(v, '9.2.1')) {
        const rule = releaseIsBelow(release, '3.4.0')
          ? 'AutoOps Agent must be 9.2.1 or later'
          : 'AutoOps Agent must be 9.2.1 or later on an Enterprise licence, 9.2.4 or later on Basic';
        return refuse(rule, 'SupportedAutoOpsAgent…Versions, pkg/controller/common/version/version.go');
      }
      if (!releaseIsBelow(release, '3.4.0') && lower(v, '9.2.4')) {
        return {
          unsure: `${by} accepts AutoOps Agent ${version} only with an Enterprise licence (9.2.4 or later on Basic: SupportedAutoOpsAgentBasicVersions, pkg/controller/autoops/validation/validations.go); the stream does not show the licence. Use 9.2.4 or later, or make sure the cluster runs an Enterprise licence.`,
        };
      }
      break;
  }
  const range = supportedRange(kind.kind, release);
  if (range && (lower(v, range.min) || higher(v, range.max)))
    return refuse(`${kind.kind} must be ${range.min} to ${range.max} under this operator release`, range.file);
  if (ubiOnly && lower(v, '7.10.0'))
    return refuse(
      'with ubi-only the operator accepts stack versions from 7.10.0 on (there are no UBI images before 7.10.0)',
      'GlobalMinStackVersion, cmd/manager/main.go; CheckSupportedStackVersion, pkg/apis/common/v1/validations.go',
    );
  if (monitoring) {
    const logstashBefore212 = kind.kind === 'Logstash' && releaseIsBelow(release, '2.12.0');
    const min = logstashBefore212 ? '8.7.0-SNAPSHOT' : kind.kind === 'Logstash' ? undefined : '7.14.0-SNAPSHOT';
    if (min !== undefined && lower(v, min)) {
      return refuse(
        `stack monitoring needs ${min.replace('-SNAPSHOT', '')} or later ("Unsupported version for Stack Monitoring")`,
        logstashBefore212
          ? 'MinStackMonVersion, pkg/apis/logstash/v1alpha1/validations.go'
          : 'MinStackVersion, pkg/controller/common/stackmon/validations/validations.go',
      );
    }
  }
  return {};
}
