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
 * - every kind: a spec.version that is not a semantic version (ParseVersion, pkg/apis/common/v1/validations.go).
 * `refused`: the operator rejects the resource (it runs nothing, pulls no image). `unsure`: it depends on what the
 * stream cannot show (the licence): a warning.
 */
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
): VersionVerdict {
  if (version === undefined || version === '') return {};
  const by = `ECK operator ${release.version}`;
  const refuse = (rule: string, file: string): VersionVerdict => ({
    refused: `${by} refuses spec.version ${version}: ${rule} (${file}). The operator rejects the resource and runs nothing for it, so no image is listed or written; change spec.version.`,
  });
  const v = parseVersion(version);
  // Every controller's validation parses spec.version first (semver, as blang/semver reads it).
  if (!v)
    return refuse(
      `${JSON.stringify(version)} is not a valid version (expected MAJOR.MINOR.PATCH, e.g. 8.16.1)`,
      'ParseVersion, pkg/apis/common/v1/validations.go; Elasticsearch: supportedVersion, pkg/controller/elasticsearch/validation',
    );
  switch (kind.kind) {
    case 'EnterpriseSearch':
      if (lower(v, '7.7.0') || higher(v, '8.99.99')) {
        return refuse(
          'Enterprise Search must be 7.7.0 to 8.99.99 (there is no Enterprise Search 9.x)',
          'SupportedEnterpriseSearchVersions, pkg/controller/common/version/version.go',
        );
      }
      break;
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
