// What the DaemonSet's manage loop does (daemon_controller.go manage / podsShouldBeOnNode): create
// a pod on each eligible node that has none, delete pods on nodes that may no longer keep them,
// finished pods, and extra pods (with surge, an old pod stays beside a new one until it is
// available). Failed pods are reported apart: the controller deletes them under a backoff.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { isPodAvailable, isPodReady } from '../replicaset/pods.js';
import { allowsSurge, compareByAge, isPodUpdated, type DaemonSetObject } from './pods.js';
import { nodeShouldRunDaemonPod } from './predicates.js';

export interface ManagePlan<P extends Pod> {
  nodesNeedingPods: string[];
  podsToDelete: P[];
  /** Failed daemon pods to delete, by node, unless that node is in backoff. */
  failedPods: { node: string; pod: P }[];
}

export function planManage<P extends Pod>(ds: DaemonSetObject, nodes: readonly Node[], byNode: ReadonlyMap<string, P[]>, hash: string, now: number): ManagePlan<P> {
  const plan: ManagePlan<P> = { nodesNeedingPods: [], podsToDelete: [], failedPods: [] };
  for (const node of nodes) planNode(plan, ds, node, byNode.get(node.metadata?.name ?? '') ?? [], hash, now);
  // Unscheduled pods for nodes that are gone would wait forever; pods bound to them are PodGC's.
  const names = new Set(nodes.map((n) => n.metadata?.name));
  for (const [node, pods] of byNode) {
    if (!names.has(node)) plan.podsToDelete.push(...pods.filter((p) => !p.spec?.nodeName));
  }
  return plan;
}

function planNode<P extends Pod>(plan: ManagePlan<P>, ds: DaemonSetObject, node: Node, pods: P[], hash: string, now: number): void {
  const nodeName = node.metadata?.name ?? '';
  const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
  if (shouldRun && pods.length === 0) {
    plan.nodesNeedingPods.push(nodeName);
    return;
  }
  if (!shouldContinueRunning) {
    plan.podsToDelete.push(...pods.filter((p) => !p.metadata?.deletionTimestamp));
    return;
  }
  const running: P[] = [];
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (pod.status?.phase === 'Failed') plan.failedPods.push({ node: nodeName, pod });
    else if (pod.status?.phase === 'Succeeded') plan.podsToDelete.push(pod);
    else running.push(pod);
  }
  running.sort(compareByAge);
  if (!allowsSurge(ds)) {
    plan.podsToDelete.push(...running.slice(1)); // keep the oldest
    return;
  }
  if (running.length === 0) {
    if (shouldRun) plan.nodesNeedingPods.push(nodeName); // surging needs one live pod per node
    return;
  }
  // Keep at most the oldest new and the oldest old pod; the old one goes once it is not ready or
  // the new one is available.
  let oldestNew: P | undefined;
  let oldestOld: P | undefined;
  for (const pod of running) {
    if (isPodUpdated(pod, hash) && !oldestNew) oldestNew = pod;
    else if (!isPodUpdated(pod, hash) && !oldestOld) oldestOld = pod;
    else plan.podsToDelete.push(pod);
  }
  if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, now))) {
    plan.podsToDelete.push(oldestOld);
  }
}
