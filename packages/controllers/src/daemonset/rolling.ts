// One step of a DaemonSet rolling update (daemon/update.go rollingUpdate). Without surge, old
// pods are deleted while fewer than maxUnavailable pods are unavailable, and the manage loop
// recreates them; with surge, new pods are created beside old ones (at most maxSurge at a time)
// and an old pod is deleted once its replacement is available.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { isPodAvailable } from '../replicaset/pods.js';
import { isPodUpdated, rollingCounts, type DaemonSetObject } from './pods.js';
import { nodeShouldRunDaemonPod } from './predicates.js';

export interface RollingPlan<P extends Pod> {
  podsToDelete: P[];
  nodesToCreate: string[];
}

/** The one new and one old live pod of a node, or undefined when there are more (the manage loop prunes those). */
function newAndOld<P extends Pod>(pods: readonly P[], hash: string): { newPod?: P; oldPod?: P } | undefined {
  let newPod: P | undefined;
  let oldPod: P | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash)) {
      if (newPod) return undefined;
      newPod = pod;
    } else {
      if (oldPod) return undefined;
      oldPod = pod;
    }
  }
  return { newPod, oldPod };
}

export function planRollingUpdate<P extends Pod>(ds: DaemonSetObject, nodes: readonly Node[], byNode: ReadonlyMap<string, P[]>, hash: string, now: number): RollingPlan<P> {
  // Every node that should run a pod takes part, even one without pods yet (updatedDesiredNodeCounts).
  const nodesByName = new Map(nodes.map((n) => [n.metadata?.name ?? '', n]));
  const participating = new Map(byNode);
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!participating.has(node.metadata?.name ?? '')) participating.set(node.metadata?.name ?? '', []);
  }
  let { maxSurge, maxUnavailable } = rollingCounts(ds, desired);
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const available = (pod: Pod) => isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, now);
  const ctx = { ds, nodesByName, participating, hash, available, desired };
  return maxSurge === 0 ? withoutSurge(ctx, maxUnavailable) : withSurge(ctx, maxSurge);
}

interface RollingContext<P extends Pod> {
  ds: DaemonSetObject;
  nodesByName: Map<string, Node>;
  participating: Map<string, P[]>;
  hash: string;
  available: (pod: Pod) => boolean;
  desired: number;
}

function withoutSurge<P extends Pod>({ participating, hash, available }: RollingContext<P>, maxUnavailable: number): RollingPlan<P> {
  let unavailable = 0;
  const replacements: P[] = [];
  const candidates: P[] = [];
  for (const pods of participating.values()) {
    const found = newAndOld(pods, hash);
    if (!found || (!found.newPod && !found.oldPod) || (found.newPod && found.oldPod)) {
      unavailable++; // the manage loop creates or prunes here: count it as unavailable
    } else if (found.newPod) {
      if (!available(found.newPod)) unavailable++;
    } else if (!available(found.oldPod!)) {
      replacements.push(found.oldPod!); // an unavailable old pod is replaced at once
      unavailable++;
    } else if (unavailable < maxUnavailable) {
      candidates.push(found.oldPod!);
    }
  }
  const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
  return { podsToDelete: [...replacements, ...candidates.slice(0, room)], nodesToCreate: [] };
}

function withSurge<P extends Pod>({ ds, nodesByName, participating, hash, available, desired }: RollingContext<P>, maxSurge: number): RollingPlan<P> {
  const podsToDelete: P[] = [];
  const shouldNotRun: P[] = [];
  const allowedNodes: string[] = [];
  const candidateNodes: string[] = [];
  let surging = 0;
  let numAvailable = 0;
  const shouldRun = (name: string) => {
    const node = nodesByName.get(name);
    return node !== undefined && nodeShouldRunDaemonPod(node, ds).shouldRun;
  };
  for (const [nodeName, pods] of participating) {
    const found = newAndOld(pods, hash);
    if (!found) {
      surging++;
      continue;
    }
    const { newPod, oldPod } = found;
    const counted = oldPod ?? newPod;
    if (counted && available(counted)) numAvailable++;
    if (!oldPod) continue; // nothing to replace: the manage loop handles this node
    if (newPod) {
      if (!available(newPod)) surging++;
      else podsToDelete.push(oldPod);
    } else if (!available(oldPod)) {
      if (shouldRun(nodeName)) allowedNodes.push(nodeName);
      else podsToDelete.push(oldPod);
    } else if (!shouldRun(nodeName)) {
      shouldNotRun.push(oldPod);
    } else if (surging < maxSurge) {
      candidateNodes.push(nodeName);
    }
  }
  // Pods on nodes the DaemonSet is leaving go only as pods elsewhere become available.
  const deletable = Math.min(Math.max(0, numAvailable - desired), shouldNotRun.length);
  podsToDelete.push(...shouldNotRun.slice(0, deletable));
  const room = Math.min(Math.max(0, maxSurge - surging), candidateNodes.length);
  return { podsToDelete, nodesToCreate: [...allowedNodes, ...candidateNodes.slice(0, room)] };
}
