// One scheduling decision: walk the nodes round-robin from where the last pod stopped, keep the
// ones that pass every filter until enough are found (percentageOfNodesToScore), score those and
// pick the best, ties broken at random. Works on the cache directly: JavaScript runs this
// synchronously, so nothing changes underneath. Buffers are reused across pods.
import type { SchedulerCache } from './cache.js';
import { runFilters } from './filters/index.js';
import type { NodeInfo } from './node-info.js';
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
  private feasible: NodeInfo[] = [];
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
    const n = cache.nodeCount;
    const want = numFeasibleNodesToFind(n, this.percentage);
    const feasible = this.feasible;
    feasible.length = 0;
    let rejections: Rejection[] | undefined;
    let processed = 0;
    const start = n === 0 ? 0 : this.nextStart % n;
    for (; processed < n && feasible.length < want; processed++) {
      let i = start + processed;
      if (i >= n) i -= n;
      const node = cache.nodeAt(i);
      const status = runFilters(pod, node);
      if (status) (rejections ??= []).push(status);
      else feasible.push(node);
    }
    if (n > 0) this.nextStart = (start + processed) % n;
    if (feasible.length === 0) return { kind: 'unschedulable', numNodes: n, rejections: rejections ?? [] };
    const node = feasible.length === 1 ? feasible[0]! : this.pickBest(pod, feasible);
    return { kind: 'fit', node, feasible: feasible.length, evaluated: processed };
  }

  private pickBest(pod: PodInfo, nodes: NodeInfo[]): NodeInfo {
    const count = nodes.length;
    if (this.totals.length < count) {
      this.totals = new Float64Array(count * 2);
      this.scratch = new Float64Array(count * 2);
    }
    const totals = this.totals;
    const scratch = this.scratch;
    totals.fill(0, 0, count);
    for (const plugin of this.plugins) {
      if (!plugin.applies(pod)) continue;
      for (let i = 0; i < count; i++) scratch[i] = plugin.score(pod, nodes[i]!, count);
      plugin.normalize?.(scratch, count);
      for (let i = 0; i < count; i++) totals[i]! += plugin.weight * scratch[i]!;
    }
    return nodes[selectBest(totals, count, this.random)]!;
  }
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
