// A shared informer: one reflector filling one cache, fanning changes out to event handlers.
// Handlers run synchronously in the order the changes happen; they should only enqueue keys.
import type { KObject, ResourceInfo } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { Cache } from './cache.js';
import { objectKey } from './keys.js';
import { Reflector, type ReflectorSink } from './reflector.js';
import type { Clock, EventHandlers, IndexFunc, Informer } from './types.js';

export interface InformerSelection {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface InformerConfig {
  clock: Clock;
  resyncMs: number;
  /** Deep-freeze cached objects so a handler or lister user that mutates one fails loudly. */
  freeze: boolean;
  minRetryMs: number;
  maxRetryMs: number;
  pageSize: number;
}

export class SharedInformer<T extends KObject = KObject> implements Informer<T>, ReflectorSink<T> {
  private readonly cache = new Cache<T>();
  private readonly handlers: EventHandlers<T>[] = [];
  private synced = false;
  private started = false;
  private readonly syncWaiters: Array<() => void> = [];

  constructor(
    private readonly client: ApiClient,
    readonly resource: ResourceInfo,
    private readonly selection: InformerSelection,
    private readonly config: InformerConfig,
  ) {}

  get lister(): Cache<T> {
    return this.cache;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves after the first list has filled the cache, or when `signal` aborts (then rejects). */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason ?? new Error('aborted'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** Registers handlers; those added after objects were cached get an `onAdd` for each first. */
  addEventHandler(handlers: EventHandlers<T>): void {
    this.handlers.push(handlers);
    if (!handlers.onAdd) return;
    for (const obj of this.cache.list()) {
      try {
        handlers.onAdd(obj);
      } catch (err) {
        this.handlerFailed(err);
      }
    }
  }

  /** Adds an index; allowed at any time (it is built over the current cache). */
  addIndex(name: string, fn: IndexFunc<T>): void {
    this.cache.addIndex(name, fn);
  }

  byIndex(name: string, value: string): T[] {
    return this.cache.byIndex(name, value);
  }

  /** Runs until `signal` aborts. Starting twice is a no-op. */
  run(signal: AbortSignal): void {
    if (this.started) return;
    this.started = true;
    const { clock } = this.config;
    const reflector = new Reflector<T>(this.client, this.resource, this, {
      ...this.selection,
      clock,
      prepare: this.config.freeze ? (obj) => deepFreeze(forCache(obj)) : forCache,
      omitManagedFields: true, // forCache drops them anyway
      minRetryMs: this.config.minRetryMs,
      maxRetryMs: this.config.maxRetryMs,
      pageSize: this.config.pageSize,
    });
    reflector.run(signal).catch((err: unknown) => console.error(`informer ${this.resource.plural} stopped:`, err));
    if (this.config.resyncMs > 0) this.scheduleResync(signal);
  }

  get isStarted(): boolean {
    return this.started;
  }

  // ---- ReflectorSink: apply changes to the cache, then tell the handlers ----

  replace(items: T[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(objectKey(obj));
      const old = this.cache.upsert(obj);
      if (!old) this.notifyAdd(obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.notifyUpdate(old, obj);
    }
    const gone = [...this.cache.keys()].filter((key) => !seen.has(key));
    for (const key of gone) this.notifyDelete(this.cache.remove(key)!);
    if (!this.synced) {
      this.synced = true;
      for (const wake of this.syncWaiters.splice(0)) wake();
    }
  }

  added(obj: T): void {
    this.modified(obj);
  }

  modified(obj: T): void {
    const key = objectKey(obj);
    const old = this.cache.getByKey(key);
    if (old && isOlder(obj, old)) return; // replayed after a paged list; the cache is newer
    this.cache.upsert(obj, key);
    if (old) this.notifyUpdate(old, obj);
    else this.notifyAdd(obj);
  }

  deleted(obj: T): void {
    const old = this.cache.getByKey(objectKey(obj));
    if (!old || isOlder(obj, old)) return;
    this.cache.remove(objectKey(obj));
    this.notifyDelete(obj);
  }

  private scheduleResync(signal: AbortSignal): void {
    let timer: { cancel(): void } | undefined;
    const tick = (): void => {
      if (signal.aborted) return;
      if (this.synced) this.resync();
      timer = this.config.clock.setTimeout(tick, this.config.resyncMs);
    };
    timer = this.config.clock.setTimeout(tick, this.config.resyncMs);
    signal.addEventListener('abort', () => timer?.cancel(), { once: true });
  }

  /** Re-delivers every cached object as an update to itself, so level-triggered loops re-check. */
  private resync(): void {
    for (const obj of this.cache.list()) this.notifyUpdate(obj, obj);
  }

  // No closure per call: these run for every event of every informer. Each handler is called as a
  // method of its handlers object, and one that throws must not stop the others or the informer.
  private notifyAdd(obj: T): void {
    for (const h of this.handlers) {
      try {
        h.onAdd?.(obj);
      } catch (err) {
        this.handlerFailed(err);
      }
    }
  }

  private notifyUpdate(old: T, obj: T): void {
    for (const h of this.handlers) {
      try {
        h.onUpdate?.(old, obj);
      } catch (err) {
        this.handlerFailed(err);
      }
    }
  }

  private notifyDelete(obj: T): void {
    for (const h of this.handlers) {
      try {
        h.onDelete?.(obj);
      } catch (err) {
        this.handlerFailed(err);
      }
    }
  }

  private handlerFailed(err: unknown): void {
    console.error(`informer ${this.resource.plural}: event handler failed:`, err);
  }
}

/** resourceVersions are the store's global revision here, so they compare as numbers. */
function isOlder(obj: KObject, than: KObject): boolean {
  const a = Number(obj.metadata.resourceVersion);
  const b = Number(than.metadata.resourceVersion);
  return Number.isFinite(a) && Number.isFinite(b) && a < b;
}

/**
 * Drops what no informer user reads before the object is cached: managedFields, often half of a
 * pod's JSON, kept once per cached object (client-go users strip them with a transform). An
 * update sent from a cached copy leaves them as they are: a write without managedFields keeps
 * the stored ones.
 */
function forCache<T extends KObject>(obj: T): T {
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
