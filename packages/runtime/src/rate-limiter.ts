// A token bucket that never waits (client-go's flowcontrol token bucket, TryAccept only): it holds
// up to `burst` tokens and gains `qps` a second; each accepted call takes one. Event recorders use it
// to drop what is over budget instead of queueing it; several recorders may share one bucket.
import { realClock } from './clock.js';
import type { Clock } from './types.js';

export interface TokenBucketOptions {
  /** Tokens gained per second (may be fractional: 1/300 is one per five minutes). */
  qps: number;
  /** The most tokens held, and the number available at first. */
  burst: number;
  clock?: Clock;
}

export class TokenBucket {
  private tokens: number;
  private lastMs: number;
  private deniedCount = 0;
  private readonly clock: Clock;

  constructor(private readonly opts: TokenBucketOptions) {
    if (!(opts.burst >= 1) || !(opts.qps >= 0)) throw new Error(`token bucket: burst must be ≥ 1 and qps ≥ 0, got ${opts.burst}, ${opts.qps}`);
    this.clock = opts.clock ?? realClock;
    this.tokens = opts.burst;
    this.lastMs = this.clock.now();
  }

  /** Takes a token if one is available. */
  tryAccept(): boolean {
    const now = this.clock.now();
    // A clock that went backwards adds nothing (and must not take tokens away either).
    const elapsed = Math.max(0, now - this.lastMs);
    this.tokens = Math.min(this.opts.burst, this.tokens + (elapsed / 1000) * this.opts.qps);
    this.lastMs = Math.max(this.lastMs, now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.deniedCount++;
    return false;
  }

  /** Returns the token an accepted call took and did not use. */
  giveBack(): void {
    this.tokens = Math.min(this.opts.burst, this.tokens + 1);
  }

  /** How many calls were refused so far. */
  get denied(): number {
    return this.deniedCount;
  }
}
