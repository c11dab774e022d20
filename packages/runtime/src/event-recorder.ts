// Records core/v1 Events about objects, as client-go's recorder does. What to write is decided by
// the EventCorrelator (aggregation of similar events, repeats counted into `count`, a per-object
// spam filter); then a token bucket bounds the writes per second of this recorder, or of a group of
// recorders sharing one (the kubelet's eventRecordQPS): events over budget are dropped and counted.
// Fire and forget: `event` never throws, writes happen one at a time in the background, and a
// backlog beyond a bound is dropped too.
import type { KObject } from '@mini-kube/api';
import { findResource } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError, formatTime } from '@mini-kube/machinery';
import { realClock } from './clock.js';
import { EventCorrelator, type EventWrite, type InvolvedObject } from './event-correlator.js';
import { TokenBucket } from './rate-limiter.js';
import type { Clock } from './types.js';

export interface EventRecorderOptions {
  component: string;
  host?: string;
  clock?: Clock;
  /** Writes per second of this recorder and its burst (default 50 and 100, the kubelet's defaults). */
  qps?: number;
  burst?: number;
  /** A budget shared with other recorders (e.g. every kubelet of a daemon); replaces qps and burst. */
  limiter?: TokenBucket;
}

export type EventType = 'Normal' | 'Warning';

const EVENTS = findResource('', 'v1', 'events')!;
const MAX_BACKLOG = 1000;
export const DEFAULT_EVENT_QPS = 50;
export const DEFAULT_EVENT_BURST = 100;

export class EventRecorder {
  private backlog = 0;
  private droppedCount = 0;
  private tail: Promise<void> = Promise.resolve();
  private readonly clock: Clock;
  private readonly correlator: EventCorrelator;
  private readonly limiter: TokenBucket;
  private seq = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly opts: EventRecorderOptions,
  ) {
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.limiter ?? new TokenBucket({ qps: opts.qps ?? DEFAULT_EVENT_QPS, burst: opts.burst ?? DEFAULT_EVENT_BURST, clock: this.clock });
    this.correlator = new EventCorrelator({
      clock: this.clock,
      newName: (involved, at) => `${involved.name}.${this.uniqueSuffix(at)}`,
    });
  }

  event(obj: KObject, type: EventType, reason: string, message: string): void {
    // Like client-go, drop rather than block the caller. The budget is asked first: under load most
    // events are over it, and correlating one costs more than dropping it.
    if (this.backlog >= MAX_BACKLOG || !this.limiter.tryAccept()) {
      this.droppedCount++;
      return;
    }
    // Copy what is needed now: the caller may go on to change its object.
    const involved = involvedObject(obj);
    const write = this.correlator.correlate({ involved, type, reason, message }, this.clock.now());
    if (!write) {
      this.limiter.giveBack(); // spam-filtered: nothing is written
      this.droppedCount++;
      return;
    }
    this.backlog++;
    this.tail = this.tail
      .then(() => this.write(involved, type, reason, write))
      .catch((err: unknown) => {
        // Events still queued when the component stops are dropped, as client-go's broadcaster drops them.
        if (!this.client.closed) console.warn(`${this.opts.component}: could not record event ${reason} on ${involved.name}: ${String(err)}`);
      })
      .finally(() => this.backlog--);
  }

  /** Resolves when every event recorded so far has been written (or dropped). */
  flush(): Promise<void> {
    return this.tail;
  }

  /** Events not written: spam-filtered, over the rate budget, or over the backlog bound. */
  get dropped(): number {
    return this.droppedCount;
  }

  private async write(involved: InvolvedObject, type: EventType, reason: string, w: EventWrite): Promise<void> {
    if (w.action === 'patch') {
      try {
        await this.client.patch(EVENTS, w.name, { count: w.count, lastTimestamp: formatTime(w.lastMs), message: w.message }, { namespace: w.namespace, discardResult: true });
        return;
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
        // The Event was deleted, expired, or its creation was dropped: create it afresh.
      }
    }
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: w.name, namespace: w.namespace },
      involvedObject: involved,
      reason,
      message: w.message,
      type,
      source: { component: this.opts.component, ...(this.opts.host ? { host: this.opts.host } : {}) },
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
      firstTimestamp: formatTime(w.firstMs),
      lastTimestamp: formatTime(w.lastMs),
      count: w.count,
      eventTime: null,
    };
    await this.client.create(EVENTS, event, { namespace: w.namespace, discardResult: true });
  }

  /** The time in nanoseconds, in hex, as client-go names Events; a counter keeps one ms unique. */
  private uniqueSuffix(at: number): string {
    return (BigInt(at) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16);
  }
}

function involvedObject(obj: KObject): InvolvedObject {
  const { namespace, name = '', uid, resourceVersion } = obj.metadata;
  return { kind: obj.kind, namespace, name, uid, apiVersion: obj.apiVersion, resourceVersion };
}
