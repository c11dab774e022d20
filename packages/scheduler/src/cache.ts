// The scheduler's view of the cluster: a NodeInfo per node with the pods bound to it, including
// pods this scheduler has assumed (decided, binding in flight or not yet seen by the watch), so
// that back-to-back decisions never overcommit a node. Updated incrementally from informer events.
import type { Node, Pod } from '@mini-kube/api';
import { NodeInfo } from './node-info.js';
import { NodeTable } from './node-table.js';
import { newPodInfo, podKey, type PodInfo } from './pod-info.js';

interface PodState {
  nodeName: string;
  /** True until the informer reports the pod bound: then the API's version replaces ours. */
  assumed: boolean;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  /** Nodes that exist, in a stable order the scheduler walks round-robin. */
  readonly table = new NodeTable();
  private readonly tableIndex = new Map<string, number>();
  private readonly pods = new Map<string, PodState>();

  get nodeCount(): number {
    return this.table.size;
  }

  nodeAt(i: number): NodeInfo {
    return this.table.at(i);
  }

  getNode(name: string): NodeInfo | undefined {
    return this.tableIndex.has(name) ? this.nodes.get(name) : undefined;
  }

  /** Adds or updates a node; pods that arrived before their node are kept and counted. */
  setNode(node: Node): NodeInfo {
    const name = node.metadata?.name ?? '';
    let info = this.nodes.get(name);
    if (info) info.setNode(node);
    else this.nodes.set(name, (info = new NodeInfo(node, this.table.ownerPods)));
    const at = this.tableIndex.get(name);
    if (at === undefined) this.tableIndex.set(name, this.table.push(info));
    else this.table.refresh(at);
    return info;
  }

  removeNode(name: string): void {
    const at = this.tableIndex.get(name);
    if (at === undefined) return;
    const moved = this.table.removeAt(at);
    if (moved) this.tableIndex.set(moved.name, at);
    this.tableIndex.delete(name);
    // Keep the NodeInfo while pods still point at it: they are removed by their own delete events.
    if (this.nodes.get(name)!.pods.size === 0) this.nodes.delete(name);
  }

  /** A bound pod as the API reports it: adds it, moves it, or confirms an assumed pod. */
  setPod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const key = podKey(pod);
    const previous = this.pods.get(key);
    const info = previous && this.nodes.get(previous.nodeName)?.pods.get(key);
    if (previous && previous.nodeName !== nodeName) this.removePod(key);
    this.pods.set(key, { nodeName, assumed: false });
    this.nodeInfoFor(nodeName).addPod(newPodInfo(pod, info));
    this.refresh(nodeName);
  }

  removePod(key: string): void {
    const state = this.pods.get(key);
    if (!state) return;
    this.pods.delete(key);
    const info = this.nodes.get(state.nodeName);
    if (!info) return;
    info.removePod(key);
    this.refresh(info.name);
    if (info.pods.size === 0 && !this.tableIndex.has(info.name)) this.nodes.delete(info.name);
  }

  /** Counts a pod on a node before the API confirms the binding. */
  assumePod(pod: PodInfo, nodeName: string): void {
    this.pods.set(pod.key, { nodeName, assumed: true });
    this.nodeInfoFor(nodeName).addPod(pod);
    this.refresh(nodeName);
  }

  /** Undoes assumePod after a failed binding, unless the API has since reported the pod bound. */
  forgetPod(key: string): void {
    if (this.pods.get(key)?.assumed) this.removePod(key);
  }

  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed === true;
  }

  has(key: string): boolean {
    return this.pods.has(key);
  }

  /** Copies a node's changed totals into the table, if the node exists. */
  private refresh(nodeName: string): void {
    const at = this.tableIndex.get(nodeName);
    if (at !== undefined) this.table.refresh(at);
  }

  private nodeInfoFor(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (!info) this.nodes.set(name, (info = new NodeInfo({ metadata: { name } }, this.table.ownerPods)));
    return info;
  }
}
