// NodeAffinity scoring: the sum of the weights of the preferred terms a node matches, scaled so
// the best node gets 100.
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { defaultNormalize, type ScorePlugin } from './plugin.js';

export function preferredAffinityScore(pod: PodInfo, node: NodeInfo): number {
  let sum = 0;
  for (const term of pod.preferredAffinity) if (term.matches(node.name, node.labels)) sum += term.weight;
  return sum;
}

export const preferredNodeAffinity: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  applies: (pod) => pod.preferredAffinity.length > 0,
  score: preferredAffinityScore,
  normalize: (scores, count) => defaultNormalize(scores, count, false),
};
