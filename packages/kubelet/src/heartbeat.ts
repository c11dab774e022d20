// Node registration and the two heartbeats of a real kubelet: the Lease renewed often (cheap, what
// the node lifecycle controller watches) and the node status posted rarely, or at once on change.
import { findResource, type KObject } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import type { Clock } from '@mini-kube/runtime';
import type { Node, NodeStatus } from 'kubernetes-types/core/v1';
import { NODE_LEASE_NAMESPACE, newNode, nodeLease, nodeStatus, nodeStatusChanged, reconcileExistingNode, type NodeConfig } from './node-object.js';
import { microTime } from './time.js';

const NODES = findResource('', 'v1', 'nodes')!;
const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;

export interface HeartbeatOptions {
  client: ApiClient;
  clock: Clock;
  node: NodeConfig;
  leaseRenewMs: number;
  leaseDurationSeconds: number;
  nodeStatusReportMs: number;
  /** Where failures of a beat go; the next beat retries. */
  onError(err: unknown): void;
}

const statusOf = (err: unknown): number | undefined => (err instanceof StatusError ? err.code : undefined);

export class NodeHeartbeat {
  private enabled = true;
  private stopped = false;
  private timer: { cancel(): void } | undefined;
  private beating: Promise<void> | undefined;
  private nodeUid: string | undefined;
  private lease: KObject | undefined;
  private lastStatus: NodeStatus | undefined;
  private lastStatusAt = -Infinity;

  constructor(private readonly opts: HeartbeatOptions) {}

  /** Creates the Node (or brings an existing one in line), posts its status and renews its Lease. */
  async register(): Promise<void> {
    const { client, node } = this.opts;
    let current: Node & KObject;
    try {
      current = await client.create<Node & KObject>(NODES, newNode(node));
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
      const existing = await client.get<Node & KObject>(NODES, node.name);
      const updated = reconcileExistingNode(existing, node);
      current = updated ? await client.update<Node & KObject>(NODES, updated) : existing;
    }
    this.nodeUid = current.metadata.uid;
    this.lastStatus = current.status;
    await this.postStatus(true);
    await this.renewLease();
  }

  /** Starts the beats; the first comes after a random part of the interval, to spread many nodes out. */
  start(): void {
    this.schedule(Math.random() * this.opts.leaseRenewMs);
  }

  setEnabled(enabled: boolean): void {
    if (this.enabled === enabled) return;
    this.enabled = enabled;
    if (enabled && !this.stopped) {
      // A node coming back posts at once, as a restarted kubelet would.
      this.timer?.cancel();
      this.lastStatusAt = -Infinity;
      this.schedule(0);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.beating;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.opts.clock.setTimeout(() => {
      this.beating = this.beat().finally(() => {
        this.beating = undefined;
        this.schedule(this.opts.leaseRenewMs);
      });
    }, ms);
  }

  private async beat(): Promise<void> {
    if (!this.enabled || this.stopped) return;
    try {
      await this.renewLease();
      await this.postStatus(false);
    } catch (err) {
      this.opts.onError(err);
    }
  }

  private async postStatus(force: boolean): Promise<void> {
    const { client, clock, node } = this.opts;
    const now = clock.now();
    const status = nodeStatus(node, now, this.lastStatus);
    if (!force && now - this.lastStatusAt < this.opts.nodeStatusReportMs && !nodeStatusChanged(status, this.lastStatus)) return;
    try {
      // A merge patch of the whole status: no conflict with a concurrent cordon or label change.
      const written = await client.patch<Node & KObject>(NODES, node.name, { status }, { subresource: 'status' });
      this.lastStatus = written.status;
      this.lastStatusAt = now;
    } catch (err) {
      // The Node was deleted under us: register again, as a restarted kubelet would.
      if (statusOf(err) === 404) return this.register();
      throw err;
    }
  }

  private async renewLease(): Promise<void> {
    const { client, clock, node, leaseDurationSeconds } = this.opts;
    const now = clock.now();
    const renewed = (lease: KObject): KObject => ({
      ...lease,
      spec: { ...(lease.spec as object), holderIdentity: node.name, leaseDurationSeconds, renewTime: microTime(now) },
    });
    if (this.lease) {
      try {
        this.lease = await client.update(LEASES, renewed(this.lease));
        return;
      } catch (err) {
        const code = statusOf(err);
        if (code !== 409 && code !== 404) throw err;
      }
    }
    try {
      this.lease = await client.update(LEASES, renewed(await client.get(LEASES, node.name, { namespace: NODE_LEASE_NAMESPACE })));
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      this.lease = await client.create(LEASES, nodeLease(node.name, this.nodeUid, leaseDurationSeconds, now));
    }
  }
}
