// The filters in kube-scheduler's order; a node is rejected by the first that fails.
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import type { FilterStatus } from '../status.js';
import { nodeAffinityFilter } from './node-affinity.js';
import { nodeNameFilter } from './node-name.js';
import { nodePortsFilter } from './node-ports.js';
import { nodeResourcesFit } from './node-resources-fit.js';
import { nodeUnschedulableFilter } from './node-unschedulable.js';
import { taintTolerationFilter } from './taint-toleration.js';

export type Filter = (pod: PodInfo, node: NodeInfo) => FilterStatus;

export const FILTERS: readonly Filter[] = [
  nodeUnschedulableFilter,
  nodeNameFilter,
  taintTolerationFilter,
  nodeAffinityFilter,
  nodePortsFilter,
  nodeResourcesFit,
];

export function runFilters(pod: PodInfo, node: NodeInfo): FilterStatus {
  for (let i = 0; i < FILTERS.length; i++) {
    const status = FILTERS[i]!(pod, node);
    if (status) return status;
  }
  return null;
}

export { nodeAffinityFilter, nodeNameFilter, nodePortsFilter, nodeResourcesFit, nodeUnschedulableFilter, taintTolerationFilter };
