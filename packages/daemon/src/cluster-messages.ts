// The messages between the daemon's main thread (store, API server) and the cluster thread
// (controllers, scheduler, kubelets, proxy), which talk to each other only through the API.
import type { MessagePort } from 'node:worker_threads';
import type { DaemonConfig } from './flags.js';

/** What the cluster thread starts from (its workerData). */
export interface ClusterThreadData {
  config: DaemonConfig;
  apiUrl: string;
  /** The components' in-process transport to the API server (api-channel-messages.ts). */
  apiPort: MessagePort;
}

export type ToClusterThread = { type: 'heartbeat'; node: string; enabled: boolean } | { type: 'stop' };

export type FromClusterThread =
  | { type: 'started'; nodes: string[] }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };
