// What to write for each recorded Event, as client-go's EventCorrelator decides it (events_cache.go):
//  1. aggregate: from the 10th distinct message of the same (object, type, reason) within ten
//     minutes on, the events become one "(combined from similar events): …" Event;
//  2. dedupe: a repeat of an Event written within ten minutes bumps its count (a patch), not a new one;
//  3. spam filter: per (object, type, reason), 25 writes, then one per five minutes.
// Synchronous and free of I/O: the recorder performs the writes it returns.
import type { Clock } from './types.js';
import { TokenBucket, type TokenBucketOptions } from './rate-limiter.js';

export interface InvolvedObject {
  kind?: string;
  namespace?: string;
  name: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

export interface EventInput {
  involved: InvolvedObject;
  type: string;
  reason: string;
  message: string;
}

/** An Event to create, or an existing one to patch with a new count, lastTimestamp and message. */
export interface EventWrite {
  action: 'create' | 'patch';
  name: string;
  namespace: string;
  message: string;
  count: number;
  firstMs: number;
  lastMs: number;
}

/** One correlator per source of Events (component and host), as client-go has one per recorder. */
export interface CorrelatorOptions {
  clock: Clock;
  /** Names a new Event of this object (client-go: name.<hex nanoseconds>). */
  newName(involved: InvolvedObject, at: number): string;
}

export const COMBINED_PREFIX = '(combined from similar events): ';
const WINDOW_MS = 10 * 60_000;
const MAX_SIMILAR = 10;
const SPAM_BURST = 25;
const SPAM_QPS = 1 / 300;
const MAX_KEYS = 4096;

interface Similar {
  messages: Set<string>;
  lastMs: number;
}

interface Written {
  name: string;
  namespace: string;
  count: number;
  firstMs: number;
  lastMs: number;
}

export class EventCorrelator {
  private readonly similar = new Lru<Similar>();
  private readonly written = new Lru<Written>();
  private readonly spam = new Lru<TokenBucket>();
  private readonly spamLimits: TokenBucketOptions;

  constructor(private readonly opts: CorrelatorOptions) {
    this.spamLimits = { qps: SPAM_QPS, burst: SPAM_BURST, clock: opts.clock };
  }

  /** The write for this event at `at` (ms), or undefined when the spam filter drops it. */
  correlate(event: EventInput, at: number): EventWrite | undefined {
    const objectKey = keyOf(event);
    const { message, key } = this.aggregate(objectKey, event.message, at);
    // The observation counts even when the write is then filtered, as in client-go.
    const write = this.observe(key, event.involved, message, at);
    return this.allow(objectKey) ? write : undefined;
  }

  private aggregate(objectKey: string, message: string, at: number): { message: string; key: string } {
    let record = this.similar.get(objectKey);
    if (!record || at - record.lastMs >= WINDOW_MS) record = { messages: new Set(), lastMs: at };
    record.messages.add(message);
    record.lastMs = at;
    this.similar.set(objectKey, record);
    if (record.messages.size < MAX_SIMILAR) return { message, key: `${objectKey}\u0000${message}` };
    record.messages.delete(message); // the set never grows past the limit
    return { message: COMBINED_PREFIX + message, key: objectKey };
  }

  private observe(key: string, involved: InvolvedObject, message: string, at: number): EventWrite {
    const previous = this.written.get(key);
    if (previous && at - previous.lastMs < WINDOW_MS) {
      const next = { ...previous, count: previous.count + 1, lastMs: at };
      this.written.set(key, next);
      return { action: 'patch', message, ...next };
    }
    const entry = { name: this.opts.newName(involved, at), namespace: involved.namespace ?? 'default', count: 1, firstMs: at, lastMs: at };
    this.written.set(key, entry);
    return { action: 'create', message, ...entry };
  }

  private allow(objectKey: string): boolean {
    let bucket = this.spam.get(objectKey);
    if (!bucket) bucket = new TokenBucket(this.spamLimits);
    this.spam.set(objectKey, bucket);
    return bucket.tryAccept();
  }
}

/**
 * The (object, type, reason) an event is about, as the caches' key. client-go's also names the
 * source, which is one per correlator here. These keys stay for up to MAX_KEYS events per
 * correlator (kubelets: one per node), so they are short: an object with a uid is named by it
 * alone, as a uid names one object.
 */
function keyOf({ involved: o, type, reason }: EventInput): string {
  const object = o.uid ? o.uid : [o.kind ?? '', o.namespace ?? '', o.name, o.apiVersion ?? ''].join('\u0000');
  return `${object}\u0000${type}\u0000${reason}`;
}

/**
 * A map bounded to MAX_KEYS entries; `set` refreshes an entry and, when full, evicts the least
 * recently set eighth. (Evicting one key per set is slow once full: V8's Map leaves deleted entries
 * in place until it rehashes, and each lookup of the first key walks past all of them.)
 */
class Lru<V> {
  private readonly map = new Map<string, V>();

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size <= MAX_KEYS) return;
    let evicted = 0;
    for (const oldest of this.map.keys()) {
      if (evicted++ === MAX_KEYS / 8) break;
      this.map.delete(oldest);
    }
  }
}
