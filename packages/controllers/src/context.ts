// What every controller of the controller manager is given. A controller is a function that
// registers its informers and handlers on `informers`, then runs its workers until `signal` aborts.
import type { ApiClient } from '@mini-kube/client';
import type { Clock, EventRecorder, InformerFactory } from '@mini-kube/runtime';

export interface ControllerManagerOptions {
  /** A node whose Lease is older than this is NotReady/Unknown (Kubernetes: 40 s). */
  nodeMonitorGracePeriodMs: number;
  /** How often node health is checked (Kubernetes: 5 s). */
  nodeMonitorPeriodMs: number;
  /**
   * Workers per controller. Upstream runs 5 syncs of a kind at once; ours wait on round trips to an
   * API server that shares the machine, so more of them keep both of the daemon's threads busy
   * (1,000 one-replica Deployments, over loopback HTTP: 156 Ready/s with 4 workers, 215 with 16, 241 with 32).
   */
  workers: number;
  /** The daemon's data dir, where the local-path provisioner keeps volumes (it is off without one). */
  dataDir?: string;
}

export const DEFAULT_CONTROLLER_MANAGER_OPTIONS: ControllerManagerOptions = {
  nodeMonitorGracePeriodMs: 40_000,
  nodeMonitorPeriodMs: 5_000,
  workers: 32,
};

export interface ControllerContext {
  client: ApiClient;
  /** Shared by all controllers (and, in the daemon, by every component): one informer per resource. */
  informers: InformerFactory;
  /** An event recorder reporting as `component` (e.g. "deployment-controller"). */
  recorder(component: string): EventRecorder;
  clock: Clock;
  signal: AbortSignal;
  options: ControllerManagerOptions;
}

/** Registers informers and handlers synchronously; returns the promise of its running workers. */
export type Controller = (ctx: ControllerContext) => Promise<void>;
