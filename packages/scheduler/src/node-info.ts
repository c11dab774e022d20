// One node as the scheduler sees it: the Node's scheduling-relevant fields parsed once, plus
// running totals of the pods bound (or assumed bound) to it, kept incrementally.
import type { Node } from '@mini-kube/api';
import type { Taint } from 'kubernetes-types/core/v1';
import type { PodInfo } from './pod-info.js';
import { addResources, emptyResources, nodeAllocatable, type Resources } from './resources.js';

export class NodeInfo {
  readonly name: string;
  node!: Node;
  labels: Readonly<Record<string, string>> = {};
  taints: readonly Taint[] = [];
  unschedulable = false;
  allocatable: Resources = emptyResources();
  allowedPodNumber = 0;

  readonly pods = new Map<string, PodInfo>();
  readonly requested: Resources = emptyResources();
  readonly nonZeroRequested: Resources = emptyResources();
  /** Host ports in use: "protocol/port" and "protocol/port/ip" → number of pods ("0.0.0.0" is every IP). */
  readonly usedPorts = new Map<string, number>();
  /** Pods per controlling owner uid (terminating pods excluded): the input of spreading. */
  readonly ownerCounts = new Map<string, number>();

  /** `ownerTotals`, when given, gets the same owner counts bumped, summed with other NodeInfos'. */
  constructor(
    node: Node,
    private readonly ownerTotals?: Map<string, number>,
  ) {
    this.name = node.metadata?.name ?? '';
    this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    this.labels = (node.metadata?.labels ?? {}) as Record<string, string>;
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = node.spec?.unschedulable === true;
    const { resources, pods } = nodeAllocatable(node.status?.allocatable as Record<string, string> | undefined);
    this.allocatable = resources;
    this.allowedPodNumber = pods;
  }

  addPod(p: PodInfo): void {
    const old = this.pods.get(p.key);
    // A new version of a pod counted here (the binding confirmed, a status update): the totals
    // stay unless what they count changed.
    if (old && sameFootprint(old, p)) {
      this.pods.set(p.key, p);
      return;
    }
    this.removePod(p.key);
    this.pods.set(p.key, p);
    this.account(p, 1);
  }

  removePod(key: string): boolean {
    const p = this.pods.get(key);
    if (!p) return false;
    this.pods.delete(key);
    this.account(p, -1);
    return true;
  }

  private account(p: PodInfo, sign: 1 | -1): void {
    addResources(this.requested, p.requests, sign);
    addResources(this.nonZeroRequested, p.nonZeroRequests, sign);
    for (const hp of p.hostPorts) {
      const port = `${hp.protocol}/${hp.port}`;
      bump(this.usedPorts, port, sign);
      bump(this.usedPorts, `${port}/${hp.ip}`, sign);
    }
    const owner = spreadOwner(p);
    if (owner) {
      bump(this.ownerCounts, owner, sign);
      if (this.ownerTotals) bump(this.ownerTotals, owner, sign);
    }
  }
}

/** The owner a pod counts for in spreading: none once it is terminating. */
const spreadOwner = (p: PodInfo): string | undefined => (p.pod.metadata?.deletionTimestamp ? undefined : p.ownerUid);

/** Whether two versions of a pod add the same to a node's totals (newPodInfo shares what did not change). */
const sameFootprint = (a: PodInfo, b: PodInfo): boolean =>
  a.requests === b.requests && a.nonZeroRequests === b.nonZeroRequests && a.hostPorts === b.hostPorts && spreadOwner(a) === spreadOwner(b);

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n === 0) counts.delete(key);
  else counts.set(key, n);
}
