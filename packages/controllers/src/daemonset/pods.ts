// The pods of a DaemonSet (daemon/util): the pod a template makes for one node, pinned there by a
// `matchFields metadata.name` node affinity that the default scheduler honours, and the lookup of
// a DaemonSet's pods by the node they are for.
import type { KObject, OwnerReference } from '@mini-kube/api';
import { findResource } from '@mini-kube/api';
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Affinity, Pod } from 'kubernetes-types/core/v1';
import { scaledValueFromIntOrPercent } from '@mini-kube/machinery';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/index.js';
import type { PodObject } from '../replicaset/types.js';
import { targetNodeName, withDaemonTolerations } from './predicates.js';

export type DaemonSetObject = DaemonSet & KObject;
export const DAEMONSETS = findResource('apps', 'v1', 'daemonsets')!;
export const DAEMONSET_TYPE = { apiVersion: 'apps/v1', kind: 'DaemonSet' };

/** The template's affinity with its required node terms replaced by one pinning the pod to `nodeName`. */
export function pinToNode(affinity: Affinity | undefined, nodeName: string): Affinity {
  const required = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] };
  return { ...affinity, nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: required } };
}

/** The pod for `nodeName` (CreatePodTemplate + ReplaceDaemonSetPodNodeNameNodeAffinity). */
export function newDaemonPod(ds: DaemonSetObject, nodeName: string, hash: string, ref: OwnerReference): PodObject {
  const template = structuredClone(ds.spec?.template ?? {});
  const meta = template.metadata ?? {};
  const spec = template.spec ?? { containers: [] };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: { ...(meta.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
      ownerReferences: [ref],
    },
    spec: { ...spec, tolerations: withDaemonTolerations(spec), affinity: pinToNode(spec.affinity, nodeName) },
  };
}

/** A pod of the current template (IsPodUpdated, by hash: the apiserver keeps no template generation). */
export const isPodUpdated = (pod: Pod, hash: string): boolean => hash !== '' && pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;

const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** The DaemonSet's pods by target node, leaving out finished pods already being deleted (getNodesToDaemonPods). */
export function podsByNode<P extends Pod>(pods: readonly P[]): Map<string, P[]> {
  const map = new Map<string, P[]>();
  for (const pod of pods) {
    if (isTerminal(pod) && pod.metadata?.deletionTimestamp) continue;
    const node = targetNodeName(pod);
    if (!node) continue;
    map.set(node, [...(map.get(node) ?? []), pod]);
  }
  return map;
}

/** Scheduled pods first, then the oldest, then by name (podByCreationTimestampAndPhase). */
export function compareByAge(a: Pod, b: Pod): number {
  const [sa, sb] = [Boolean(a.spec?.nodeName), Boolean(b.spec?.nodeName)];
  if (sa !== sb) return sa ? -1 : 1;
  const [ta, tb] = [a.metadata?.creationTimestamp ?? '', b.metadata?.creationTimestamp ?? ''];
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** maxSurge and maxUnavailable against the desired pod count, both rounded up (SurgeCount, UnavailableCount). */
export function rollingCounts(ds: DaemonSet, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = ds.spec?.updateStrategy?.type === 'OnDelete' ? undefined : ds.spec?.updateStrategy?.rollingUpdate;
  if (!ru) return { maxSurge: 0, maxUnavailable: 0 };
  return {
    maxSurge: scaledValueFromIntOrPercent(ru.maxSurge ?? 0, desired, true),
    maxUnavailable: scaledValueFromIntOrPercent(ru.maxUnavailable ?? 1, desired, true),
  };
}

/** True when a rolling update may run a new pod beside the old one on a node (AllowsSurge). */
export const allowsSurge = (ds: DaemonSet): boolean => rollingCounts(ds, 1).maxSurge !== 0;
