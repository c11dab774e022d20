// The contract between the kubelet and a container runtime (the `sim` runtime here, the process
// runtime later), and the kubelet's own options. A runtime is to the kubelet what CRI is to the
// real one, much reduced: a pod sandbox with an IP, containers started and stopped one by one, and
// a cache of container states the kubelet reads after being told a pod's containers changed.
import type { ApiClient } from '@mini-kube/client';
import type { Clock, EventRecorder, InformerFactory } from '@mini-kube/runtime';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

export type RuntimeContainerState = 'created' | 'running' | 'exited';

/** One container instance: each restart of a spec container is a new instance (attempt + 1). */
export interface RuntimeContainer {
  /** `<runtime>://<id>`, as containerStatuses[].containerID shows it. */
  id: string;
  podUid: string;
  name: string;
  /** 0 for the first instance of a spec container, + 1 for each restart: the restartCount. */
  attempt: number;
  image: string;
  imageID: string;
  state: RuntimeContainerState;
  createdAt: number; // ms since the epoch, as every time below
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** Why it exited: `Completed`, `Error`, `OOMKilled`... */
  reason?: string;
  message?: string;
  /** The runtime's verdict on readiness when it simulates probes itself; undefined: no opinion. */
  ready?: boolean;
  /** Whether the startup probe passed (set by the kubelet's prober); undefined: started once running. */
  started?: boolean;
  /** Declared or measured usage, for the metrics API. */
  usage?: { cpu?: string; memory?: string };
}

export interface StartContainerOptions {
  attempt: number;
  /** An init container: the runtime may give it different defaults (the sim one lets it complete). */
  init: boolean;
}

/**
 * startContainer's rejection when a container cannot be created. `reason` becomes the container's
 * waiting reason (ErrImagePull, CreateContainerConfigError...) with the message, and the kubelet
 * retries with back-off (ErrImagePull then shows as ImagePullBackOff). Any error with a string
 * `reason` is taken the same way.
 */
export class ContainerStartError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The query of pods/log, as the kubelet's /containerLogs serves it. */
export interface ContainerLogOptions {
  follow?: boolean;
  previous?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  /** ms since the epoch: lines written earlier are left out. */
  sinceTime?: number;
  limitBytes?: number;
}

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr, interleaved. */
  output: string;
}

export interface Runtime {
  /** Shown as the node's containerRuntimeVersion, e.g. `sim://1.0`. */
  readonly version: string;
  /**
   * The kubelet runs the pods' liveness, readiness and startup probes (containers are real and
   * listen on the pod IP). Off: the runtime's own `ready` verdicts stand (the sim runtime).
   */
  readonly probes?: boolean;
  /**
   * Runs a command in a running container's environment (exec probes); rejects on timeout. Without
   * it the prober uses spawnExec.
   */
  exec?(containerId: string, argv: string[], timeoutMs: number): Promise<ExecResult>;
  /**
   * Starts `argv` in a running container's environment (its env, working dir and mounts) with piped
   * stdio: kubectl exec, and exec probes when `exec` is absent. Throws when the container is not running.
   */
  spawnExec?(containerId: string, argv: string[]): ChildProcessWithoutNullStreams;
  /** Measured usage of a running container: cumulative CPU time (ns) and memory working set (bytes), for the metrics API. */
  stats?(containerId: string): { cpuNanos: number; memoryBytes: number } | undefined;
  /** Prepares the pod's sandbox (network, directories) with the address the kubelet chose. */
  startSandbox(pod: Pod, net: { podIP: string; hostIP: string }): Promise<void>;
  /**
   * Creates and starts one container, resolving once it runs (as CRI's StartContainer returns once
   * started) or stopped meanwhile; it shows up in `containers` at once, in state created or running.
   */
  startContainer(pod: Pod, container: Container, opts: StartContainerOptions): Promise<RuntimeContainer>;
  /** Stops a container: the runtime's SIGTERM, then a kill once the grace period is over. Resolves when exited. */
  stopContainer(id: string, gracePeriodSeconds: number): Promise<void>;
  /** Kills what still runs in the pod and forgets its containers and sandbox. */
  removeSandbox(podUid: string): Promise<void>;
  /**
   * The pod's containers, oldest first. A runtime keeps at least the newest two instances of each
   * container name (the kubelet reports the previous one as lastState) until the sandbox is removed.
   */
  containers(podUid: string): RuntimeContainer[];
  /** Calls `listener` with a pod's uid whenever one of its containers changes state. Returns an unsubscribe. */
  onChange(listener: (podUid: string) => void): () => void;
  /**
   * A container's log (the newest instance, or the one before with `previous`), ended when the
   * container exits in follow mode or when `signal` aborts; undefined when there is no such log.
   * Optional: a runtime without it has no logs to show.
   */
  logs?(podUid: string, container: string, opts: ContainerLogOptions, signal?: AbortSignal): AsyncIterable<Buffer> | undefined;
  /** Kills containers an earlier run of the daemon left running; the kubelet calls it before syncing pods. */
  cleanupLeftovers?(): Promise<number>;
  /** Why containers' resource limits are not enforced on this node; undefined when they are. */
  unenforcedLimits?(): string | undefined;
  /** Releases the runtime when its kubelet stops (the sim runtime drops its timers; a process runtime may leave processes be). */
  close(): Promise<void>;
}

export interface KubeletOptions {
  client: ApiClient;
  nodeName: string;
  /** 1-based: the node's address is 127.10.0.N and its pod CIDR 127.244.N.0/24 (see addresses.ts). */
  nodeIndex: number;
  /** Overrides the nodeIndex-derived address and pod CIDR (a /24), e.g. to keep several daemons apart. */
  address?: string;
  podCIDR?: string;
  capacity?: { cpu?: string; memory?: string; pods?: number };
  runtime: Runtime;
  /** A shared pod informer factory when many kubelets run in one process; the caller starts it. */
  informers?: InformerFactory;
  clock?: Clock;
  signal: AbortSignal;
  /** How often the node's Lease is renewed (10 s). */
  leaseRenewMs?: number;
  leaseDurationSeconds?: number; // 40
  /** How often the node status is posted when nothing changed (5 min, the kubelet's nodeStatusReportFrequency). */
  nodeStatusReportMs?: number;
  /** Restart back-off of crashing containers: first delay and cap (10 s, 300 s). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  recorder?: EventRecorder;
}

export interface Kubelet {
  readonly nodeName: string;
  stop(): Promise<void>;
  /** Admin hook: stop (or resume) renewing the lease and posting node status, to simulate a dead node. */
  setHeartbeat(enabled: boolean): void;
}
