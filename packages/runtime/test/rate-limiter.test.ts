import { describe, expect, it } from 'vitest';
import { FakeClock, TokenBucket } from '../src/index.js';

/** How many of `n` calls at the clock's current time are accepted. */
const accepted = (bucket: TokenBucket, n: number): number => Array.from({ length: n }, () => bucket.tryAccept()).filter(Boolean).length;

describe('TokenBucket', () => {
  it('accepts a burst at once, then qps a second, never more than the burst after idling', async () => {
    const clock = new FakeClock(1_000_000);
    const bucket = new TokenBucket({ qps: 50, burst: 100, clock });
    expect(accepted(bucket, 150)).toBe(100);
    expect(bucket.denied).toBe(50);
    await clock.advance(200); // 10 tokens
    expect(accepted(bucket, 20)).toBe(10);
    await clock.advance(60_000); // refills to the burst, not beyond
    expect(accepted(bucket, 500)).toBe(100);
  });

  it('refills fractional rates: one per five minutes', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ qps: 1 / 300, burst: 2, clock });
    expect(accepted(bucket, 3)).toBe(2);
    await clock.advance(299_000);
    expect(bucket.tryAccept()).toBe(false);
    await clock.advance(1_000);
    expect(bucket.tryAccept()).toBe(true);
  });

  it('refuses a burst below one', () => {
    expect(() => new TokenBucket({ qps: 1, burst: 0 })).toThrow(/burst/);
  });
});
