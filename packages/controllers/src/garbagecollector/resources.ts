// Which resources the garbage collector watches, and how it names them in its work-queue keys.
// Keys carry the resource because one queue serves every kind: `group/plural|namespace|name`.
import { RESOURCES, parseApiVersion, type KObject, type ResourceInfo } from '@mini-kube/api';

/**
 * Everything that can own or be owned, once per resource: a resource served at several versions
 * (autoscaling v2 and v1) is watched at its first, preferred one. Events never take part.
 */
export const GC_RESOURCES: readonly ResourceInfo[] = RESOURCES.filter(
  (r, i) => r.kind !== 'Event' && RESOURCES.findIndex((o) => o.group === r.group && o.plural === r.plural) === i,
);

export function resourceId(r: ResourceInfo): string {
  return `${r.group}/${r.plural}`;
}

export function gcKey(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${resourceId(r)}|${namespace ?? ''}|${name}`;
}

export function objectGcKey(r: ResourceInfo, obj: KObject): string {
  return gcKey(r, obj.metadata.namespace, obj.metadata.name ?? '');
}

export function parseGcKey(key: string): { resourceId: string; namespace?: string; name: string } {
  const [id = '', namespace = '', name = ''] = key.split('|');
  return { resourceId: id, namespace: namespace || undefined, name };
}

/**
 * The resource an owner reference points at. The version is ignored: an owner written as
 * apps/v1beta2 is the same object as apps/v1, and the graph keeps one version per resource.
 */
export function resolveOwnerResource(apiVersion: string, kind: string): ResourceInfo | undefined {
  const { group } = parseApiVersion(apiVersion);
  return GC_RESOURCES.find((r) => r.group === group && r.kind === kind);
}
