// TaintToleration scoring: prefer nodes with fewer PreferNoSchedule taints the pod does not tolerate.
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { toleratesTaint } from '../taints.js';
import { defaultNormalize, type ScorePlugin } from './plugin.js';

export function intolerablePreferNoScheduleCount(pod: PodInfo, node: NodeInfo): number {
  let count = 0;
  for (const taint of node.taints) {
    if (taint.effect !== 'PreferNoSchedule') continue;
    // Only tolerations with effect PreferNoSchedule or no effect count here.
    const tolerated = pod.tolerations.some((t) => (!t.effect || t.effect === 'PreferNoSchedule') && toleratesTaint(t, taint));
    if (!tolerated) count++;
  }
  return count;
}

export const taintToleration: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  applies: () => true,
  score: intolerablePreferNoScheduleCount,
  normalize: (scores, count) => defaultNormalize(scores, count, true),
};
