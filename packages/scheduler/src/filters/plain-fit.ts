// A shortcut through the filters for the common case, read from the node table's columns: a plain
// pod (see PodInfo.plain) on a node that is neither cordoned nor tainted NoSchedule/NoExecute passes
// every filter exactly when its requests fit. True only where runFilters would pass; false means
// "ask runFilters", which also words the rejection.
import { HARD_TAINTS, UNSCHEDULABLE, type NodeTable } from '../node-table.js';
import type { PodInfo } from '../pod-info.js';

export function plainFits(pod: PodInfo, t: NodeTable, i: number): boolean {
  if (!pod.plain || (t.flags[i]! & (UNSCHEDULABLE | HARD_TAINTS)) !== 0 || t.freePods[i]! < 1) return false;
  const req = pod.requests;
  return (
    (req.milliCPU <= 0 || t.allocCPU[i]! >= req.milliCPU + t.requestedCPU[i]!) &&
    (req.memory <= 0 || t.allocMemory[i]! >= req.memory + t.requestedMemory[i]!) &&
    (req.ephemeralStorage <= 0 || t.allocEphemeral[i]! >= req.ephemeralStorage + t.requestedEphemeral[i]!)
  );
}
