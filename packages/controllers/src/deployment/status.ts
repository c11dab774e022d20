// A Deployment's status (sync.go calculateStatus, progress.go syncRolloutStatus): counts summed
// over its ReplicaSets, the Available condition, and the Progressing condition that tracks the
// rollout against progressDeadlineSeconds. Pure: `now` is passed in, nothing is written.
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1';
import { maxUnavailable } from './rolling.js';
import { actualReplicaCount, availableReplicaCount, deploymentReplicas, readyReplicaCount, replicaCount } from './replicasets.js';
import { formatTime } from '@mini-kube/machinery';

export const AVAILABLE = 'Available';
export const PROGRESSING = 'Progressing';
export const REPLICA_FAILURE = 'ReplicaFailure';

export const REASON = {
  minimumAvailable: 'MinimumReplicasAvailable',
  minimumUnavailable: 'MinimumReplicasUnavailable',
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  failedRSCreate: 'ReplicaSetCreateError',
} as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type Condition = Mutable<DeploymentCondition>;

export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: number): Condition {
  const at = formatTime(now);
  return { type, status, reason, message, lastUpdateTime: at, lastTransitionTime: at };
}

export const getCondition = (status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined =>
  status?.conditions?.find((c) => c.type === type);

/**
 * Sets a condition (SetDeploymentCondition): nothing changes when status and reason are the same;
 * the transition time stays when only the reason changes. The condition moves to the end.
 */
export function setCondition(status: Mutable<DeploymentStatus>, condition: Condition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = current && current.status === condition.status ? { ...condition, lastTransitionTime: current.lastTransitionTime } : condition;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: Mutable<DeploymentStatus>, type: string): void {
  if (status.conditions) status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** progressDeadlineSeconds is set and not the "never" value MaxInt32. */
export const hasProgressDeadline = (d: Deployment): boolean =>
  d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2147483647;

/** The counts and the Available condition (calculateStatus). */
export function calculateStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: number): Mutable<DeploymentStatus> {
  const available = availableReplicaCount(allRSs);
  const status: Mutable<DeploymentStatus> = {
    observedGeneration: d.metadata?.generation,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount(newRS ? [newRS] : []),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicaCount(allRSs) - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    ...(d.status?.conditions ? { conditions: d.status.conditions.map((c) => ({ ...c })) } : {}),
  };
  if (available >= deploymentReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(AVAILABLE, 'True', REASON.minimumAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition(AVAILABLE, 'False', REASON.minimumUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** Every replica is updated and available and the spec was observed (DeploymentComplete). */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const desired = deploymentReplicas(d);
  return (
    status.updatedReplicas === desired &&
    status.replicas === desired &&
    status.availableReplicas === desired &&
    (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/** The rollout moved since the last status: more updated, fewer old, more ready or available. */
export function deploymentProgressing(d: Deployment, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** The Progressing condition was last updated longer than progressDeadlineSeconds ago. */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(status, PROGRESSING);
  if (!cond || cond.reason === REASON.newRSAvailable) return false;
  if (cond.reason === REASON.timedOut) return true;
  const from = Date.parse(cond.lastUpdateTime ?? '');
  return Number.isFinite(from) && from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now;
}

/** The status a rolling or recreating sync writes (syncRolloutStatus, without the write). */
export function rolloutStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: number): Mutable<DeploymentStatus> {
  const status = calculateStatus(d, allRSs, newRS, now);
  if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
  const current = getCondition(status, PROGRESSING);
  const complete = status.replicas === status.updatedReplicas && current?.reason === REASON.newRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const name = newRS?.metadata?.name;
    if (deploymentComplete(d, status)) {
      const msg = name ? `ReplicaSet "${name}" has successfully progressed.` : `Deployment "${d.metadata?.name}" has successfully progressed.`;
      setCondition(status, newCondition(PROGRESSING, 'True', REASON.newRSAvailable, msg, now));
    } else if (deploymentProgressing(d, status)) {
      const msg = name ? `ReplicaSet "${name}" is progressing.` : `Deployment "${d.metadata?.name}" is progressing.`;
      const cond = newCondition(PROGRESSING, 'True', REASON.rsUpdated, msg, now);
      // Progress refreshes lastUpdateTime (the deadline clock) but keeps the transition time.
      if (current?.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, PROGRESSING);
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, now)) {
      const msg = name ? `ReplicaSet "${name}" has timed out progressing.` : `Deployment "${d.metadata?.name}" has timed out progressing.`;
      setCondition(status, newCondition(PROGRESSING, 'False', REASON.timedOut, msg, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, REPLICA_FAILURE);
  return status;
}

/** The ReplicaFailure condition of the new ReplicaSet, else of an old one (getReplicaFailures). */
function replicaFailure(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Condition | undefined {
  const ordered = newRS ? [newRS, ...allRSs.filter((rs) => rs !== newRS)] : allRSs;
  for (const rs of ordered) {
    const c = rs.status?.conditions?.find((x) => x.type === REPLICA_FAILURE);
    if (c) {
      const at = c.lastTransitionTime ?? '';
      return { type: REPLICA_FAILURE, status: c.status, reason: c.reason, message: c.message, lastUpdateTime: at, lastTransitionTime: at };
    }
  }
  return undefined;
}

/**
 * When a rollout that is not complete should be looked at again to notice its deadline passing
 * (requeueStuckDeployment): ms from `now`, or undefined for never.
 */
export function stuckRequeueAfter(d: Deployment, status: DeploymentStatus, now: number): number | undefined {
  const cond = getCondition(status, PROGRESSING);
  if (!hasProgressDeadline(d) || !cond || cond.reason === REASON.timedOut || deploymentComplete(d, status)) return undefined;
  const after = Date.parse(cond.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - now;
  return after < 1000 ? 0 : after + 1000;
}

/**
 * The Progressing condition a pause or resume calls for, or undefined when it is already set
 * (checkPausedConditions). Only deployments with a progress deadline track it.
 */
export function pauseCondition(d: Deployment, now: number): Condition | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const reason = getCondition(d.status, PROGRESSING)?.reason;
  if (d.spec?.paused && reason !== REASON.paused) {
    return newCondition(PROGRESSING, 'Unknown', REASON.paused, 'Deployment is paused', now);
  }
  if (!d.spec?.paused && reason === REASON.paused) {
    return newCondition(PROGRESSING, 'Unknown', REASON.resumed, 'Deployment is resumed', now);
  }
  return undefined;
}
