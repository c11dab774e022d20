// TaintToleration: every NoSchedule and NoExecute taint of the node must be tolerated. This is
// also how NotReady and unreachable nodes are avoided: the node lifecycle controller taints them.
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { tolerationsTolerate } from '../taints.js';
import { unresolvable, type FilterStatus, type Rejection } from '../status.js';

/** Rejections by message, so a node tainted like many others does not allocate a new one. */
const rejections = new Map<string, Rejection>();

export function taintTolerationFilter(pod: PodInfo, node: NodeInfo): FilterStatus {
  for (const taint of node.taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (tolerationsTolerate(pod.tolerations, taint)) continue;
    const reason = `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
    let r = rejections.get(reason);
    if (!r) {
      if (rejections.size > 1000) rejections.clear();
      rejections.set(reason, (r = unresolvable(reason)));
    }
    return r;
  }
  return null;
}
