// A score plugin: a raw score per feasible node, then an optional normalization over all of them
// to 0..MAX_NODE_SCORE; the scheduler sums weight × score. `applies` false means every node would
// score the same for this pod, so the plugin is skipped (it could not change the choice).
import type { NodeInfo } from '../node-info.js';
import type { NodeTable } from '../node-table.js';
import type { PodInfo } from '../pod-info.js';
import { MAX_NODE_SCORE } from '../status.js';

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  applies(pod: PodInfo): boolean;
  score(pod: PodInfo, node: NodeInfo, feasibleCount: number): number;
  /**
   * The same scores for many nodes at once, read from the node table's columns: `out[k]` for row
   * `rows[k]`. One call per plugin keeps the loop monomorphic, so the score function is inlined.
   */
  scoreRows?(pod: PodInfo, table: NodeTable, rows: Int32Array, count: number, out: Float64Array): void;
  normalize?(scores: Float64Array, count: number): void;
}

/** framework.DefaultNormalizeScore: scale to the highest score; `reverse` makes low raw scores win. */
export function defaultNormalize(scores: Float64Array, count: number, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < count; i++) if (scores[i]! > max) max = scores[i]!;
  for (let i = 0; i < count; i++) {
    if (max === 0) {
      if (reverse) scores[i] = MAX_NODE_SCORE;
      continue;
    }
    const s = Math.trunc((MAX_NODE_SCORE * scores[i]!) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
