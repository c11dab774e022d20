// One sync of a StatefulSet, planned (stateful_set_control.go updateStatefulSet): replace finished
// pods, create missing ones with their claims, fix identities and claim ownership, delete pods
// beyond the replica count from the highest ordinal down, then delete the highest-ordinal pod not
// at the update revision (down to the partition). With OrderedReady ("monotonic") the plan stops
// at the first pod that is not yet Running, Ready and available, so pods come and go one by one.
import type { OwnerReference } from '@mini-kube/api';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { newControllerRef } from '@mini-kube/machinery';
import type { PodObject } from '../replicaset/types.js';
import {
  STATEFULSET_TYPE,
  claimsFor,
  identityMatches,
  inOrdinalRange,
  newStatefulPod,
  ordinalOf,
  podRevision,
  replicaCount,
  startOrdinal,
  withIdentity,
  type ClaimObject,
  type StatefulSetObject,
} from './identity.js';
import { isCreated, isFinished, isHealthy, isPending, isRunningAndAvailable, isRunningAndReady, isTerminating } from './pod-state.js';
import { claimOwnerReferences } from './retention.js';
import { countPods, type StatefulStatus } from './status.js';

export interface RevisionRef {
  name: string;
  template: PodTemplateSpec;
}

export interface StatefulSetSnapshot {
  set: StatefulSetObject;
  current: RevisionRef;
  update: RevisionRef;
  /** The pods the set controls. */
  pods: readonly PodObject[];
  claim(name: string): ClaimObject | undefined;
  now: number;
}

export type StatefulAction =
  | { type: 'createPod'; pod: PodObject; claims: ClaimObject[] }
  | { type: 'createClaims'; pod: PodObject; claims: ClaimObject[] }
  | { type: 'deletePod'; pod: PodObject; reason: 'failed' | 'succeeded' | 'scaleDown' | 'update' }
  | { type: 'updatePod'; pod: PodObject }
  | { type: 'updateClaim'; claim: ClaimObject; ownerReferences: OwnerReference[] };

/** The actions for one pod, in order. */
export type Unit = StatefulAction[];

export interface StatefulPlan {
  /** Run one after the other; the units of a phase may run in parallel unless the set is OrderedReady. */
  phases: Unit[][];
  status: StatefulStatus;
  monotonic: boolean;
}

export function planStatefulSet(s: StatefulSetSnapshot): StatefulPlan {
  const { set, now } = s;
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const minReady = set.spec?.minReadySeconds ?? 0;
  const start = startOrdinal(set);
  const ref = newControllerRef(set, STATEFULSET_TYPE);
  const replicas: PodObject[] = new Array(replicaCount(set));
  const condemned: PodObject[] = [];
  for (const pod of s.pods) {
    if (inOrdinalRange(set, pod)) replicas[ordinalOf(pod) - start] = pod;
    else if (ordinalOf(pod) >= 0) condemned.push(pod);
  }
  const placeholder = (ord: number) => versionedPod(s, ord, ref);
  for (let i = 0; i < replicas.length; i++) replicas[i] ??= placeholder(start + i);
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  const firstUnhealthy = replicas.find((p) => !isHealthy(p)) ?? [...condemned].reverse().find((p) => !isHealthy(p));

  const phases: Unit[][] = [];
  const plan = (): StatefulPlan => ({ phases, status: countPods(set, [...replicas, ...condemned], s.current.name, s.update.name, now), monotonic });
  if (set.metadata.deletionTimestamp) return plan();

  const available = (p: PodObject) => isRunningAndAvailable(p, minReady, now);
  const claimUpdates = (pod: PodObject, scaledDown: boolean): Unit =>
    claimsFor(set, ordinalOf(pod)).flatMap((c) => {
      const existing = s.claim(c.metadata.name!);
      const ownerReferences = existing && claimOwnerReferences(existing, set, pod, scaledDown);
      return existing && ownerReferences ? [{ type: 'updateClaim' as const, claim: existing, ownerReferences }] : [];
    });
  const missingClaims = (pod: PodObject) => claimsFor(set, ordinalOf(pod)).filter((c) => !s.claim(c.metadata.name!));

  // Returns true when a monotonic sync must stop after this pod.
  const processReplica = (i: number, unit: Unit): boolean => {
    if (isFinished(replicas[i]!)) {
      unit.push({ type: 'deletePod', pod: replicas[i]!, reason: replicas[i]!.status?.phase === 'Failed' ? 'failed' : 'succeeded' });
      replicas[i] = placeholder(start + i);
    }
    const pod = replicas[i]!;
    if (!isCreated(pod)) {
      // A claim still being deleted (retention policy) must be gone before the pod comes back.
      if (claimsFor(set, ordinalOf(pod)).some((c) => s.claim(c.metadata.name!)?.metadata.deletionTimestamp)) return true;
      unit.push({ type: 'createPod', pod, claims: missingClaims(pod) });
      return monotonic;
    }
    if (isPending(pod) && missingClaims(pod).length > 0) unit.push({ type: 'createClaims', pod, claims: missingClaims(pod) });
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !available(pod))) return true;
    if (!identityMatches(set, pod)) unit.push({ type: 'updatePod', pod: withIdentity(set, pod) });
    unit.push(...claimUpdates(pod, false));
    return false;
  };

  const replicaUnits: Unit[] = [];
  phases.push(replicaUnits);
  for (let i = 0; i < replicas.length; i++) {
    const unit: Unit = [];
    const stop = processReplica(i, unit);
    if (unit.length > 0) replicaUnits.push(unit);
    if (stop && monotonic) return plan();
  }

  phases.push(condemned.map((pod) => claimUpdates(pod, true)).filter((u) => u.length > 0));

  const condemnedUnits: Unit[] = [];
  phases.push(condemnedUnits);
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return plan();
      continue;
    }
    // OrderedReady scales down only over healthy pods, except the first unhealthy one itself.
    if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !available(pod))) return plan();
    condemnedUnits.push([{ type: 'deletePod', pod, reason: 'scaleDown' }]);
    if (monotonic) return plan();
  }

  if (set.spec?.updateStrategy?.type === 'OnDelete') return plan();
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let target = replicas.length - 1; target >= partition; target--) {
    const pod = replicas[target]!;
    if (podRevision(pod) !== s.update.name && !isTerminating(pod)) {
      phases.push([[{ type: 'deletePod', pod, reason: 'update' }]]);
      const result = plan();
      result.status.currentReplicas!--;
      return result;
    }
    if (!isHealthy(pod)) break;
  }
  return plan();
}

/**
 * A new pod for `ordinal`: at the current revision below the partition (or, without rollingUpdate
 * settings, below the current replica count), else at the update revision (newVersionedStatefulSetPod).
 */
function versionedPod(s: StatefulSetSnapshot, ordinal: number, ref: OwnerReference): PodObject {
  const strategy = s.set.spec?.updateStrategy;
  const ru = strategy?.rollingUpdate;
  const start = startOrdinal(s.set);
  const useCurrent =
    ((strategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && !ru && ordinal < start + (s.set.status?.currentReplicas ?? 0)) ||
    (ru !== undefined && ordinal < start + (ru.partition ?? 0));
  const revision = useCurrent ? s.current : s.update;
  return newStatefulPod(s.set, revision.template, revision.name, ordinal, ref);
}
