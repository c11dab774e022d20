// PodTopologySpread with the system default constraint by hostname (maxSkew 3, ScheduleAnyway):
// prefer nodes running fewer pods of the same controller. kube-scheduler selects "the same
// workload" by the selectors of the Services and ReplicaSets matching the pod; we use the
// controlling owner, which is what those selectors pick out in practice.
import type { NodeInfo } from '../node-info.js';
import type { NodeTable } from '../node-table.js';
import type { PodInfo } from '../pod-info.js';
import { MAX_NODE_SCORE } from '../status.js';
import type { ScorePlugin } from './plugin.js';

const MAX_SKEW = 3;

/** Pods of the owner on the node, weighted by log(domains + 2) as the real plugin does, plus maxSkew − 1. */
export function ownerSpreadScore(pod: PodInfo, node: NodeInfo, feasibleCount: number): number {
  const count = pod.ownerUid && node.ownerCounts.size > 0 ? (node.ownerCounts.get(pod.ownerUid) ?? 0) : 0;
  if (count === 0) return MAX_SKEW - 1;
  return Math.round(count * domainWeight(feasibleCount) + (MAX_SKEW - 1));
}

// The weight is the same for every node of one decision: remember the last one.
let weightFor = -1;
let weight = 0;
function domainWeight(domains: number): number {
  if (domains !== weightFor) {
    weightFor = domains;
    weight = Math.log(domains + 2);
  }
  return weight;
}

/** ownerSpreadScore for many rows; an owner with no pod on any node (its first pod) scores the same everywhere. */
export function ownerSpreadRows(pod: PodInfo, table: NodeTable, rows: Int32Array, count: number, out: Float64Array): void {
  if (!pod.ownerUid || !table.ownerPods.has(pod.ownerUid)) {
    out.fill(MAX_SKEW - 1, 0, count);
    return;
  }
  for (let k = 0; k < count; k++) out[k] = ownerSpreadScore(pod, table.at(rows[k]!), count);
}

/** Fewer matching pods is better: score = 100 × (max + min − s) / max. */
export function normalizeSpread(scores: Float64Array, count: number): void {
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < count; i++) {
    const s = scores[i]!;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  for (let i = 0; i < count; i++) {
    scores[i] = max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
  }
}

export const ownerSpread: ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  applies: (pod) => pod.ownerUid !== undefined,
  score: ownerSpreadScore,
  scoreRows: ownerSpreadRows,
  normalize: normalizeSpread,
};
