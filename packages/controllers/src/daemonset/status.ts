// The status a DaemonSet's pods add up to (updateDaemonSetStatus), counting the oldest pod of each
// node: the fields `kubectl get ds` and `kubectl rollout status ds/x` read.
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { isPodAvailable, isPodReady } from '../replicaset/pods.js';
import { compareByAge, isPodUpdated, type DaemonSetObject } from './pods.js';
import { nodeShouldRunDaemonPod } from './predicates.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `observe` raises observedGeneration: only a sync that acted on this generation may say so.
 * Omitempty fields that are 0 are left out, as the real controller's writes serialise them.
 */
export function daemonSetStatus(ds: DaemonSetObject, nodes: readonly Node[], byNode: ReadonlyMap<string, Pod[]>, hash: string, now: number, observe: boolean, collisionCount: number): DaemonSetStatus {
  let desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
  for (const node of nodes) {
    const pods = byNode.get(node.metadata?.name ?? '') ?? [];
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (pods.length > 0) misscheduled++;
      continue;
    }
    desired++;
    if (pods.length === 0) continue;
    current++;
    const pod = [...pods].sort(compareByAge)[0]!;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, now)) available++;
    }
    if (isPodUpdated(pod, hash)) updated++;
  }
  const observedGeneration = observe ? ds.metadata.generation : ds.status?.observedGeneration;
  const status: Mutable<DaemonSetStatus> = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
  };
  if (observedGeneration) status.observedGeneration = observedGeneration;
  if (updated) status.updatedNumberScheduled = updated;
  if (available) status.numberAvailable = available;
  if (desired - available) status.numberUnavailable = desired - available;
  if (collisionCount) status.collisionCount = collisionCount;
  if (ds.status?.conditions?.length) status.conditions = ds.status.conditions;
  return status;
}
