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

/** The score from the cpu and memory requested with the pod (non-zero) and the node's allocatable. */
function leastAllocatedOf(cpu: number, memory: number, allocCPU: number, allocMemory: number): number {
  let total = 0;
  let weights = 0;
  if (allocCPU > 0) {
    total += leastRequested(cpu, allocCPU);
    weights++;
  }
  if (allocMemory > 0) {
    total += leastRequested(memory, allocMemory);
    weights++;
  }
  return weights === 0 ? 0 : Math.trunc(total / weights);
}

export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  const { milliCPU, memory } = node.nonZeroRequested;
  return leastAllocatedOf(milliCPU + pod.nonZeroRequests.milliCPU, memory + pod.nonZeroRequests.memory, node.allocatable.milliCPU, node.allocatable.memory);
}

export const leastAllocated: ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  applies: () => true,
  score: leastAllocatedScore,
  scoreRows(pod, t, rows, count, out) {
    const { milliCPU, memory } = pod.nonZeroRequests;
    const { nonZeroCPU, nonZeroMemory, allocCPU, allocMemory } = t;
    for (let k = 0; k < count; k++) {
      const i = rows[k]!;
      out[k] = leastAllocatedOf(nonZeroCPU[i]! + milliCPU, nonZeroMemory[i]! + memory, allocCPU[i]!, allocMemory[i]!);
    }
  },
};
