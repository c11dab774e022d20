import { describe, expect, it } from 'vitest';
import { FakeClock, WorkQueue, runController } from '../src/index.js';

describe('runController', () => {
  it('reconciles keys, retries a failing one with backoff, forgets it on success, and stops on abort', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock, baseDelayMs: 100 });
    const abort = new AbortController();
    const seen: string[] = [];
    let failuresLeft = 2;
    let succeeded!: () => void;
    const done = new Promise<void>((resolve) => (succeeded = resolve));
    const running = runController(queue, {
      name: 'test',
      workers: 2,
      signal: abort.signal,
      async reconcile(key) {
        seen.push(key);
        if (key === 'bad' && failuresLeft-- > 0) throw new Error('not yet');
        if (key === 'bad') succeeded();
      },
    });
    queue.add('good');
    queue.add('bad');
    await clock.advance(0);
    expect(seen.sort()).toEqual(['bad', 'good']);
    await clock.advance(100); // first retry after 100 ms
    expect(seen.filter((k) => k === 'bad')).toHaveLength(2);
    await clock.advance(199);
    expect(seen.filter((k) => k === 'bad')).toHaveLength(2);
    await clock.advance(1); // second retry after 200 more
    await done;
    abort.abort();
    await running;
    expect(queue.numRequeues('bad')).toBe(0);
    expect(queue.isShuttingDown).toBe(true);
  });

  it('never runs one key in two workers at once', async () => {
    const queue = new WorkQueue();
    const abort = new AbortController();
    let inFlight = 0;
    let maxInFlight = 0;
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const running = runController(queue, {
      name: 'test',
      workers: 4,
      signal: abort.signal,
      async reconcile() {
        inFlight++;
        runs++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        started();
        await gate;
        inFlight--;
      },
    });
    queue.add('k');
    await firstStarted;
    queue.add('k');
    queue.add('k');
    release();
    while (runs < 2) await new Promise((r) => setImmediate(r));
    abort.abort();
    await running;
    expect(maxInFlight).toBe(1);
    expect(runs).toBe(2);
  });
});
