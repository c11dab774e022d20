// Records core/v1 Events about objects, as client-go's recorder does: a repeat of the same
// (object, type, reason, message) within ten minutes bumps `count` and `lastTimestamp` of the
// existing Event with a patch instead of creating another. Fire and forget: `event` never throws,
// writes happen one at a time in the background, and a backlog beyond a bound is dropped.
import type { KObject } from '@mini-kube/api';
import { findResource } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import { realClock } from './clock.js';
import type { Clock } from './types.js';

export interface EventRecorderOptions {
  component: string;
  host?: string;
  clock?: Clock;
}

export type EventType = 'Normal' | 'Warning';

interface Recorded {
  name: string;
  namespace: string;
  count: number;
  lastSeenMs: number;
}

const EVENTS = findResource('', 'v1', 'events')!;
const AGGREGATE_WINDOW_MS = 10 * 60_000;
const MAX_BACKLOG = 1000;
const MAX_REMEMBERED = 4096;

export class EventRecorder {
  /** Aggregation key → the Event written for it; insertion order doubles as LRU order. */
  private readonly recorded = new Map<string, Recorded>();
  private backlog = 0;
  private tail: Promise<void> = Promise.resolve();
  private readonly clock: Clock;
  private seq = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly opts: EventRecorderOptions,
  ) {
    this.clock = opts.clock ?? realClock;
  }

  event(obj: KObject, type: EventType, reason: string, message: string): void {
    if (this.backlog >= MAX_BACKLOG) return; // like client-go, drop rather than block the caller
    this.backlog++;
    const at = this.clock.now();
    // Copy what is needed now: the caller may go on to change its object.
    const involved = involvedObject(obj);
    this.tail = this.tail
      .then(() => this.write(involved, type, reason, message, at))
      .catch((err: unknown) => console.warn(`${this.opts.component}: could not record event ${reason} on ${involved.name}: ${String(err)}`))
      .finally(() => this.backlog--);
  }

  /** Resolves when every event recorded so far has been written (or dropped). */
  flush(): Promise<void> {
    return this.tail;
  }

  private async write(involved: InvolvedObject, type: EventType, reason: string, message: string, at: number): Promise<void> {
    const key = [involved.uid ?? '', involved.kind ?? '', involved.namespace ?? '', involved.name, type, reason, message].join('\u0000');
    const previous = this.recorded.get(key);
    const timestamp = formatTime(at);
    if (previous && at - previous.lastSeenMs < AGGREGATE_WINDOW_MS) {
      try {
        await this.client.patch(EVENTS, previous.name, { count: previous.count + 1, lastTimestamp: timestamp }, { namespace: previous.namespace });
        this.remember(key, { ...previous, count: previous.count + 1, lastSeenMs: at });
        return;
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
        // The Event was deleted (or expired): record a new one.
      }
    }
    const namespace = involved.namespace ?? 'default';
    const name = `${involved.name}.${this.uniqueSuffix(at)}`;
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involved,
      reason,
      message,
      type,
      source: { component: this.opts.component, ...(this.opts.host ? { host: this.opts.host } : {}) },
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
      eventTime: null,
    };
    await this.client.create(EVENTS, event, { namespace });
    this.remember(key, { name, namespace, count: 1, lastSeenMs: at });
  }

  private remember(key: string, entry: Recorded): void {
    this.recorded.delete(key);
    this.recorded.set(key, entry);
    if (this.recorded.size > MAX_REMEMBERED) this.recorded.delete(this.recorded.keys().next().value!);
  }

  /** The time in nanoseconds, in hex, as client-go names Events; a counter keeps one ms unique. */
  private uniqueSuffix(at: number): string {
    return (BigInt(at) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16);
  }
}

interface InvolvedObject {
  kind?: string;
  namespace?: string;
  name: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

function involvedObject(obj: KObject): InvolvedObject {
  const { namespace, name = '', uid, resourceVersion } = obj.metadata;
  return { kind: obj.kind, namespace, name, uid, apiVersion: obj.apiVersion, resourceVersion };
}

/** metav1.Time: RFC 3339 at second precision. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
