/**
 * Plain Kubernetes workloads: where each kind keeps its pod spec. Render moves their container images and adds
 * pull secrets; nothing else in a workload is touched.
 */
export const WORKLOAD_POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
};

/** The container lists of a pod spec, in the order they are reported. */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export function isWorkloadKind(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(WORKLOAD_POD_SPEC_PATHS, kind);
}
