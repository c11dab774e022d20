// One sync of one pod on this node (the kubelet's pod worker, level-triggered): admit it, give it a
// sandbox and IP, start or restart its containers as planned, report its status; stop it when it is
// deleted, then delete it for good. The pod comes from the informer, container states from the runtime.
import type { KObject } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import type { Clock, EventRecorder } from '@mini-kube/runtime';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { IpPool } from './addresses.js';
import { admitPod, podRequests, type Amounts } from './admission.js';
import type { BackoffEntry, BackoffLimits } from './backoff.js';
import { startContainer, type StartFailure, type StarterDeps } from './container-start.js';
import { planPod, type BackoffWait, type PodPlan } from './pod-plan.js';
import { PODS } from './pod-source.js';
import { computePodStatus } from './pod-status.js';
import type { Prober } from './process/probes.js';
import { PodStatusWriter, type StatusWriterDeps } from './status-writer.js';
import { settlesWithin } from './time.js';
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
  /** The pod's requests, counted against the node's allocatable once admitted. */
  requests?: Amounts;
  stopping: boolean;
  /** No container runs or will run again; `finalStatus` is what is left to report. */
  finished: boolean;
  finalStatus?: PodStatus;
  backoff: Map<string, BackoffEntry>;
  /** The back-off wait each container last had a BackOff event for. */
  announced: Map<string, number>;
  /** Containers that could not be created, with their reason and retry back-off. */
  startFailures: Map<string, StartFailure>;
  /** Writes the pod's status and remembers the last write. */
  statusWriter: PodStatusWriter;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);
const IP_RETRY_MS = 10_000;
/**
 * Containers that start within this long are reported once, running; a slower start (an image
 * pull, a slow runtime) is reported as ContainerCreating meanwhile, as upstream's kubelet does.
 */
const SLOW_START_MS = 250;
const codeOf = (err: unknown): number | undefined => (err instanceof StatusError ? err.code : undefined);
const asObject = (pod: Pod): KObject => pod as unknown as KObject;

export class PodSyncer {
  private readonly records = new Map<string, PodRecord>();
  private readonly keysByUid = new Map<string, string>();
  private readonly writerDeps: StatusWriterDeps;
  private readonly starterDeps: StarterDeps;

  constructor(private readonly opts: PodSyncerOptions) {
    this.writerDeps = { client: opts.client, requeue: (key) => opts.requeueAfter(key, 0) };
    this.starterDeps = { runtime: opts.runtime, limits: opts.limits, event: (pod, type, reason, message) => this.event(pod, type, reason, message) };
  }

  /** The pods with a sandbox on this node, for the stats summary. */
  pods(): Pod[] {
    return [...this.records.values()].filter((r) => r.sandboxReady).map((r) => r.pod);
  }

  /** The key of the pod with this uid, for runtime notifications. */
  keyOf(uid: string): string | undefined {
    return this.keysByUid.get(uid);
  }

  /** Whether an update of the pod needs no sync: it is our own status write coming back (see PodStatusWriter). */
  ownWrite(key: string, pod: Pod): boolean {
    const rec = this.records.get(key);
    if (!rec || rec.uid !== pod.metadata?.uid || !rec.statusWriter.isOwnWrite(pod)) return false;
    rec.pod = pod;
    return true;
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
    rec.statusWriter.observe(pod);
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
      statusWriter: new PodStatusWriter(key, this.writerDeps),
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
    const admitted: Amounts[] = [];
    for (const r of this.records.values()) if (r.admitted && !r.finished && r.requests) admitted.push(r.requests);
    const requests = podRequests(pod);
    const rejection = admitPod(requests, admitted, this.opts.allocatable);
    if (!rejection) {
      rec.admitted = true;
      rec.requests = requests;
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
    const starting = this.startAll(pod, rec, plan, now);
    if (plan.start.length > 0 && !(await settlesWithin(starting, SLOW_START_MS, clock))) await this.reportStarting(pod, rec, plan.waiting);
    await starting;
    this.probe(pod, rec);
    for (const [name, wait] of plan.waiting) {
      if (rec.announced.get(name) !== wait.until) {
        rec.announced.set(name, wait.until);
        if (!wait.reason) this.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${pod.metadata?.name}_${pod.metadata?.namespace}(${rec.uid})`);
      }
      // An image that just failed to pull shows as ImagePullBackOff from the next sync on.
      this.opts.requeueAfter(rec.key, wait.reason === 'ErrImagePull' ? 0 : wait.until - now);
    }
    const status = this.status(pod, rec, { waiting: plan.waiting, sandboxReady: true, terminal: false });
    if (TERMINAL.has(status.phase ?? '')) return this.finish(pod, rec, false);
    await rec.statusWriter.write(pod, status);
  }

  /** Starts the planned containers one after the other; those that could not be created wait. */
  private async startAll(pod: Pod, rec: PodRecord, plan: PodPlan, now: number): Promise<void> {
    for (const start of plan.start) {
      const failed = await startContainer(this.starterDeps, pod, rec, start, now);
      if (failed) plan.waiting.set(start.container.name, failed);
    }
  }

  /** The status while containers are still being started; a failed write is left to the one that follows. */
  private async reportStarting(pod: Pod, rec: PodRecord, waiting: ReadonlyMap<string, BackoffWait>): Promise<void> {
    const status = this.status(pod, rec, { waiting, sandboxReady: true, terminal: false });
    if (TERMINAL.has(status.phase ?? '')) return;
    await rec.statusWriter.write(pod, status).catch(() => undefined);
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
      await rec.statusWriter.write(pod, rec.finalStatus);
    } catch (err) {
      if (codeOf(err) !== 404) throw err;
    }
  }

  private status(pod: Pod, rec: PodRecord, s: { waiting: ReadonlyMap<string, { until: number; message: string }>; sandboxReady: boolean; terminal: boolean }): PodStatus {
    return computePodStatus({
      pod: { ...pod, status: rec.statusWriter.previous(pod) },
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

  private event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.opts.recorder.event(asObject(pod), type, reason, message);
  }
}
