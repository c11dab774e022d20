// The message of a pod that fits no node, worded as kube-scheduler's FitError and the default
// preemption plugin's PostFilter word it:
//   0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3
//   nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.
// Reasons are counted over nodes and sorted as strings (Go's sort.Strings: "10 x" before "2 y").
import type { Rejection } from './status.js';

const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
// This scheduler does not preempt; a node where preemption might help is reported as having no victims.
const NO_VICTIMS = 'No preemption victims found for incoming pod';

function histogram(counts: Map<string, number>): string {
  return [...counts]
    .map(([reason, n]) => `${n} ${reason}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .join(', ');
}

function nodesAvailable(numNodes: number, counts: Map<string, number>): string {
  const reasons = histogram(counts);
  return `0/${numNodes} nodes are available${reasons ? `: ${reasons}.` : ':'}`;
}

/** `rejections` holds one entry per node that failed the filters. */
export function fitErrorMessage(numNodes: number, rejections: Iterable<Rejection>, preemptionPolicy?: string): string {
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const r of rejections) {
    for (const reason of r.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    const p = r.code === 'Unschedulable' ? NO_VICTIMS : PREEMPTION_NOT_HELPFUL;
    preemption.set(p, (preemption.get(p) ?? 0) + 1);
  }
  const postFilter = preemptionPolicy === 'Never' ? 'not eligible due to preemptionPolicy=Never.' : nodesAvailable(numNodes, preemption);
  return `${nodesAvailable(numNodes, reasons)} preemption: ${postFilter}`;
}

/** What kube-scheduler reports when the cluster has no nodes at all. */
export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';
