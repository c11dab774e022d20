// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { tolerationsTolerate } from '../taints.js';
import { unresolvable, type FilterStatus } from '../status.js';

const REJECTED = unresolvable('node(s) were unschedulable');
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export function nodeUnschedulableFilter(pod: PodInfo, node: NodeInfo): FilterStatus {
  if (!node.unschedulable || tolerationsTolerate(pod.tolerations, UNSCHEDULABLE_TAINT)) return null;
  return REJECTED;
}
