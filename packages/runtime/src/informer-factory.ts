// Shares one informer per (resource, namespace, selectors) among everyone who asks, and starts them.
import type { KObject, ResourceInfo } from '@mini-kube/api';
import { groupVersion } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { realClock } from './clock.js';
import { SharedInformer, type InformerSelection } from './informer.js';
import type { Informer, InformerFactoryOptions } from './types.js';

const DEFAULT_PAGE_SIZE = 500;

export class InformerFactory {
  private readonly informers = new Map<string, SharedInformer<KObject>>();
  private signal: AbortSignal | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly opts: InformerFactoryOptions = {},
  ) {}

  /** The shared informer of this resource and selection. Created after `start`, it starts at once. */
  informer<T extends KObject>(resource: ResourceInfo, selection: InformerSelection = {}): Informer<T> {
    const id = [groupVersion(resource), resource.plural, selection.namespace ?? '', selection.labelSelector ?? '', selection.fieldSelector ?? ''].join('|');
    let informer = this.informers.get(id);
    if (!informer) {
      informer = new SharedInformer(this.client, resource, selection, {
        clock: this.opts.clock ?? realClock,
        resyncMs: this.opts.resyncMs ?? 0,
        freeze: this.opts.freeze ?? defaultFreeze(),
        minRetryMs: this.opts.minRetryMs ?? 800,
        maxRetryMs: this.opts.maxRetryMs ?? 30_000,
        pageSize: this.opts.pageSize ?? DEFAULT_PAGE_SIZE,
      });
      this.informers.set(id, informer);
      if (this.signal && !this.signal.aborted) informer.run(this.signal);
    }
    return informer as unknown as Informer<T>;
  }

  /** Starts every informer not yet started; they run until `signal` aborts. */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const informer of this.informers.values()) informer.run(signal);
  }

  /** Resolves when every started informer has synced; rejects if `signal` aborts first. */
  async waitForSync(signal?: AbortSignal): Promise<void> {
    const started = [...this.informers.values()].filter((i) => i.isStarted);
    await Promise.all(started.map((i) => i.waitForSync(signal)));
  }
}

/** Cached objects are frozen under test runners, to catch code that mutates them. */
function defaultFreeze(): boolean {
  return process.env.VITEST !== undefined || process.env.NODE_ENV === 'test';
}
