// The contract of the controller runtime: what every controller, the scheduler, the kubelets and the
// proxy build on. Informers keep a cache of one resource (list, then watch; relist on 410); listers
// read that cache; work queues feed reconcile loops. Implementations live beside this file.
import type { KObject, ResourceInfo } from '@mini-kube/api';
import type { Selector } from '@mini-kube/machinery';

/** Time, injectable so tests can drive it. Real time by default (`realClock`). */
export interface Clock {
  now(): number; // ms since the epoch
  setTimeout(fn: () => void, ms: number): { cancel(): void };
  /** Resolves after `ms`, or early when `signal` aborts (it never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface EventHandlers<T extends KObject = KObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** The last known state of a deleted object. */
  onDelete?(obj: T): void;
}

/** Read-only access to an informer's cache. Never mutate what it returns. */
export interface Lister<T extends KObject = KObject> {
  get(namespace: string | undefined, name: string): T | undefined;
  /** All objects, or one namespace's, optionally filtered by a label selector. */
  list(namespace?: string, selector?: Selector): T[];
}

export type IndexFunc<T extends KObject = KObject> = (obj: T) => string[];

export interface Informer<T extends KObject = KObject> {
  readonly resource: ResourceInfo;
  addEventHandler(handlers: EventHandlers<T>): void;
  /** Adds an index (best before start; added later it is built over the cache); `byIndex` then answers from it. */
  addIndex(name: string, fn: IndexFunc<T>): void;
  byIndex(name: string, value: string): T[];
  readonly lister: Lister<T>;
  hasSynced(): boolean;
}

export interface InformerFactoryOptions {
  /** Resync period: every cached object is re-delivered as an update this often (0 = never). */
  resyncMs?: number;
  /** Drives resync and the retry backoff of list/watch. */
  clock?: Clock;
  /** Deep-freeze cached objects (default: under vitest or NODE_ENV=test). Never mutate them anyway. */
  freeze?: boolean;
  /** Backoff of failed lists and watches: first delay and cap, ms (default 800 ms … 30 s). */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** `limit` of each list page (default 500). */
  pageSize?: number;
}

/** The keys of work queues: `namespace/name`, or `name` for cluster-scoped objects. */
export type ObjectKey = string;

export interface WorkQueueOptions {
  /** Per-key exponential backoff for `addRateLimited`: base and cap, ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
}

export interface ControllerOptions {
  name: string;
  workers?: number;
  /** One reconcile of one key. Throwing requeues the key with backoff. */
  reconcile(key: ObjectKey): Promise<void>;
  signal: AbortSignal;
}
