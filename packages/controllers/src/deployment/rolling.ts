// Rolling-update arithmetic (deployment/rolling.go and util/deployment_util.go): how far the new
// ReplicaSet may grow and how far the old ones may shrink, within maxSurge and maxUnavailable.
// Pure: every function reads ReplicaSets and returns numbers or a plan of target sizes.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import { scaledValueFromIntOrPercent, type IntOrString } from '@mini-kube/machinery';
import { byCreation, deploymentReplicas, replicaCount, specReplicas } from './replicasets.js';

/** A ReplicaSet and the size the plan gives it. */
export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
}

export const isRollingUpdate = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** maxSurge rounds up, maxUnavailable down; both 0 would deadlock, so unavailable becomes 1. */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  const unavailable = scaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', deploymentReplicas(d));
}

export const maxSurge = (d: Deployment): number => (isRollingUpdate(d) ? fenceposts(d).surge : 0);

export function maxUnavailable(d: Deployment): number {
  const desired = deploymentReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(fenceposts(d).unavailable, desired);
}

/** The size the new ReplicaSet may grow to now (NewRSNewReplicas). */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const desired = deploymentReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const maxTotal = desired + maxSurge(d);
  const current = replicaCount(allRSs);
  if (current >= maxTotal) return specReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, desired - specReplicas(newRS));
  return specReplicas(newRS) + scaleUp;
}

/**
 * How the old ReplicaSets shrink in one rolling step (reconcileOldReplicaSets): first replicas that
 * are not available (cleanupUnhealthyReplicas), then available ones while more than
 * `replicas - maxUnavailable` stay available (scaleDownOldReplicaSetsForRollingUpdate).
 * Returns the old ReplicaSets whose size changes, with their new size.
 */
export function planOldScaleDown(d: Deployment, allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ScaleStep[] {
  if (replicaCount(oldRSs) === 0) return [];
  const minAvailable = deploymentReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  const maxScaledDown = replicaCount(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];

  const sorted = [...oldRSs].sort(byCreation);
  const size = new Map(sorted.map((rs) => [rs, specReplicas(rs)]));
  const available = (rs: ReplicaSet): number => rs.status?.availableReplicas ?? 0;

  let cleaned = 0;
  for (const rs of sorted) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = specReplicas(rs) - available(rs);
    if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
    const n = Math.min(maxScaledDown - cleaned, unhealthy);
    size.set(rs, specReplicas(rs) - n);
    cleaned += n;
  }

  // Availability counts the active old ReplicaSets and the new one, as the real controller does.
  const availableNow = sorted.reduce((n, rs) => n + available(rs), newRS ? available(newRS) : 0);
  let toScaleDown = availableNow - minAvailable;
  for (const rs of sorted) {
    if (toScaleDown <= 0) break;
    const current = size.get(rs) ?? 0;
    if (current === 0) continue;
    const n = Math.min(current, toScaleDown);
    size.set(rs, current - n);
    toScaleDown -= n;
  }
  return sorted.filter((rs) => size.get(rs) !== specReplicas(rs)).map((rs) => ({ rs, replicas: size.get(rs) ?? 0 }));
}
