// How each list field of the built-in kinds merges, from the k8s.io/api struct tags
// (`patchStrategy:"merge" patchMergeKey:"..."`, `+listType`, `+listMapKey`). A list with no
// merge strategy is atomic: a patch replaces it whole. Struct types are described once and
// reached by walking the path, so a PodSpec merges the same way inside a Pod, a Deployment's
// template or a CronJob's jobTemplate.

/**
 * `map`: items are objects identified by `keys`. `keys[0]` is the strategic-merge patchMergeKey;
 * the whole list is the server-side-apply listMapKeys. `set`: a list of scalars merged as a union.
 */
export type ListType = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

interface Field {
  /** The struct type of the field's value, or of each item when the field is a list. */
  type?: string;
  list?: ListType;
}

const ATOMIC: ListType = { type: 'atomic' };
const SET: ListType = { type: 'set' };
const byKey = (...keys: string[]): ListType => ({ type: 'map', keys });
const conditions: Field = { list: byKey('type') };

const TYPES: Record<string, Record<string, Field>> = {
  Object: { metadata: { type: 'ObjectMeta' } },
  ObjectMeta: { finalizers: { list: SET }, ownerReferences: { list: byKey('uid') } },

  PodTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' } },
  PodSpec: {
    containers: { type: 'Container', list: byKey('name') },
    initContainers: { type: 'Container', list: byKey('name') },
    ephemeralContainers: { type: 'Container', list: byKey('name') },
    volumes: { list: byKey('name') },
    imagePullSecrets: { list: byKey('name') },
    hostAliases: { list: byKey('ip') },
    topologySpreadConstraints: { list: byKey('topologyKey', 'whenUnsatisfiable') },
    resourceClaims: { list: byKey('name') },
    schedulingGates: { list: byKey('name') },
  },
  Container: {
    ports: { list: byKey('containerPort', 'protocol') },
    env: { list: byKey('name') },
    volumeMounts: { list: byKey('mountPath') },
    volumeDevices: { list: byKey('devicePath') },
  },
  PodStatus: {
    conditions,
    podIPs: { list: byKey('ip') },
    hostIPs: { list: byKey('ip') },
    resourceClaimStatuses: { list: byKey('name') },
  },
  Pod: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' }, status: { type: 'PodStatus' } },

  // Workloads: a pod template in spec, conditions in status.
  Workload: { metadata: { type: 'ObjectMeta' }, spec: { type: 'WorkloadSpec' }, status: { type: 'ConditionsStatus' } },
  WorkloadSpec: { template: { type: 'PodTemplateSpec' } },
  ConditionsStatus: { conditions },
  CronJob: { metadata: { type: 'ObjectMeta' }, spec: { type: 'CronJobSpec' } },
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  JobTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'WorkloadSpec' } },

  Node: { metadata: { type: 'ObjectMeta' }, spec: { type: 'NodeSpec' }, status: { type: 'NodeStatus' } },
  NodeSpec: { podCIDRs: { list: SET } },
  NodeStatus: { conditions, addresses: { list: byKey('type') } },

  Service: { metadata: { type: 'ObjectMeta' }, spec: { type: 'ServiceSpec' }, status: { type: 'ConditionsStatus' } },
  ServiceSpec: { ports: { list: byKey('port', 'protocol') } },

  ServiceAccount: { metadata: { type: 'ObjectMeta' }, secrets: { list: byKey('name') } },
  WithConditions: { metadata: { type: 'ObjectMeta' }, status: { type: 'ConditionsStatus' } },
};

/** The root struct type of each kind, keyed `group/Kind`; kinds not listed have only metadata. */
const ROOTS: Record<string, string> = {
  '/Pod': 'Pod',
  '/Node': 'Node',
  '/Service': 'Service',
  '/ServiceAccount': 'ServiceAccount',
  '/Namespace': 'WithConditions',
  '/PersistentVolumeClaim': 'WithConditions',
  '/ReplicationController': 'Workload',
  'apps/Deployment': 'Workload',
  'apps/ReplicaSet': 'Workload',
  'apps/StatefulSet': 'Workload',
  'apps/DaemonSet': 'Workload',
  'batch/Job': 'Workload',
  'batch/CronJob': 'CronJob',
  'autoscaling/HorizontalPodAutoscaler': 'WithConditions',
};

/**
 * How the list at `path` (field names from the object root, no indexes) merges. Unknown paths
 * are atomic, which is also what a strategic merge patch does with a list it has no tags for.
 */
export function listTypeAt(group: string, kind: string, path: string[]): ListType {
  let type: string | undefined = ROOTS[`${group}/${kind}`] ?? 'Object';
  for (let i = 0; i < path.length; i++) {
    const field: Field | undefined = type === undefined ? undefined : TYPES[type]?.[path[i]!];
    if (!field) return ATOMIC;
    if (i === path.length - 1) return field.list ?? ATOMIC;
    type = field.type;
  }
  return ATOMIC;
}
