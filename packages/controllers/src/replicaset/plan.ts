// Pure planning of the ReplicaSet controller (replica_set.go, replica_set_utils.go): the pod a
// template makes, the slow-start batches creations go out in, and the status the pods add up to.
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { OwnerReference } from '@mini-kube/api';
import { selectorFromSet, formatTime } from '@mini-kube/machinery';
import { labelMatcher } from './label-matcher.js';
import { isAvailableSince, readyCondition } from './pods.js';

/** At most this many creations or deletions per sync (--replicaset-burst-replicas... burstReplicas). */
export const BURST_REPLICAS = 500;
export const REPLICA_FAILURE = 'ReplicaFailure';

/**
 * Batch sizes for `count` creations (slowStartBatch): 1, 2, 4, ... so a template that cannot work
 * (quota, bad admission) fails after one call instead of hundreds. A batch runs only if the
 * previous one fully succeeded.
 */
export function slowStartBatches(count: number, initial = 1): number[] {
  const batches: number[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    batches.push(size);
    remaining -= size;
  }
  return batches;
}

/** The pod a ReplicaSet creates (GetPodFromTemplate): template metadata and spec, a controller ref. */
export function podFromTemplate(rs: ReplicaSet, controllerRef: OwnerReference): Pod {
  const template = structuredClone(rs.spec?.template ?? {});
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata?.name}-`,
      namespace: rs.metadata?.namespace,
      ...(meta.labels ? { labels: meta.labels } : {}),
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
      ownerReferences: [controllerRef],
    },
    spec: template.spec ?? { containers: [] },
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What the status counts of a ReplicaSet's pods. */
export interface PodCounts {
  replicas: number;
  fullyLabeled: number;
  ready: number;
  available: number;
}

/**
 * Counts `pods` (the active pods the ReplicaSet owns) in one pass: all of them, those carrying
 * every template label, the ready ones, and those ready for minReadySeconds.
 */
export function countPods(rs: ReplicaSet, pods: readonly Pod[], now: number): PodCounts {
  const minReadyMs = (rs.spec?.minReadySeconds ?? 0) * 1000;
  const templateLabels = labelMatcher(selectorFromSet(rs.spec?.template?.metadata?.labels ?? {}));
  const counts: PodCounts = { replicas: pods.length, fullyLabeled: 0, ready: 0, available: 0 };
  for (const pod of pods) {
    if (templateLabels.matches(pod.metadata?.labels ?? {})) counts.fullyLabeled++;
    const ready = readyCondition(pod);
    if (ready?.status !== 'True') continue;
    counts.ready++;
    if (minReadyMs === 0 || isAvailableSince(ready.lastTransitionTime, minReadyMs, now)) counts.available++;
  }
  return counts;
}

/**
 * The status the counted pods add up to (calculateStatus). A failed create or delete sets
 * ReplicaFailure; a clean sync removes it.
 */
export function calculateStatus(
  rs: ReplicaSet,
  counts: PodCounts,
  manageError: { message: string; creating: boolean } | undefined,
  now: number,
): ReplicaSetStatus {
  const status: Mutable<ReplicaSetStatus> = {
    replicas: counts.replicas,
    fullyLabeledReplicas: counts.fullyLabeled,
    readyReplicas: counts.ready,
    availableReplicas: counts.available,
    observedGeneration: rs.metadata?.generation,
  };
  let conditions: ReplicaSetCondition[] = (rs.status?.conditions ?? []).map((c) => ({ ...c }));
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (manageError && !failure) {
    conditions.push({
      type: REPLICA_FAILURE,
      status: 'True',
      reason: manageError.creating ? 'FailedCreate' : 'FailedDelete',
      message: manageError.message,
      lastTransitionTime: formatTime(now),
    });
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c !== failure);
  }
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}
