// A sorted set of keys in chunks of bounded size: an insert or a removal moves at most one chunk's
// entries, where one sorted array would move half the store's keys (tens of thousands) every time.

/** Splits a chunk that grows past this; its halves then have room for as many inserts again. */
const MAX_CHUNK = 1024;

export class SortedKeys {
  /** Non-empty chunks (only the first may be empty, when there are no keys), in order. */
  private readonly chunks: string[][] = [[]];

  constructor(private readonly compare: (a: string, b: string) => number) {}

  /** Adds `key`, which must not be present. */
  insert(key: string): void {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c]!;
    chunk.splice(this.lowerBound(chunk, key), 0, key);
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(MAX_CHUNK >>> 1));
  }

  /** Removes `key`, which must be present. */
  remove(key: string): void {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c]!;
    chunk.splice(this.lowerBound(chunk, key), 1);
    if (chunk.length === 0 && this.chunks.length > 1) this.chunks.splice(c, 1);
  }

  /** The keys not below `from`, in order. */
  *from(from: string): Generator<string> {
    let c = this.chunkFor(from);
    for (let i = this.lowerBound(this.chunks[c]!, from); c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c]!;
      for (; i < chunk.length; i++) yield chunk[i]!;
    }
  }

  /** The chunk where `key` is or would go: the last whose first key is not above it (else the first). */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.compare(this.chunks[mid]![0]!, key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The index of the first key of `chunk` not below `key`. */
  private lowerBound(chunk: string[], key: string): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(chunk[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
