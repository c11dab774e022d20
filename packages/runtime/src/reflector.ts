// The reflector keeps a sink in step with the server: list (paged), then watch from the list's
// resourceVersion; rewatch from the last seen version when a watch ends; relist on 410 Expired
// (as an ERROR event or an error answer); retry failures with backoff.
import type { KObject, ResourceInfo } from '@mini-kube/api';
import { groupVersion } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError, type StatusBody } from '@mini-kube/machinery';
import { Backoff } from './backoff.js';
import type { Clock } from './types.js';

export interface ReflectorSink<T> {
  /** The complete current state, after a (re)list. */
  replace(items: T[]): void;
  added(obj: T): void;
  modified(obj: T): void;
  deleted(obj: T): void;
}

export interface ReflectorOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  clock: Clock;
  /** Called on every object the server sends, before the sink sees it (e.g. to freeze it). */
  prepare: (obj: KObject) => void;
  /** Watch events come without metadata.managedFields, never decoded (for a `prepare` that drops them). */
  omitManagedFields?: boolean;
  minRetryMs: number;
  maxRetryMs: number;
  pageSize: number;
}

/** Watches end server-side after 5–10 minutes (as client-go asks), spreading reconnects out. */
const watchTimeoutSeconds = (): number => 300 + Math.floor(Math.random() * 300);
/** A watch that ends this fast without an event is treated as a failure, to avoid a hot loop. */
const SHORT_WATCH_MS = 1000;

export const isExpired = (err: unknown): boolean => err instanceof StatusError && err.code === 410;

export class Reflector<T extends KObject> {
  /** Where the next watch starts; undefined when a list is needed. */
  private resourceVersion: string | undefined;
  private readonly backoff: Backoff;

  constructor(
    private readonly client: ApiClient,
    private readonly resource: ResourceInfo,
    private readonly sink: ReflectorSink<T>,
    private readonly opts: ReflectorOptions,
  ) {
    this.backoff = new Backoff(opts.clock, opts.minRetryMs, opts.maxRetryMs);
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        if (this.resourceVersion === undefined) {
          this.resourceVersion = await this.list();
          if (signal.aborted) return;
        }
        await this.watch(signal);
      } catch (err) {
        if (signal.aborted) return;
        const firstFailure = this.backoff.streak === 0;
        // An expired version needs a relist; so does any error the server answered (not a dropped
        // connection or an overloaded server, which a rewatch from the same version can ride out).
        if (isExpired(err) || (err instanceof StatusError && err.code < 500 && err.code !== 429)) {
          this.resourceVersion = undefined;
        }
        if (isExpired(err) && firstFailure) {
          this.backoff.next(); // counts, so that a relist that expires again waits
          continue;
        }
        this.warn(err);
        await this.backoff.wait(signal);
      }
    }
  }

  private async list(): Promise<string> {
    const { namespace, labelSelector, fieldSelector, pageSize } = this.opts;
    const items: T[] = [];
    let resourceVersion: string | undefined;
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.list<T>(this.resource, { namespace, labelSelector, fieldSelector, limit: pageSize, continue: token });
      } catch (err) {
        if (!token || !isExpired(err)) throw err;
        // The continue token expired: start over with one unpaged list.
        items.length = 0;
        page = await this.client.list<T>(this.resource, { namespace, labelSelector, fieldSelector });
      }
      // Pages are read at different revisions; watching from the first replays what changed since,
      // and the informer drops replayed events older than what it holds.
      resourceVersion ??= page.metadata.resourceVersion;
      for (const item of page.items) {
        this.withTypeMeta(item);
        this.opts.prepare(item);
        items.push(item);
      }
      token = page.metadata.continue || undefined;
    } while (token);
    this.sink.replace(items);
    return resourceVersion ?? '0';
  }

  private async watch(signal: AbortSignal): Promise<void> {
    const { namespace, labelSelector, fieldSelector, clock } = this.opts;
    const started = clock.now();
    let received = 0;
    const stream = this.client.watch<T>(this.resource, {
      namespace,
      labelSelector,
      fieldSelector,
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: watchTimeoutSeconds(),
      signal,
      omitManagedFields: this.opts.omitManagedFields,
    });
    for await (const event of stream) {
      if (event.type === 'ERROR') throw StatusError.fromStatus(event.object as unknown as StatusBody);
      received++;
      const obj = event.object;
      if (event.type !== 'BOOKMARK') {
        this.opts.prepare(obj);
        if (event.type === 'ADDED') this.sink.added(obj);
        else if (event.type === 'MODIFIED') this.sink.modified(obj);
        else if (event.type === 'DELETED') this.sink.deleted(obj);
      }
      this.resourceVersion = obj.metadata?.resourceVersion ?? this.resourceVersion;
      if (received === 1) this.backoff.reset();
    }
    if (signal.aborted) return;
    if (received === 0 && clock.now() - started < SHORT_WATCH_MS) throw new Error('the watch closed at once without an event');
    this.backoff.reset();
  }

  private withTypeMeta(item: T): void {
    // List items come without kind and apiVersion; watch events have them. Cache objects always do.
    item.kind ??= this.resource.kind;
    item.apiVersion ??= groupVersion(this.resource);
  }

  private warn(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    const what = this.opts.namespace ? `${this.resource.plural} in ${this.opts.namespace}` : this.resource.plural;
    console.warn(`informer ${what}: list/watch failed (retrying): ${message}`);
  }
}
