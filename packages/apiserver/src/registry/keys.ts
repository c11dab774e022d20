// Where each object lives in the store. A converted view (conversions.ts: events.k8s.io/v1 Events,
// autoscaling/v1 HorizontalPodAutoscalers) shares its storage resource's key space, as in Kubernetes.
import type { ResourceInfo } from '@mini-kube/api';
import { conversionFor } from './conversions.js';

function storageGroup(r: ResourceInfo): string {
  const group = conversionFor(r)?.storage.group ?? r.group;
  return group || 'core';
}

/** `/registry/<group>/<plural>/` — every object of the resource, in all namespaces. */
export function resourcePrefix(r: ResourceInfo): string {
  return `/registry/${storageGroup(r)}/${r.plural}/`;
}

/** The prefix of one namespace's objects, or of all of them when `namespace` is absent. */
export function listPrefix(r: ResourceInfo, namespace?: string): string {
  return r.namespaced && namespace ? `${resourcePrefix(r)}${namespace}/` : resourcePrefix(r);
}

export function objectKey(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return r.namespaced ? `${resourcePrefix(r)}${namespace}/${name}` : `${resourcePrefix(r)}${name}`;
}
