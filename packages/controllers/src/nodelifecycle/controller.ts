// The node lifecycle controller: every nodeMonitorPeriodMs it marks silent nodes Unknown, keeps
// the condition taints in step, evicts pods from NoExecute-tainted nodes once their tolerations
// run out, and force-deletes pods no kubelet will finish (the pod GC's job in Kubernetes).
import { findResource, type KObject } from '@mini-kube/api';
import { StatusError, formatTime } from '@mini-kube/machinery';
import type { Informer } from '@mini-kube/runtime';
import type { NodeSpec, NodeStatus, PodSpec, PodStatus, Taint } from 'kubernetes-types/core/v1';
import type { Controller, ControllerContext } from '../context.js';
import { evictionTime } from './eviction.js';
import { HeartbeatTracker, heartbeatSignal, readyStatus, unknownConditions } from './health.js';
import { shouldForceDelete, type NodeHealth } from './podgc.js';
import { desiredTaints, reconcileTaints } from './taints.js';
import { isNotFound, updateLive } from './writes.js';

type NodeObject = KObject & { spec?: NodeSpec; status?: NodeStatus };
type PodObject = KObject & { spec?: PodSpec; status?: PodStatus };

const NODES = findResource('', 'v1', 'nodes')!;
const PODS = findResource('', 'v1', 'pods')!;
const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const POD_NODE_INDEX = 'nodelifecycle/node-name';

export const nodeLifecycleController: Controller = async (ctx: ControllerContext) => {
  const nodes = ctx.informers.informer<NodeObject>(NODES);
  const pods = ctx.informers.informer<PodObject>(PODS);
  pods.addIndex(POD_NODE_INDEX, (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []));
  const leases = ctx.informers.informer<KObject>(LEASES, { namespace: NODE_LEASE_NAMESPACE });
  await waitForInformers(ctx, [nodes, pods, leases] as Informer[]);
  const monitor = new NodeMonitor(ctx, nodes, pods, leases);
  while (!ctx.signal.aborted) {
    const nextEviction = await monitor.pass();
    const wait = Math.min(ctx.options.nodeMonitorPeriodMs, nextEviction - ctx.clock.now());
    await ctx.clock.sleep(Math.max(0, wait), ctx.signal);
  }
};

class NodeMonitor {
  private readonly heartbeats = new HeartbeatTracker();
  private readonly lastReady = new Map<string, string | undefined>();
  /** When a taint without timeAdded was first seen, by `node|key|effect`. */
  private readonly taintSeen = new Map<string, number>();
  private readonly nodeEvents;
  private readonly evictionEvents;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly nodes: Informer<NodeObject>,
    private readonly pods: Informer<PodObject>,
    private readonly leases: Informer<KObject>,
  ) {
    this.nodeEvents = ctx.recorder('node-controller');
    this.evictionEvents = ctx.recorder('taint-eviction-controller');
  }

  /** One pass over every node; returns when the next eviction is due (Infinity: none). */
  async pass(): Promise<number> {
    const now = this.ctx.clock.now();
    let next = Number.POSITIVE_INFINITY;
    const all = this.nodes.lister.list();
    const names = new Set(all.map((n) => n.metadata.name!));
    this.heartbeats.retain(names);
    for (const name of this.lastReady.keys()) if (!names.has(name)) this.lastReady.delete(name);
    for (const cached of all) {
      try {
        const node = await this.checkNode(cached, now);
        if (node) next = Math.min(next, await this.evictPods(node, now));
      } catch {
        // Left for the next pass: one node's failure must not stall the others.
      }
    }
    await this.collectPods().catch(() => undefined);
    return next;
  }

  /** Conditions, events, taints of one node; returns the node as now written, if it still exists. */
  private async checkNode(cached: NodeObject, now: number): Promise<NodeObject | undefined> {
    const name = cached.metadata.name!;
    const lease = this.leases.lister.get(NODE_LEASE_NAMESPACE, name) as { spec?: { renewTime?: string } } | undefined;
    const probedAt = this.heartbeats.observe(name, heartbeatSignal(lease?.spec?.renewTime, cached.status?.conditions), now);
    let node: NodeObject | undefined = cached;
    // The pure planners run on the cache first, to skip a GET when there is nothing to write.
    if (now - probedAt > this.ctx.options.nodeMonitorGracePeriodMs && unknownConditions(cached.status?.conditions, '', undefined)) {
      node = await updateLive<NodeObject>(this.ctx.client, NODES, { name }, (live) => {
        const conditions = unknownConditions(live.status?.conditions, formatTime(now), live.metadata.creationTimestamp);
        if (!conditions) return false;
        live.status = { ...live.status, conditions };
        return true;
      }, 'status');
      if (!node) return undefined;
    }
    const ready = readyStatus(node.status?.conditions);
    const becameNotReady = this.lastReady.get(name) === 'True' && ready !== 'True';
    if (becameNotReady) this.nodeEvents.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    this.lastReady.set(name, ready);
    // A silent kubelet cannot report its pods; one that reports NotReady still manages them, so
    // its pods are marked once, on the transition.
    if (ready === 'Unknown' || becameNotReady) await this.markPodsNotReady(name, now);
    if (reconcileTaints(node.spec?.taints, desiredTaints(node), '')) {
      node = await updateLive<NodeObject>(this.ctx.client, NODES, { name }, (live) => {
        const taints = reconcileTaints(live.spec?.taints, desiredTaints(live), formatTime(now));
        if (!taints) return false;
        live.spec = { ...live.spec, taints };
        return true;
      });
    }
    return node;
  }

  /** MarkPodsNotReady: the pods of a node that is not Ready are not ready either (Services drop them). */
  private async markPodsNotReady(nodeName: string, now: number): Promise<void> {
    for (const pod of this.pods.byIndex(POD_NODE_INDEX, nodeName)) {
      if (!pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      const written = await updateLive<PodObject>(this.ctx.client, PODS, target(pod), (live) => {
        const conditions = live.status?.conditions ?? [];
        if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return false;
        const lastTransitionTime = formatTime(now);
        live.status = { ...live.status, conditions: conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime } : c)) };
        return true;
      }, 'status');
      if (written) this.nodeEvents.event(written, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }

  /** Deletes the pods whose tolerations ran out; returns when the next one will. */
  private async evictPods(node: NodeObject, now: number): Promise<number> {
    const name = node.metadata.name!;
    const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) return Number.POSITIVE_INFINITY;
    const addedAt = (t: Taint): number => this.taintAddedAt(name, t, now);
    let next = Number.POSITIVE_INFINITY;
    for (const pod of this.pods.byIndex(POD_NODE_INDEX, name)) {
      if (pod.metadata.deletionTimestamp) continue;
      const due = evictionTime(pod.spec?.tolerations, taints, addedAt);
      if (due === undefined) continue;
      if (due > now) {
        next = Math.min(next, due);
        continue;
      }
      const { namespace, name: podName } = target(pod);
      this.evictionEvents.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${podName}`);
      await this.ignoreGone(this.ctx.client.delete(PODS, podName, { namespace, preconditions: { uid: pod.metadata.uid } }));
    }
    return next;
  }

  private taintAddedAt(node: string, taint: Taint, now: number): number {
    const stamped = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN;
    if (!Number.isNaN(stamped)) return stamped;
    const key = `${node}|${taint.key}|${taint.effect}`;
    if (!this.taintSeen.has(key)) this.taintSeen.set(key, now);
    return this.taintSeen.get(key)!;
  }

  /** Force-deletes pods of vanished nodes, and terminating pods of nodes that are not Ready. */
  private async collectPods(): Promise<void> {
    const health = (nodeName: string): NodeHealth => {
      const node = this.nodes.lister.get(undefined, nodeName);
      if (!node) return 'absent';
      return readyStatus(node.status?.conditions) === 'True' ? 'ready' : 'not-ready';
    };
    for (const pod of this.pods.lister.list()) {
      const nodeName = pod.spec?.nodeName;
      if (!nodeName || !shouldForceDelete(pod, health(nodeName))) continue;
      // The cache may not have seen a new node yet: ask before calling a pod orphaned.
      if (health(nodeName) === 'absent' && (await this.nodeExists(nodeName))) continue;
      const { namespace, name } = target(pod);
      await this.ignoreGone(this.ctx.client.delete(PODS, name, { namespace, gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } }));
    }
  }

  private async nodeExists(name: string): Promise<boolean> {
    try {
      await this.ctx.client.get(NODES, name);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** A pod already gone, or replaced by another of the same name (uid precondition), is done. */
  private async ignoreGone(call: Promise<unknown>): Promise<void> {
    try {
      await call;
    } catch (err) {
      if (!isNotFound(err) && !(err instanceof StatusError && err.code === 409)) throw err;
    }
  }
}

/** Waits for `informers` to sync, even when the factory starts them only after this call. */
async function waitForInformers(ctx: ControllerContext, informers: readonly Informer[]): Promise<void> {
  await ctx.informers.waitForSync(ctx.signal);
  while (!informers.every((i) => i.hasSynced())) {
    ctx.signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ctx.informers.waitForSync(ctx.signal);
  }
}

function target(obj: KObject): { namespace?: string; name: string } {
  return { namespace: obj.metadata.namespace, name: obj.metadata.name! };
}
