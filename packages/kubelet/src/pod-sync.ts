// One sync of one pod on this node (the kubelet's pod worker, level-triggered): admit it, give it a
// sandbox and IP, start or restart its containers as planned, report its status; stop it when it is
// deleted, then delete it for good. The pod comes from the informer, container states from the runtime.
import type { KObject } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import type { Clock, EventRecorder } from '@mini-kube/runtime';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { IpPool } from './addresses.js';
import { admitPod } from './admission.js';
import type { BackoffEntry, BackoffLimits } from './backoff.js';
import { deepEqual } from './equal.js';
import { planPod, type BackoffWait, type ContainerStart } from './pod-plan.js';
import { PODS } from './pod-source.js';
import { computePodStatus } from './pod-status.js';
import type { Prober } from './process/probes.js';
import type { Runtime, RuntimeContainer } from './types.js';

export interface PodSyncerOptions {
  client: ApiClient;
  runtime: Runtime;
  hostIP: string;
  ips: IpPool;
  allocatable: Record<string, string>;
  clock: Clock;
  limits: BackoffLimits;
  recorder: EventRecorder;
  /** Runs the pods' probes, for runtimes whose containers are real. */
  prober?: Prober;
  /** Asks for the pod to be synced again after `ms`. */
  requeueAfter(key: string, ms: number): void;
}

/** What the kubelet remembers of a pod between syncs. */
interface PodRecord {
  key: string;
  uid: string;
  pod: Pod;
  podIP?: string;
  sandboxReady: boolean;
  admitted: boolean;
  stopping: boolean;
  /** No container runs or will run again; `finalStatus` is what is left to report. */
  finished: boolean;
  finalStatus?: PodStatus;
  backoff: Map<string, BackoffEntry>;
  /** The back-off wait each container last had a BackOff event for. */
  announced: Map<string, number>;
  /** Containers that could not be created, with their reason and retry back-off. */
  startFailures: Map<string, { reason: string; message: string; delayMs: number; until: number }>;
  /** The status last written, and the resourceVersion the write produced. */
  written?: { status: PodStatus; resourceVersion: string };
}

const TERMINAL = new Set(['Succeeded', 'Failed']);
const IP_RETRY_MS = 10_000;
const codeOf = (err: unknown): number | undefined => (err instanceof StatusError ? err.code : undefined);
const asObject = (pod: Pod): KObject => pod as unknown as KObject;

/**
 * Whether the cached pod makes our last write redundant: it is newer, or it is that write and its
 * status is the one we wrote. The record then drops its copy, which would double each pod's status.
 */
export function cacheHolds(pod: Pod, written: { status: PodStatus; resourceVersion: string }): boolean {
  const cached = Number(pod.metadata?.resourceVersion);
  const ours = Number(written.resourceVersion);
  return cached > ours || (cached === ours && deepEqual(pod.status, written.status));
}

export class PodSyncer {
  private readonly records = new Map<string, PodRecord>();
  private readonly keysByUid = new Map<string, string>();

  constructor(private readonly opts: PodSyncerOptions) {}

  /** The pods with a sandbox on this node, for the stats summary. */
  pods(): Pod[] {
    return [...this.records.values()].filter((r) => r.sandboxReady).map((r) => r.pod);
  }

  /** The key of the pod with this uid, for runtime notifications. */
  keyOf(uid: string): string | undefined {
    return this.keysByUid.get(uid);
  }

  /** Brings the pod with `key` (undefined: it is gone from our node) and its containers in line. */
  async sync(key: string, pod: Pod | undefined): Promise<void> {
    let rec = this.records.get(key);
    if (rec && rec.uid !== pod?.metadata?.uid) {
      await this.forget(rec); // deleted outright, or replaced by a new pod of the same name
      rec = undefined;
    }
    if (!pod) return;
    rec ??= this.track(key, pod);
    rec.pod = pod;
    if (rec.written && cacheHolds(pod, rec.written)) rec.written = undefined;
    if (pod.metadata?.deletionTimestamp) return this.terminate(pod, rec);
    if (rec.finished) return this.writeFinal(pod, rec);
    if (TERMINAL.has(pod.status?.phase ?? '') && !rec.sandboxReady) {
      rec.finished = true; // finished before this kubelet (re)started: nothing to run
      return;
    }
    if (!rec.admitted && !(await this.admit(pod, rec))) return;
    if (!rec.sandboxReady && !(await this.startSandbox(pod, rec))) return;
    await this.run(pod, rec);
  }

  private track(key: string, pod: Pod): PodRecord {
    const rec: PodRecord = {
      key,
      uid: pod.metadata?.uid ?? '',
      pod,
      sandboxReady: false,
      admitted: false,
      stopping: false,
      finished: false,
      backoff: new Map(),
      announced: new Map(),
      startFailures: new Map(),
    };
    this.records.set(key, rec);
    this.keysByUid.set(rec.uid, key);
    return rec;
  }

  private async forget(rec: PodRecord): Promise<void> {
    this.opts.prober?.removePod(rec.uid);
    await this.opts.runtime.removeSandbox(rec.uid);
    if (rec.podIP) this.opts.ips.release(rec.podIP);
    this.records.delete(rec.key);
    this.keysByUid.delete(rec.uid);
  }

  private async admit(pod: Pod, rec: PodRecord): Promise<boolean> {
    const admitted = [...this.records.values()].filter((r) => r.admitted && !r.finished).map((r) => r.pod);
    const rejection = admitPod(pod, admitted, this.opts.allocatable);
    if (!rejection) {
      rec.admitted = true;
      return true;
    }
    this.event(pod, 'Warning', rejection.reason, rejection.message);
    rec.finished = true;
    rec.finalStatus = { ...pod.status, phase: 'Failed', reason: rejection.reason, message: rejection.message };
    await this.writeFinal(pod, rec);
    return false;
  }

  private async startSandbox(pod: Pod, rec: PodRecord): Promise<boolean> {
    const { hostIP, ips } = this.opts;
    const podIP = pod.spec?.hostNetwork ? hostIP : (rec.podIP ?? ips.allocate(pod.status?.podIP));
    if (!podIP) {
      this.event(pod, 'Warning', 'FailedCreatePodSandBox', 'Failed to create pod sandbox: no IP addresses available in the node\'s pod CIDR');
      this.opts.requeueAfter(rec.key, IP_RETRY_MS);
      return false;
    }
    rec.podIP = podIP;
    await this.opts.runtime.startSandbox(pod, { podIP, hostIP });
    rec.sandboxReady = true;
    return true;
  }

  private async run(pod: Pod, rec: PodRecord): Promise<void> {
    const { runtime, clock } = this.opts;
    const now = clock.now();
    const plan = planPod({ pod, containers: runtime.containers(rec.uid), backoff: rec.backoff, limits: this.opts.limits, now });
    for (const [name, entry] of plan.backoff) rec.backoff.set(name, entry);
    for (const start of plan.start) {
      const failed = await this.startContainer(pod, rec, start, now);
      if (failed) plan.waiting.set(start.container.name, failed);
    }
    this.probe(pod, rec);
    for (const [name, wait] of plan.waiting) {
      if (rec.announced.get(name) !== wait.until) {
        rec.announced.set(name, wait.until);
        if (!wait.reason) this.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${pod.metadata?.name}_${pod.metadata?.namespace}(${rec.uid})`);
      }
      this.opts.requeueAfter(rec.key, wait.until - now);
    }
    const status = this.status(pod, rec, { waiting: plan.waiting, sandboxReady: true, terminal: false });
    if (TERMINAL.has(status.phase ?? '')) return this.finish(pod, rec, false);
    await this.writeStatus(pod, rec, status);
  }

  /**
   * Starts a container, unless it failed to be created and waits out its back-off. A failure with a
   * reason (ErrImagePull, CreateContainerConfigError...) becomes a wait with that reason; another one
   * is thrown (the pod is retried with the queue's back-off).
   */
  private async startContainer(pod: Pod, rec: PodRecord, { container, init, attempt }: ContainerStart, now: number): Promise<BackoffWait | undefined> {
    const image = container.image ?? '';
    const failure = rec.startFailures.get(container.name);
    if (failure && now < failure.until) {
      const reason = failure.reason === 'ErrImagePull' ? 'ImagePullBackOff' : failure.reason;
      if (reason === 'ImagePullBackOff' && rec.announced.get(container.name) !== failure.until) {
        this.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
        this.event(pod, 'Warning', 'Failed', `Error: ${reason}`);
      }
      return { until: failure.until, reason, message: reason === 'ImagePullBackOff' ? `Back-off pulling image "${image}": ${failure.message}` : failure.message };
    }
    try {
      await this.opts.runtime.startContainer(pod, container, { attempt, init });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const reason = (err as { reason?: unknown }).reason;
      if (reason === 'ErrImagePull') this.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
      this.event(pod, 'Warning', 'Failed', `Error: ${typeof reason === 'string' ? reason : message}`);
      if (typeof reason !== 'string') throw err;
      const { baseMs, maxMs } = this.opts.limits;
      const delayMs = failure ? Math.min(failure.delayMs * 2, maxMs) : baseMs;
      rec.startFailures.set(container.name, { reason, message, delayMs, until: now + delayMs });
      return { until: now + delayMs, reason, message };
    }
    rec.startFailures.delete(container.name);
    this.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    this.event(pod, 'Normal', 'Created', `Created container: ${container.name}`);
    this.event(pod, 'Normal', 'Started', `Started container ${container.name}`);
    return undefined;
  }

  /** Keeps the probe workers in line with the running containers; kills those that failed liveness or startup. */
  private probe(pod: Pod, rec: PodRecord): void {
    const { prober, runtime } = this.opts;
    if (!prober || !rec.podIP) return;
    prober.sync(pod, rec.podIP, runtime.containers(rec.uid));
    for (const failure of prober.takeFailures(rec.uid)) {
      this.event(pod, 'Normal', 'Killing', `Container ${failure.name} failed ${failure.kind} probe, will be restarted`);
      const grace = failure.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      // The runtime reports the exit; the next sync restarts the container as its restart policy says.
      runtime.stopContainer(failure.containerId, grace).catch((err: unknown) => this.event(pod, 'Warning', 'FailedKillPod', `error killing pod: ${String(err)}`));
    }
  }

  /** A pod with a deletionTimestamp: stop its containers within the grace period, report, delete it. */
  private async terminate(pod: Pod, rec: PodRecord): Promise<void> {
    const { runtime } = this.opts;
    this.opts.prober?.removePod(rec.uid);
    const live = runtime.containers(rec.uid).filter((c) => c.state !== 'exited');
    if (live.length > 0) {
      if (rec.stopping) return; // the runtime tells us when they have exited
      rec.stopping = true;
      const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      for (const c of live) {
        this.event(pod, 'Normal', 'Killing', `Stopping container ${c.name}`);
        runtime.stopContainer(c.id, grace).catch((err: unknown) => this.event(pod, 'Warning', 'FailedKillPod', `error killing pod: ${String(err)}`));
      }
      return;
    }
    if (!rec.finished) await this.finish(pod, rec, true);
    else await this.writeFinal(pod, rec);
    try {
      await this.opts.client.delete(PODS, pod.metadata!.name!, {
        namespace: pod.metadata!.namespace,
        gracePeriodSeconds: 0,
        preconditions: { uid: rec.uid },
      });
    } catch (err) {
      if (codeOf(err) !== 404 && codeOf(err) !== 409) throw err; // gone already, or another pod now
    }
  }

  /** No container will run again: report the final status (sandbox gone) and release the sandbox. */
  private async finish(pod: Pod, rec: PodRecord, deleted: boolean): Promise<void> {
    rec.finished = true;
    this.opts.prober?.removePod(rec.uid);
    if (rec.sandboxReady) rec.finalStatus = this.status(pod, rec, { waiting: new Map(), sandboxReady: false, terminal: deleted });
    await this.opts.runtime.removeSandbox(rec.uid);
    if (rec.podIP) this.opts.ips.release(rec.podIP);
    rec.sandboxReady = false;
    await this.writeFinal(pod, rec);
  }

  private async writeFinal(pod: Pod, rec: PodRecord): Promise<void> {
    if (!rec.finalStatus) return;
    try {
      await this.writeStatus(pod, rec, rec.finalStatus);
    } catch (err) {
      if (codeOf(err) !== 404) throw err;
    }
  }

  private status(pod: Pod, rec: PodRecord, s: { waiting: ReadonlyMap<string, { until: number; message: string }>; sandboxReady: boolean; terminal: boolean }): PodStatus {
    return computePodStatus({
      pod: { ...pod, status: this.previousStatus(pod, rec) },
      containers: this.containers(rec.uid),
      waiting: s.waiting,
      sandboxReady: s.sandboxReady,
      podIP: rec.podIP,
      hostIP: this.opts.hostIP,
      terminal: s.terminal,
      now: this.opts.clock.now(),
    });
  }

  /** The runtime's containers, with ready and started from the probes when the kubelet runs them. */
  private containers(uid: string): RuntimeContainer[] {
    const { prober, runtime } = this.opts;
    const containers = runtime.containers(uid);
    return prober ? containers.map((c) => prober.overlay(c)) : containers;
  }

  /**
   * The status to build on: our last write while the cache has not caught up with it (or nobody
   * wrote since), else the cached one, which has changes by others (conditions, for instance).
   */
  private previousStatus(pod: Pod, rec: PodRecord): PodStatus | undefined {
    const written = rec.written;
    if (written && Number(pod.metadata?.resourceVersion) <= Number(written.resourceVersion)) return written.status;
    return pod.status;
  }

  private async writeStatus(pod: Pod, rec: PodRecord, status: PodStatus): Promise<void> {
    const written = rec.written;
    const cacheBehind = written !== undefined && Number(pod.metadata?.resourceVersion) <= Number(written.resourceVersion);
    if (deepEqual(status, cacheBehind ? written.status : pod.status)) return;
    const resourceVersion = cacheBehind ? written.resourceVersion : pod.metadata?.resourceVersion;
    const body = { ...asObject(pod), apiVersion: 'v1', kind: 'Pod', metadata: { ...asObject(pod).metadata, resourceVersion }, status };
    const result = await this.opts.client.updateStatus(PODS, body);
    rec.written = { status, resourceVersion: result.metadata.resourceVersion ?? '' };
  }

  private event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.opts.recorder.event(asObject(pod), type, reason, message);
  }
}
