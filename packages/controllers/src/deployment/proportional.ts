// Scaling a Deployment while it may be mid-rollout (sync.go `scale`): with one active ReplicaSet
// it takes the new size; with a saturated new one the old go to 0; otherwise the replicas added or
// removed are spread over the active ReplicaSets in proportion to their size ("proportional
// scaling"), so a rollout in progress keeps its shape. Pure: returns the sizes to set.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import { isRollingUpdate, maxSurge, type ScaleStep } from './rolling.js';
import {
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  byCreation,
  bySizeNewer,
  bySizeOlder,
  deploymentReplicas,
  filterActive,
  intAnnotation,
  replicaCount,
  specReplicas,
} from './replicasets.js';

/** The only active ReplicaSet, else the newest one when none is active (FindActiveOrLatest). */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet has all the replicas and all are available (IsSaturated). */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = deploymentReplicas(d);
  return specReplicas(rs) === desired && intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION) === desired && (rs.status?.availableReplicas ?? 0) === desired;
}

/** A ReplicaSet's desired-replicas annotation differs from the deployment's size (isScalingEvent). */
export function isScalingEvent(d: Deployment, rss: readonly (ReplicaSet | undefined)[]): boolean {
  return filterActive(rss).some((rs) => {
    const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
    return desired !== undefined && desired !== deploymentReplicas(d);
  });
}

/** The change of `rs` that keeps its share of the deployment (getReplicaSetFraction). */
function fraction(rs: ReplicaSet, d: Deployment): number {
  const desired = deploymentReplicas(d);
  if (desired === 0) return -specReplicas(rs);
  const total = desired + maxSurge(d);
  const annotated = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0; // nothing to be proportional to
  // Go's math.Round rounds halves away from zero; sizes are never negative here.
  return Math.round((specReplicas(rs) * total) / annotated) - specReplicas(rs);
}

/** This ReplicaSet's part of `toAdd`, never past what is left (GetProportion). */
function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const allowed = toAdd - added;
  const share = fraction(rs, d);
  return toAdd > 0 ? Math.min(share, allowed) : Math.max(share, allowed);
}

/**
 * The sizes a scaling event gives the deployment's ReplicaSets. The first two cases list only the
 * ReplicaSets whose size changes; the proportional case lists every active one, since the real
 * controller also refreshes their replicas annotations.
 */
export function planScale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ScaleStep[] {
  const desired = deploymentReplicas(d);
  const changed = (steps: ScaleStep[]): ScaleStep[] => steps.filter((s) => s.replicas !== specReplicas(s.rs));

  const only = findActiveOrLatest(newRS, oldRSs);
  if (only) return changed([{ rs: only, replicas: desired }]);
  if (isSaturated(d, newRS)) return changed(filterActive(oldRSs).map((rs) => ({ rs, replicas: 0 })));
  if (!isRollingUpdate(d)) return [];

  const active = filterActive([...oldRSs, newRS]);
  const allowed = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(active);
  active.sort(toAdd > 0 ? bySizeNewer : bySizeOlder);

  let added = 0;
  const sizes = active.map((rs) => {
    const p = toAdd === 0 ? 0 : proportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  // Whatever rounding left over goes to the largest ReplicaSet.
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, (sizes[0] ?? 0) + toAdd - added);
  return active.map((rs, i) => ({ rs, replicas: sizes[i] ?? 0 }));
}
