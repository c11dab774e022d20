// NodeAffinity: spec.nodeSelector and the required node affinity (In, NotIn, Exists,
// DoesNotExist, Gt, Lt on labels; matchFields on metadata.name) must match the node.
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { unresolvable, type FilterStatus } from '../status.js';

const REJECTED = unresolvable("node(s) didn't match Pod's node affinity/selector");

export function nodeAffinityFilter(pod: PodInfo, node: NodeInfo): FilterStatus {
  return !pod.requiredAffinity || pod.requiredAffinity(node.name, node.labels) ? null : REJECTED;
}
