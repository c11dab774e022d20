// One pod's status as this kubelet writes it: the last write kept until the informer's cache shows
// it (a status is built on our newest write, not on a cache that has not caught up), one write at a
// time, and the echo of our own write told apart from changes that need a sync.
import type { KObject } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import { PODS } from './pod-source.js';
import { jsonEqual } from '@mini-kube/machinery';

export interface Written {
  status: PodStatus;
  /** The resourceVersion the write produced. */
  resourceVersion: string;
}

export interface StatusWriterDeps {
  client: ApiClient;
  /** Asks for a sync of the pod, for a change held back while a write was in flight. */
  requeue(key: string): void;
}

/**
 * Whether the cached pod makes our last write redundant: it is newer, or it is that write and its
 * status is the one we wrote. The writer then drops its copy, which would double each pod's status.
 */
export function cacheHolds(pod: Pod, written: Written): boolean {
  const cached = Number(pod.metadata?.resourceVersion);
  const ours = Number(written.resourceVersion);
  return cached > ours || (cached === ours && jsonEqual(pod.status, written.status));
}

const cacheBehind = (pod: Pod, written: Written | undefined): written is Written =>
  written !== undefined && Number(pod.metadata?.resourceVersion) <= Number(written.resourceVersion);

export class PodStatusWriter {
  private written?: Written;
  /** Set while a write is in flight: the newest update of the pod seen meanwhile. */
  private inFlight?: { held?: Pod };

  constructor(
    private readonly key: string,
    private readonly deps: StatusWriterDeps,
  ) {}

  /** The cache shows `pod`: forget our last write once it holds it. */
  observe(pod: Pod): void {
    if (this.written && cacheHolds(pod, this.written)) this.written = undefined;
  }

  /**
   * Whether an update of the pod is our own status write coming back from the informer, which holds
   * nothing a sync would act on (upstream's kubelet does not sync pods on status-only changes
   * either). An update that comes while a write is in flight (the watch often beats the write's
   * answer) is held until the write answers: it is then either that write, or a newer change (or
   * the write failed), and the pod is synced.
   */
  isOwnWrite(pod: Pod): boolean {
    if (this.inFlight) {
      this.inFlight.held = pod;
      return true;
    }
    if (!this.written || this.written.resourceVersion !== pod.metadata?.resourceVersion) return false;
    this.observe(pod);
    return true;
  }

  /**
   * The status to build on: our last write while the cache has not caught up with it (or nobody
   * wrote since), else the cached one, which has changes by others (conditions, for instance).
   */
  previous(pod: Pod): PodStatus | undefined {
    return cacheBehind(pod, this.written) ? this.written.status : pod.status;
  }

  /** Writes `status` unless it is the pod's status already (as far as we know). */
  async write(pod: Pod, status: PodStatus): Promise<void> {
    const written = this.written;
    const behind = cacheBehind(pod, written);
    if (jsonEqual(status, behind ? written.status : pod.status)) return;
    const resourceVersion = behind ? written.resourceVersion : pod.metadata?.resourceVersion;
    const object = pod as unknown as KObject;
    const body = { ...object, apiVersion: 'v1', kind: 'Pod', metadata: { ...object.metadata, resourceVersion }, status };
    const flight: { held?: Pod } = {};
    this.inFlight = flight;
    let answer: string | undefined;
    try {
      const result = await this.deps.client.updateStatus(PODS, body);
      answer = result.metadata.resourceVersion ?? '';
      this.written = { status, resourceVersion: answer };
    } finally {
      this.inFlight = undefined;
      const held = flight.held;
      if (held && answer !== undefined && held.metadata?.resourceVersion === answer) this.observe(held);
      else if (held) this.deps.requeue(this.key);
    }
  }
}
