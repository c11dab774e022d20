// NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in equal
// fractions after placing the pod (1 − the standard deviation of the fractions; requests as set).
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { MAX_NODE_SCORE } from '../status.js';
import type { ScorePlugin } from './plugin.js';

/** The score from the cpu and memory requested with the pod and the node's allocatable. */
function balancedOf(cpuRequested: number, memoryRequested: number, allocCPU: number, allocMemory: number): number {
  if (allocCPU === 0 || allocMemory === 0) return MAX_NODE_SCORE;
  const cpu = Math.min(1, cpuRequested / allocCPU);
  const memory = Math.min(1, memoryRequested / allocMemory);
  const std = Math.abs(cpu - memory) / 2;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export function balancedAllocationScore(pod: PodInfo, node: NodeInfo): number {
  const { milliCPU, memory } = node.requested;
  return balancedOf(milliCPU + pod.requests.milliCPU, memory + pod.requests.memory, node.allocatable.milliCPU, node.allocatable.memory);
}

export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  // A pod requesting neither resource is skipped, as kube-scheduler does for best-effort pods.
  applies: (pod) => pod.requests.milliCPU > 0 || pod.requests.memory > 0,
  score: balancedAllocationScore,
  scoreRows(pod, t, rows, count, out) {
    const { milliCPU, memory } = pod.requests;
    const { requestedCPU, requestedMemory, allocCPU, allocMemory } = t;
    for (let k = 0; k < count; k++) {
      const i = rows[k]!;
      out[k] = balancedOf(requestedCPU[i]! + milliCPU, requestedMemory[i]! + memory, allocCPU[i]!, allocMemory[i]!);
    }
  },
};
