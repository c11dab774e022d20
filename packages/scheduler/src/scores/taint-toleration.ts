// TaintToleration scoring: prefer nodes with fewer PreferNoSchedule taints the pod does not tolerate.
import type { NodeInfo } from '../node-info.js';
import { PREFER_NO_SCHEDULE_TAINTS } from '../node-table.js';
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
  scoreRows(pod, t, rows, count, out) {
    const flags = t.flags;
    for (let k = 0; k < count; k++) {
      const i = rows[k]!;
      out[k] = (flags[i]! & PREFER_NO_SCHEDULE_TAINTS) === 0 ? 0 : intolerablePreferNoScheduleCount(pod, t.at(i));
    }
  },
  normalize: (scores, count) => defaultNormalize(scores, count, true),
};
