// Exponential backoff with jitter for retrying list and watch calls.
import type { Clock } from './types.js';

export class Backoff {
  private failures = 0;

  constructor(
    private readonly clock: Clock,
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  /** Number of failures since the last reset. */
  get streak(): number {
    return this.failures;
  }

  reset(): void {
    this.failures = 0;
  }

  /** The delay of the next retry: initial · 2^failures capped at max, ±10% so clients spread out. */
  next(): number {
    const base = Math.min(this.initialMs * 2 ** this.failures, this.maxMs);
    this.failures++;
    return Math.round(base * (0.9 + Math.random() * 0.2));
  }

  wait(signal: AbortSignal): Promise<void> {
    return this.clock.sleep(this.next(), signal);
  }
}
