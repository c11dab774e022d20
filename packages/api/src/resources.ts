// The kind table: every resource the API server serves, with what discovery, routing and the
// generic registry need to know about it. One row per resource; subresources hang off their parent.

export interface SubresourceInfo {
  /** e.g. "status", "scale", "log", "binding", "eviction". */
  name: string;
  /** The kind this subresource takes and returns, when it is not the parent's kind. */
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string; // "" for the core group
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  categories: string[];
  verbs: string[];
  subresources: SubresourceInfo[];
}

export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface Row {
  group?: string;
  version?: string;
  kind: string;
  plural: string;
  short?: string[];
  cluster?: boolean;
  all?: boolean;
  sub?: string[];
}

// Subresources by name → how they look in discovery. "status" and "scale" are special-cased below.
const SUBRESOURCE_SHAPES: Record<string, Omit<SubresourceInfo, 'name'>> = {
  binding: { group: '', version: 'v1', kind: 'Binding', verbs: ['create'] },
  log: { group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
  eviction: { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
  scale: { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
};

const ROWS: Row[] = [
  // core/v1
  { kind: 'Namespace', plural: 'namespaces', short: ['ns'], cluster: true, sub: ['status'] },
  { kind: 'Node', plural: 'nodes', short: ['no'], cluster: true, sub: ['status'] },
  { kind: 'Pod', plural: 'pods', short: ['po'], all: true, sub: ['status', 'binding', 'log', 'eviction'] },
  { kind: 'Service', plural: 'services', short: ['svc'], all: true, sub: ['status'] },
  { kind: 'Endpoints', plural: 'endpoints', short: ['ep'] },
  { kind: 'ConfigMap', plural: 'configmaps', short: ['cm'] },
  { kind: 'Secret', plural: 'secrets' },
  { kind: 'ServiceAccount', plural: 'serviceaccounts', short: ['sa'] },
  { kind: 'Event', plural: 'events', short: ['ev'] },
  { kind: 'PersistentVolume', plural: 'persistentvolumes', short: ['pv'], cluster: true, sub: ['status'] },
  { kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', short: ['pvc'], sub: ['status'] },
  // apps/v1
  { group: 'apps', kind: 'Deployment', plural: 'deployments', short: ['deploy'], all: true, sub: ['status', 'scale'] },
  { group: 'apps', kind: 'ReplicaSet', plural: 'replicasets', short: ['rs'], all: true, sub: ['status', 'scale'] },
  { group: 'apps', kind: 'StatefulSet', plural: 'statefulsets', short: ['sts'], all: true, sub: ['status', 'scale'] },
  { group: 'apps', kind: 'DaemonSet', plural: 'daemonsets', short: ['ds'], all: true, sub: ['status'] },
  { group: 'apps', kind: 'ControllerRevision', plural: 'controllerrevisions' },
  // batch/v1
  { group: 'batch', kind: 'Job', plural: 'jobs', all: true, sub: ['status'] },
  { group: 'batch', kind: 'CronJob', plural: 'cronjobs', short: ['cj'], all: true, sub: ['status'] },
  // autoscaling/v2 (preferred: listed first), and v1, a converted view of the same objects
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', short: ['hpa'], all: true, sub: ['status'] },
  { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', short: ['hpa'], all: true, sub: ['status'] },
  // networking.k8s.io/v1
  { group: 'networking.k8s.io', kind: 'Ingress', plural: 'ingresses', short: ['ing'], sub: ['status'] },
  { group: 'networking.k8s.io', kind: 'IngressClass', plural: 'ingressclasses', cluster: true },
  // discovery.k8s.io/v1
  { group: 'discovery.k8s.io', kind: 'EndpointSlice', plural: 'endpointslices' },
  // coordination.k8s.io/v1
  { group: 'coordination.k8s.io', kind: 'Lease', plural: 'leases' },
  // events.k8s.io/v1 — the same objects as core/v1 events, under other field names
  { group: 'events.k8s.io', kind: 'Event', plural: 'events', short: ['ev'] },
];

function toInfo(row: Row): ResourceInfo {
  const group = row.group ?? '';
  const version = row.version ?? 'v1';
  return {
    group,
    version,
    kind: row.kind,
    listKind: `${row.kind}List`,
    plural: row.plural,
    singular: row.kind.toLowerCase(),
    shortNames: row.short ?? [],
    namespaced: !row.cluster,
    categories: row.all ? ['all'] : [],
    verbs: STANDARD_VERBS,
    subresources: (row.sub ?? []).map((name) =>
      name === 'status'
        ? { name, group, version, kind: row.kind, verbs: ['get', 'patch', 'update'] }
        : { name, ...SUBRESOURCE_SHAPES[name]! },
    ),
  };
}

export const RESOURCES: readonly ResourceInfo[] = ROWS.map(toInfo);

export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Splits "apps/v1" into its group and version; "v1" is the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function findResourceByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  const { group, version } = parseApiVersion(apiVersion);
  return RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/** The group-versions served, in discovery order (core first). */
export function servedGroupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) seen.set(groupVersion(r), { group: r.group, version: r.version });
  return [...seen.values()];
}
