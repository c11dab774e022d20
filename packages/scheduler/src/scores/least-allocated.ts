// NodeResourcesFit scoring, LeastAllocated strategy: prefer nodes with the most free cpu and
// memory after placing the pod (non-zero requests, cpu and memory weighted equally).
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { MAX_NODE_SCORE } from '../status.js';
import type { ScorePlugin } from './plugin.js';

function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  const alloc = node.allocatable;
  let total = 0;
  let weights = 0;
  if (alloc.milliCPU > 0) {
    total += leastRequested(node.nonZeroRequested.milliCPU + pod.nonZeroRequests.milliCPU, alloc.milliCPU);
    weights++;
  }
  if (alloc.memory > 0) {
    total += leastRequested(node.nonZeroRequested.memory + pod.nonZeroRequests.memory, alloc.memory);
    weights++;
  }
  return weights === 0 ? 0 : Math.trunc(total / weights);
}

export const leastAllocated: ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  applies: () => true,
  score: leastAllocatedScore,
};
