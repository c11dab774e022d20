// NodeName: a pod that names its node (spec.nodeName) fits only there. Such pods are normally
// bound already; this matters for pods the scheduler is asked to place with a preset name.
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { unresolvable, type FilterStatus } from '../status.js';

const REJECTED = unresolvable("node(s) didn't match the requested node name");

export function nodeNameFilter(pod: PodInfo, node: NodeInfo): FilterStatus {
  const wanted = pod.pod.spec?.nodeName;
  return !wanted || wanted === node.name ? null : REJECTED;
}
