// The status of a StatefulSet (updateStatus, completeRollingUpdate): pod counts by readiness and
// revision, the current and update revisions, as `kubectl rollout status sts/x` reads them.
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { StatefulSetObject } from './identity.js';
import { podRevision } from './identity.js';
import { isCreated, isRunningAndAvailable, isRunningAndReady, isTerminating } from './pod-state.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type StatefulStatus = Mutable<StatefulSetStatus>;

/** Counts over the pods (placeholders not created yet count for nothing). */
export function countPods(set: StatefulSetObject, pods: readonly Pod[], currentRevision: string, updateRevision: string, now: number): StatefulStatus {
  const minReady = set.spec?.minReadySeconds ?? 0;
  const status: StatefulStatus = {
    observedGeneration: set.metadata.generation,
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    currentRevision,
    updateRevision,
  };
  for (const pod of pods) {
    if (isCreated(pod)) status.replicas++;
    if (isRunningAndReady(pod)) {
      status.readyReplicas!++;
      if (isRunningAndAvailable(pod, minReady, now)) status.availableReplicas!++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      if (podRevision(pod) === currentRevision) status.currentReplicas!++;
      if (podRevision(pod) === updateRevision) status.updatedReplicas!++;
    }
  }
  return status;
}

/**
 * The status to write: once every pod is updated and ready, the rolling update is complete and the
 * update revision becomes current (completeRollingUpdate). Zero omitempty counters are dropped.
 */
export function finalStatus(set: StatefulSetObject, counted: StatefulStatus, collisionCount: number): StatefulSetStatus {
  const status = { ...counted, collisionCount };
  const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
  for (const key of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const) if (!status[key]) delete status[key];
  if (set.status?.conditions?.length) status.conditions = set.status.conditions;
  return status;
}
