// The current value of every key, in key order, for lists answered as UTF-8 bytes (`listBytes`).
// The store fills it with one scan on the first such list and then applies each committed write to
// it right after its transaction, before the write is acknowledged: a list from the cache therefore
// reflects every acknowledged write, with no revision to wait for. A written value is kept as the
// string it came as and turned into bytes by the first list that returns it, once: writes pay
// nothing for lists that may never come.
import { SortedKeys } from './sorted-keys.js';
import type { KeyValue, ListOptions, StoreEvent } from './types.js';

/**
 * Orders keys as SQLite orders TEXT (by UTF-8 bytes, i.e. by code point). JavaScript compares
 * UTF-16 code units, which differs only where a surrogate (a character above U+FFFF) meets a
 * character in U+E000..U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate && (x >= 0xe000 || y >= 0xe000)) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The UTF-8 bytes of a value in memory of their own: Buffer.from would cut values under 4 KiB
 * out of shared 8 KiB slabs, which a long-lived cache would keep half empty.
 */
function bytesOf(value: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(value));
  bytes.write(value);
  return bytes;
}

export class ValueCache {
  private readonly values = new Map<string, KeyValue<string | Buffer>>();
  /** The keys of `values`, sorted by compareKeys. */
  private readonly keys = new SortedKeys(compareKeys);

  constructor(initial: Iterable<KeyValue<Buffer>>) {
    for (const kv of initial) this.put(kv);
  }

  /** Applies a committed event. */
  apply(event: StoreEvent): void {
    if (event.type === 'delete') this.delete(event.kv.key);
    else this.put({ ...event.kv }); // a copy: watchers may key caches on the event's own objects
  }

  /** A copy of the current entry of `key`, its value as a string (bytes already made are decoded again). */
  get(key: string): KeyValue | undefined {
    const kv = this.values.get(key);
    if (!kv) return undefined;
    return { ...kv, value: typeof kv.value === 'string' ? kv.value : kv.value.toString() };
  }

  /** The keys under `prefix` after `startAfter`, in order; one more than `limit` tells whether more follow. */
  list(prefix: string, options: ListOptions = {}): { items: KeyValue<Buffer>[]; more: boolean } {
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const after = options.startAfter !== undefined && compareKeys(options.startAfter, prefix) >= 0 ? options.startAfter : undefined;
    const items: KeyValue<Buffer>[] = [];
    for (const key of this.keys.from(after ?? prefix)) {
      if (key === after) continue;
      if (!key.startsWith(prefix)) break;
      if (items.length === limit) return { items, more: true };
      items.push(this.bytesAt(key));
    }
    return { items, more: false };
  }

  /** The entry of a present key, its value turned into bytes (and kept so) if it was a string. */
  private bytesAt(key: string): KeyValue<Buffer> {
    const kv = this.values.get(key)!;
    if (typeof kv.value !== 'string') return kv as KeyValue<Buffer>;
    const encoded = { ...kv, value: bytesOf(kv.value) };
    this.values.set(key, encoded);
    return encoded;
  }

  private put(kv: KeyValue<string | Buffer>): void {
    if (!this.values.has(kv.key)) this.keys.insert(kv.key);
    this.values.set(kv.key, kv);
  }

  private delete(key: string): void {
    if (this.values.delete(key)) this.keys.remove(key);
  }
}
