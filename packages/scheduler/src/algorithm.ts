// One scheduling decision: walk the nodes round-robin from where the last pod stopped, keep the
// ones that pass every filter until enough are found (percentageOfNodesToScore), score those and
// pick the best, ties broken at random. Works on the cache directly: JavaScript runs this
// synchronously, so nothing changes underneath. Buffers are reused across pods, and the common
// checks read the node table's columns (plainFits, ScorePlugin.scoreRows) rather than each NodeInfo.
import type { SchedulerCache } from './cache.js';
import { runFilters } from './filters/index.js';
import { plainFits } from './filters/plain-fit.js';
import type { NodeInfo } from './node-info.js';
import type { NodeTable } from './node-table.js';
import type { PodInfo } from './pod-info.js';
import { SCORE_PLUGINS, type ScorePlugin } from './scores/index.js';
import type { Rejection } from './status.js';

const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/** How many feasible nodes are enough: all below 100 nodes, else an adaptive share (kube-scheduler's). */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES || percentageOfNodesToScore >= 100) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage <= 0) percentage = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES, Math.trunc((numAllNodes * percentage) / 100));
}

export type ScheduleResult =
  | { kind: 'fit'; node: NodeInfo; feasible: number; evaluated: number }
  | { kind: 'unschedulable'; numNodes: number; rejections: Rejection[] };

export interface AlgorithmOptions {
  /** 0 = adaptive, as kube-scheduler's default. */
  percentageOfNodesToScore?: number;
  plugins?: readonly ScorePlugin[];
  random?: () => number;
}

export class Algorithm {
  private nextStart = 0;
  /** Table rows of the feasible nodes of the current decision. */
  private feasible = new Int32Array(0);
  private totals = new Float64Array(0);
  private scratch = new Float64Array(0);
  private readonly percentage: number;
  private readonly plugins: readonly ScorePlugin[];
  private readonly random: () => number;

  constructor(opts: AlgorithmOptions = {}) {
    this.percentage = opts.percentageOfNodesToScore ?? 0;
    this.plugins = opts.plugins ?? SCORE_PLUGINS;
    this.random = opts.random ?? Math.random;
  }

  schedule(pod: PodInfo, cache: SchedulerCache): ScheduleResult {
    const table = cache.table;
    const n = table.size;
    const want = numFeasibleNodesToFind(n, this.percentage);
    if (this.feasible.length < want) this.grow(want);
    const feasible = this.feasible;
    let found = 0;
    let rejections: Rejection[] | undefined;
    let processed = 0;
    const start = n === 0 ? 0 : this.nextStart % n;
    for (; processed < n && found < want; processed++) {
      let i = start + processed;
      if (i >= n) i -= n;
      if (plainFits(pod, table, i)) {
        feasible[found++] = i;
        continue;
      }
      const status = runFilters(pod, table.at(i));
      if (status) (rejections ??= []).push(status);
      else feasible[found++] = i;
    }
    if (n > 0) this.nextStart = (start + processed) % n;
    if (found === 0) return { kind: 'unschedulable', numNodes: n, rejections: rejections ?? [] };
    const row = found === 1 ? feasible[0]! : feasible[this.pickBest(pod, table, found)]!;
    return { kind: 'fit', node: table.at(row), feasible: found, evaluated: processed };
  }

  /** The position in `feasible` of the best-scoring node. */
  private pickBest(pod: PodInfo, table: NodeTable, count: number): number {
    const { totals, scratch, feasible } = this;
    totals.fill(0, 0, count);
    for (const plugin of this.plugins) {
      if (!plugin.applies(pod)) continue;
      if (plugin.scoreRows) plugin.scoreRows(pod, table, feasible, count, scratch);
      else for (let k = 0; k < count; k++) scratch[k] = plugin.score(pod, table.at(feasible[k]!), count);
      // Equal raw scores normalize to equal scores: adding them could not change the choice.
      if (allEqual(scratch, count)) continue;
      plugin.normalize?.(scratch, count);
      for (let k = 0; k < count; k++) totals[k]! += plugin.weight * scratch[k]!;
    }
    return selectBest(totals, count, this.random);
  }

  private grow(capacity: number): void {
    this.feasible = new Int32Array(capacity);
    this.totals = new Float64Array(capacity);
    this.scratch = new Float64Array(capacity);
  }
}

function allEqual(scores: Float64Array, count: number): boolean {
  const first = scores[0];
  for (let k = 1; k < count; k++) if (scores[k] !== first) return false;
  return true;
}

/** The index of the highest total; among equal ones each is chosen with equal chance (reservoir sampling). */
export function selectBest(totals: Float64Array, count: number, random: () => number): number {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < count; i++) {
    if (totals[i]! > totals[best]!) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return best;
}
