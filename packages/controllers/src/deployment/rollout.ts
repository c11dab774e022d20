// The strategies of one Deployment sync (rolling.go, recreate.go, sync.go): each step scales at
// most one "layer" (the new ReplicaSet up, or old ones down), writes status and returns; the
// ReplicaSet and pod events that follow bring the next step.
import type { Pod } from 'kubernetes-types/core/v1';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { compactStatus } from '../replicaset/status-writer.js';
import type { ReplicaSetObject } from '../replicaset/types.js';
import { planScale } from './proportional.js';
import { actualReplicaCount, deploymentReplicas, filterActive, specReplicas } from './replicasets.js';
import { newRSNewReplicas, planOldScaleDown } from './rolling.js';
import { calculateStatus, deploymentComplete, rolloutStatus, stuckRequeueAfter } from './status.js';
import type { DeploymentSync } from './sync.js';
import { jsonEqual } from '@mini-kube/machinery';

/** Replaces `old` by `updated` in a list of ReplicaSets (by uid). */
function replaced<T extends ReplicaSetObject | undefined>(list: T[], updated: ReplicaSetObject): T[] {
  return list.map((rs) => (rs?.metadata.uid === updated.metadata.uid ? (updated as T) : rs));
}

const present = (rss: (ReplicaSetObject | undefined)[]): ReplicaSetObject[] => rss.filter((rs): rs is ReplicaSetObject => rs !== undefined);

export async function rolloutRolling(s: DeploymentSync, rsList: ReplicaSetObject[]): Promise<void> {
  const d = s.d;
  let { newRS, oldRSs } = await s.replicaSets(rsList, true);
  const desired = deploymentReplicas(d);

  if (newRS && specReplicas(newRS) !== desired) {
    const target = specReplicas(newRS) > desired ? desired : newRSNewReplicas(d, present([...oldRSs, newRS]), newRS);
    if (target !== specReplicas(newRS)) {
      newRS = await s.scale(newRS, target);
      return syncRolloutStatus(s, present([...oldRSs, newRS]), newRS);
    }
  }

  const steps = planOldScaleDown(d, present([...oldRSs, newRS]), filterActive(oldRSs), newRS);
  for (const step of steps) oldRSs = replaced(oldRSs, await s.scale(step.rs as ReplicaSetObject, step.replicas));
  if (steps.length > 0) return syncRolloutStatus(s, present([...oldRSs, newRS]), newRS);

  if (d.status && deploymentComplete(d, d.status)) await s.cleanup(oldRSs);
  return syncRolloutStatus(s, present([...oldRSs, newRS]), newRS);
}

/**
 * Pods of the old ReplicaSets still exist and are not finished (oldPodsRunning): Recreate waits
 * for them to be gone before starting the new ones. `podsByRS` maps ReplicaSet uid → its pods.
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podsByRS: ReadonlyMap<string, readonly Pod[]>): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podsByRS) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}

export async function rolloutRecreate(s: DeploymentSync, rsList: ReplicaSetObject[], podsByRS: ReadonlyMap<string, readonly Pod[]>): Promise<void> {
  let { newRS, oldRSs } = await s.replicaSets(rsList, false);
  const active = filterActive(oldRSs) as ReplicaSetObject[];
  for (const rs of active) oldRSs = replaced(oldRSs, await s.scale(rs, 0));
  if (active.length > 0 || oldPodsRunning(newRS, oldRSs, podsByRS)) return syncRolloutStatus(s, present([...oldRSs, newRS]), newRS);

  if (!newRS) ({ newRS, oldRSs } = await s.replicaSets(rsList, true));
  if (newRS) newRS = await s.scaleIfNeeded(newRS, deploymentReplicas(s.d));
  if (s.d.status && deploymentComplete(s.d, s.d.status)) await s.cleanup(oldRSs);
  return syncRolloutStatus(s, present([...oldRSs, newRS]), newRS);
}

/** A scaling event or a paused deployment: resize without rolling (sync). */
export async function syncScale(s: DeploymentSync, rsList: ReplicaSetObject[]): Promise<void> {
  let { newRS, oldRSs } = await s.replicaSets(rsList, false);
  for (const step of planScale(s.d, newRS, oldRSs)) {
    const updated = await s.scale(step.rs as ReplicaSetObject, step.replicas);
    if (newRS?.metadata.uid === updated.metadata.uid) newRS = updated;
    else oldRSs = replaced(oldRSs, updated);
  }
  if (s.d.spec?.paused) await s.cleanup(oldRSs);
  return syncStatus(s, present([...oldRSs, newRS]), newRS);
}

/** Only recompute status, e.g. for a deployment being deleted (syncStatusOnly). */
export async function syncStatusOnly(s: DeploymentSync, rsList: ReplicaSetObject[]): Promise<void> {
  const { newRS, oldRSs } = await s.replicaSets(rsList, false);
  return syncStatus(s, present([...oldRSs, newRS]), newRS);
}

async function syncStatus(s: DeploymentSync, allRSs: ReplicaSetObject[], newRS: ReplicaSetObject | undefined): Promise<void> {
  const status = calculateStatus(s.d, allRSs, newRS, s.now());
  if (s.mustPersist || !jsonEqual(s.d.status ?? {}, compactStatus(status, false))) {
    s.d.status = status;
    await s.persist();
  }
}

/** Status with the Progressing condition (syncRolloutStatus); an unchanged one arms the deadline check. */
async function syncRolloutStatus(s: DeploymentSync, allRSs: ReplicaSetObject[], newRS: ReplicaSetObject | undefined): Promise<void> {
  const status = rolloutStatus(s.d, allRSs, newRS, s.now());
  if (!s.mustPersist && jsonEqual(s.d.status ?? {}, compactStatus(status, false))) {
    s.requeueAfterMs = stuckRequeueAfter(s.d, status, s.now());
    return;
  }
  s.d.status = status;
  await s.persist();
}
