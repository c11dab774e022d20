// NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in equal
// fractions after placing the pod (1 − the standard deviation of the fractions; requests as set).
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { MAX_NODE_SCORE } from '../status.js';
import type { ScorePlugin } from './plugin.js';

export function balancedAllocationScore(pod: PodInfo, node: NodeInfo): number {
  const alloc = node.allocatable;
  if (alloc.milliCPU === 0 || alloc.memory === 0) return MAX_NODE_SCORE;
  const cpu = Math.min(1, (node.requested.milliCPU + pod.requests.milliCPU) / alloc.milliCPU);
  const memory = Math.min(1, (node.requested.memory + pod.requests.memory) / alloc.memory);
  const std = Math.abs(cpu - memory) / 2;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  // A pod requesting neither resource is skipped, as kube-scheduler does for best-effort pods.
  applies: (pod) => pod.requests.milliCPU > 0 || pod.requests.memory > 0,
  score: balancedAllocationScore,
};
