// The nodes the scheduler walks, in a stable order, with the numbers the filters and scores read
// most copied into flat columns. A decision walks hundreds of nodes; reading a few contiguous typed
// arrays instead of a dozen objects per node keeps that walk in the CPU cache (5,000 NodeInfos
// with their maps do not fit). The NodeInfo stays the source of truth: `refresh` copies from it
// after every change.
import type { NodeInfo } from './node-info.js';

/** Flag bits per node. */
export const UNSCHEDULABLE = 1;
/** A NoSchedule or NoExecute taint: the pod's tolerations must be checked. */
export const HARD_TAINTS = 2;
export const PREFER_NO_SCHEDULE_TAINTS = 4;

const INITIAL_CAPACITY = 64;

export class NodeTable {
  private infos: NodeInfo[] = [];
  flags = new Uint8Array(INITIAL_CAPACITY);
  /** allocatable pods − pods counted on the node (bound or assumed). */
  freePods = new Float64Array(INITIAL_CAPACITY);
  allocCPU = new Float64Array(INITIAL_CAPACITY);
  allocMemory = new Float64Array(INITIAL_CAPACITY);
  allocEphemeral = new Float64Array(INITIAL_CAPACITY);
  requestedCPU = new Float64Array(INITIAL_CAPACITY);
  requestedMemory = new Float64Array(INITIAL_CAPACITY);
  requestedEphemeral = new Float64Array(INITIAL_CAPACITY);
  nonZeroCPU = new Float64Array(INITIAL_CAPACITY);
  nonZeroMemory = new Float64Array(INITIAL_CAPACITY);
  /**
   * Pods per controlling owner uid summed over the NodeInfos that count into it (the cache's: the
   * table's nodes, and nodes gone from it that still hold pods). An owner absent here has no pod
   * on any node of the table.
   */
  readonly ownerPods = new Map<string, number>();

  get size(): number {
    return this.infos.length;
  }

  at(i: number): NodeInfo {
    return this.infos[i]!;
  }

  /** Appends a node; returns its index. */
  push(info: NodeInfo): number {
    const i = this.infos.length;
    if (i === this.flags.length) this.grow(i * 2);
    this.infos.push(info);
    this.refresh(i);
    return i;
  }

  /** Removes the node at `i` by moving the last one there; returns the moved node, if any. */
  removeAt(i: number): NodeInfo | undefined {
    const last = this.infos.pop()!;
    if (i === this.infos.length) return undefined;
    this.infos[i] = last;
    this.refresh(i);
    return last;
  }

  /** Copies the node at `i` into the columns. */
  refresh(i: number): void {
    const info = this.infos[i]!;
    let flags = info.unschedulable ? UNSCHEDULABLE : 0;
    for (const taint of info.taints) {
      if (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') flags |= HARD_TAINTS;
      else if (taint.effect === 'PreferNoSchedule') flags |= PREFER_NO_SCHEDULE_TAINTS;
    }
    this.flags[i] = flags;
    this.freePods[i] = info.allowedPodNumber - info.pods.size;
    this.allocCPU[i] = info.allocatable.milliCPU;
    this.allocMemory[i] = info.allocatable.memory;
    this.allocEphemeral[i] = info.allocatable.ephemeralStorage;
    this.requestedCPU[i] = info.requested.milliCPU;
    this.requestedMemory[i] = info.requested.memory;
    this.requestedEphemeral[i] = info.requested.ephemeralStorage;
    this.nonZeroCPU[i] = info.nonZeroRequested.milliCPU;
    this.nonZeroMemory[i] = info.nonZeroRequested.memory;
  }

  private grow(capacity: number): void {
    const f64 = (old: Float64Array): Float64Array<ArrayBuffer> => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    };
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    this.freePods = f64(this.freePods);
    this.allocCPU = f64(this.allocCPU);
    this.allocMemory = f64(this.allocMemory);
    this.allocEphemeral = f64(this.allocEphemeral);
    this.requestedCPU = f64(this.requestedCPU);
    this.requestedMemory = f64(this.requestedMemory);
    this.requestedEphemeral = f64(this.requestedEphemeral);
    this.nonZeroCPU = f64(this.nonZeroCPU);
    this.nonZeroMemory = f64(this.nonZeroMemory);
  }
}
