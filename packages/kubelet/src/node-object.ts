// The Node and Lease objects a kubelet writes, as pure functions of its configuration and the time,
// shaped like those of a real kubelet (kubelet_node_status.go, nodelease).
import type { KObject } from '@mini-kube/api';
import type { Node, NodeCondition, NodeStatus, NodeSystemInfo } from 'kubernetes-types/core/v1';
import { microTime } from './time.js';
import { formatTime } from '@mini-kube/machinery';

export const KUBELET_VERSION = 'v1.32.4';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeConfig {
  name: string;
  address: string;
  podCIDR: string;
  capacity: Record<string, string>;
  nodeInfo: NodeSystemInfo;
  /** Where the kubelet's HTTP server (logs) listens on `address`. */
  kubeletPort?: number;
  /**
   * Appended to the Ready condition's message, as a real kubelet appends "AppArmor enabled": what
   * a user of the node should know (here, that resource limits are not enforced).
   */
  readyNote?: string;
}


export function nodeLabels(name: string, arch: string): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
  };
}

/** The Node a kubelet creates: metadata and spec (status is written through /status). */
export function newNode(cfg: NodeConfig): Node & KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: cfg.name,
      labels: nodeLabels(cfg.name, cfg.nodeInfo.architecture),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: cfg.podCIDR, podCIDRs: [cfg.podCIDR] },
  };
}

/**
 * An existing Node brought in line on a kubelet restart: our labels set, the pod CIDR set if it has
 * none (it is immutable once set). Returns undefined when nothing needs to change.
 */
export function reconcileExistingNode(existing: Node & KObject, cfg: NodeConfig): (Node & KObject) | undefined {
  const wanted = newNode(cfg);
  const labels = { ...existing.metadata.labels, ...wanted.metadata.labels };
  const labelsChanged = Object.entries(wanted.metadata.labels ?? {}).some(([k, v]) => existing.metadata.labels?.[k] !== v);
  const needsCIDR = !existing.spec?.podCIDR;
  if (!labelsChanged && !needsCIDR) return undefined;
  return {
    ...existing,
    metadata: { ...existing.metadata, labels },
    spec: needsCIDR ? { ...existing.spec, podCIDR: cfg.podCIDR, podCIDRs: [cfg.podCIDR] } : existing.spec,
  };
}

const CONDITIONS: [type: string, status: string, reason: string, message: string][] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/**
 * The status a healthy kubelet posts at `now`. Conditions keep their lastTransitionTime from
 * `previous` while their status is unchanged (the node lifecycle controller may have set Unknown).
 */
export function nodeStatus(cfg: NodeConfig, now: number, previous?: NodeStatus): NodeStatus {
  const stamp = formatTime(now);
  const conditions: NodeCondition[] = CONDITIONS.map(([type, status, reason, base]) => {
    const message = type === 'Ready' && cfg.readyNote ? `${base}. ${cfg.readyNote}` : base;
    const old = previous?.conditions?.find((c) => c.type === type);
    const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : stamp;
    return { type, status, reason, message, lastHeartbeatTime: stamp, lastTransitionTime };
  });
  return {
    capacity: { ...cfg.capacity },
    allocatable: { ...cfg.capacity },
    conditions,
    addresses: [
      { type: 'InternalIP', address: cfg.address },
      { type: 'Hostname', address: cfg.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: cfg.kubeletPort ?? 10250 } },
    nodeInfo: cfg.nodeInfo,
  };
}

/** Whether `status` differs from `previous` in anything but heartbeat times: worth posting at once. */
export function nodeStatusChanged(status: NodeStatus, previous: NodeStatus | undefined): boolean {
  const strip = (s: NodeStatus | undefined): unknown =>
    s && { ...s, conditions: s.conditions?.map(({ lastHeartbeatTime: _h, lastTransitionTime: _t, ...c }) => c) };
  return JSON.stringify(strip(status)) !== JSON.stringify(strip(previous));
}

export function nodeLease(name: string, nodeUid: string | undefined, durationSeconds: number, now: number): KObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: NODE_LEASE_NAMESPACE,
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: name, leaseDurationSeconds: durationSeconds, renewTime: microTime(now) },
  };
}

/** Capacity with the kubelet's defaults for what the caller leaves out. */
export function nodeCapacity(given: { cpu?: string; memory?: string; pods?: number } = {}): Record<string, string> {
  return {
    cpu: given.cpu ?? '4',
    'ephemeral-storage': '100Gi',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: given.memory ?? '16Gi',
    pods: String(given.pods ?? 110),
  };
}
