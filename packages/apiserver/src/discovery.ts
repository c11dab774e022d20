// Discovery documents: aggregated (apidiscovery.k8s.io/v2, what kubectl 1.32 asks for first) and the
// legacy per-group-version lists, which `kubectl drain` still reads (kubectl-wire §3).
import { RESOURCES, groupVersion, servedGroupVersions, type ResourceInfo } from '@mini-kube/api';
import { metricsAggregatedGroup, metricsApiGroup } from './metrics/routes.js';

export const AGGREGATED_DISCOVERY_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export function wantsAggregated(accept: string | undefined): boolean {
  return !!accept && accept.includes('as=APIGroupDiscoveryList') && accept.includes('v=v2;');
}

const resourcesOf = (group: string, version: string): ResourceInfo[] =>
  RESOURCES.filter((r) => r.group === group && r.version === version);

function aggregatedResource(r: ResourceInfo): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) entry.shortNames = r.shortNames;
  if (r.categories.length) entry.categories = r.categories;
  if (r.subresources.length) {
    entry.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return entry;
}

function aggregatedGroup(group: string): Record<string, unknown> {
  const versions = servedGroupVersions().filter((gv) => gv.group === group);
  return {
    metadata: { name: group },
    versions: versions.map((gv) => ({
      version: gv.version,
      freshness: 'Current',
      resources: resourcesOf(gv.group, gv.version).map(aggregatedResource),
    })),
  };
}

const groupNames = (): string[] => [...new Set(servedGroupVersions().map((gv) => gv.group).filter(Boolean))];

/** GET /api or /apis with the aggregated Accept. */
export function aggregatedDiscovery(core: boolean): Record<string, unknown> {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: core ? [aggregatedGroup('')] : [...groupNames().map(aggregatedGroup), metricsAggregatedGroup()],
  };
}

export function legacyApiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(group: string): Record<string, unknown> {
  const versions = servedGroupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({ groupVersion: groupVersion(gv), version: gv.version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions, preferredVersion: versions[0] };
}

export function legacyGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groupNames().map(apiGroup), metricsApiGroup()] };
}

export function legacyGroup(group: string): Record<string, unknown> | undefined {
  return groupNames().includes(group) ? apiGroup(group) : undefined;
}

/** GET /api/v1 or /apis/{group}/{version}: subresources are entries of their own ("pods/log"). */
export function resourceList(group: string, version: string): Record<string, unknown> | undefined {
  const resources = resourcesOf(group, version);
  if (!resources.length) return undefined;
  const entries: Record<string, unknown>[] = [];
  for (const r of resources) {
    const entry: Record<string, unknown> = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    entries.push(entry);
    for (const s of r.subresources) {
      const sub: Record<string, unknown> = { name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      // kubectl drain looks for pods/eviction with its group and version set (CheckEvictionSupport).
      if (s.group !== undefined && (s.group !== r.group || s.version !== r.version)) {
        sub.group = s.group;
        sub.version = s.version;
      }
      entries.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources: entries };
}
