// NodePorts: a host port (protocol, port) is free on a node unless a pod there uses it on the
// same IP or on 0.0.0.0 (every IP); wanting 0.0.0.0 conflicts with any use of the port.
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { unschedulable, type FilterStatus } from '../status.js';

const REJECTED = unschedulable("node(s) didn't have free ports for the requested pod ports");

export function nodePortsFilter(pod: PodInfo, node: NodeInfo): FilterStatus {
  if (pod.hostPorts.length === 0 || node.usedPorts.size === 0) return null;
  for (const hp of pod.hostPorts) {
    const port = `${hp.protocol}/${hp.port}`;
    const conflict = hp.ip === '0.0.0.0' ? node.usedPorts.has(port) : node.usedPorts.has(`${port}/0.0.0.0`) || node.usedPorts.has(`${port}/${hp.ip}`);
    if (conflict) return REJECTED;
  }
  return null;
}
