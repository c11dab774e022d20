// The stable identity of a StatefulSet's pods (stateful_set_utils.go): pod `<set>-<ordinal>` with
// hostname, subdomain (the governing Service) and name/index labels, and one claim per
// volumeClaimTemplate named `<template>-<set>-<ordinal>`, mounted in place of a volume of that name.
import type { KObject, OwnerReference } from '@mini-kube/api';
import { findResource } from '@mini-kube/api';
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/index.js';

export type StatefulSetObject = StatefulSet & KObject;
export type ClaimObject = PersistentVolumeClaim & KObject;
export const STATEFULSETS = findResource('apps', 'v1', 'statefulsets')!;
export const CLAIMS = findResource('', 'v1', 'persistentvolumeclaims')!;
export const STATEFULSET_TYPE = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

const ORDINAL_RE = /^(.*)-(\d+)$/;

/** The parent name and ordinal a pod's name encodes; ordinal -1 when it encodes none. */
export function parentAndOrdinal(pod: Pod): { parent: string; ordinal: number } {
  const m = ORDINAL_RE.exec(pod.metadata?.name ?? '');
  return m ? { parent: m[1]!, ordinal: Number(m[2]) } : { parent: '', ordinal: -1 };
}

export const ordinalOf = (pod: Pod): number => parentAndOrdinal(pod).ordinal;
export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata?.name}-${ordinal}`;
export const startOrdinal = (set: StatefulSet): number => set.spec?.ordinals?.start ?? 0;
export const replicaCount = (set: StatefulSet): number => set.spec?.replicas ?? 1;

/** True when the pod's name says it belongs to this set (isMemberOf). */
export const isMemberOf = (set: StatefulSet, pod: Pod): boolean => parentAndOrdinal(pod).parent === set.metadata?.name;

/** Inside [start, start + replicas): a pod the set wants, not one being scaled away. */
export function inOrdinalRange(set: StatefulSet, pod: Pod): boolean {
  const ord = ordinalOf(pod);
  return ord >= startOrdinal(set) && ord < startOrdinal(set) + replicaCount(set);
}

export const podRevision = (pod: Pod): string | undefined => pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];

/** The claims a pod of `set` with this ordinal uses, in template order (getPersistentVolumeClaims). */
export function claimsFor(set: StatefulSetObject, ordinal: number): ClaimObject[] {
  const selectorLabels = set.spec?.selector?.matchLabels ?? {};
  return (set.spec?.volumeClaimTemplates ?? []).map((tpl) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      ...(tpl.metadata?.annotations ? { annotations: { ...tpl.metadata.annotations } } : {}),
      name: `${tpl.metadata?.name}-${set.metadata.name}-${ordinal}`,
      namespace: set.metadata.namespace,
      labels: { ...(tpl.metadata?.labels ?? {}), ...selectorLabels },
    },
    spec: structuredClone(tpl.spec ?? {}),
  }));
}

/** Labels that say which pod of which set this is (updateIdentity). */
function identityLabels(set: StatefulSet, ordinal: number): Record<string, string> {
  return { [POD_NAME_LABEL]: podName(set, ordinal), [POD_INDEX_LABEL]: String(ordinal) };
}

export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod);
  if (ordinal < 0 || parent !== set.metadata?.name || pod.metadata?.namespace !== set.metadata?.namespace) return false;
  return Object.entries(identityLabels(set, ordinal)).every(([k, v]) => pod.metadata?.labels?.[k] === v);
}

/** The pod with its identity labels restored (updateIdentity), for an update. */
export function withIdentity<P extends Pod>(set: StatefulSet, pod: P): P {
  const labels = { ...(pod.metadata?.labels ?? {}), ...identityLabels(set, ordinalOf(pod)) };
  return { ...pod, metadata: { ...pod.metadata, labels } };
}

/**
 * The pod of `template` at `ordinal`, labelled with `revision` (newStatefulSetPod, setPodRevision):
 * claim volumes replace template volumes of the same name.
 */
export function newStatefulPod(set: StatefulSetObject, template: PodTemplateSpec, revision: string, ordinal: number, ref: OwnerReference): Pod & KObject {
  const tpl = structuredClone(template);
  const name = podName(set, ordinal);
  const claimVolumes = (set.spec?.volumeClaimTemplates ?? []).map((t) => ({
    name: t.metadata?.name ?? '',
    persistentVolumeClaim: { claimName: `${t.metadata?.name}-${set.metadata.name}-${ordinal}` },
  }));
  const others = (tpl.spec?.volumes ?? []).filter((v) => !claimVolumes.some((c) => c.name === v.name));
  const volumes = [...claimVolumes, ...others];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: { ...(tpl.metadata?.labels ?? {}), ...identityLabels(set, ordinal), [CONTROLLER_REVISION_HASH_LABEL]: revision },
      ...(tpl.metadata?.annotations ? { annotations: tpl.metadata.annotations } : {}),
      ...(tpl.metadata?.finalizers ? { finalizers: tpl.metadata.finalizers } : {}),
      ownerReferences: [ref],
    },
    spec: {
      ...(tpl.spec ?? { containers: [] }),
      ...(volumes.length > 0 ? { volumes } : {}),
      hostname: name,
      ...(set.spec?.serviceName ? { subdomain: set.spec.serviceName } : {}),
    },
  };
}
