import { describe, expect, it } from 'vitest';
import { FakeClock, WorkQueue } from '../src/index.js';

describe('WorkQueue', () => {
  it('hands a key added many times while queued out once', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.length).toBe(0);
  });

  it('never gives one key to two workers: re-added while processing, it comes back after done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const key = await q.get();
    q.add('a');
    expect(q.length).toBe(0); // held back while 'a' is processed
    const second = q.get();
    let handed = false;
    void second.then(() => (handed = true));
    await Promise.resolve();
    expect(handed).toBe(false);
    q.done(key!);
    expect(await second).toBe('a');
  });

  it('wakes a waiting getter on add, and every getter with undefined on shutDown', async () => {
    const q = new WorkQueue();
    const first = q.get();
    q.add('x');
    expect(await first).toBe('x');
    const waiting = [q.get(), q.get()];
    q.add('y'); // goes to the first waiter
    q.shutDown();
    expect(await Promise.all(waiting)).toEqual(['y', undefined]);
    q.add('z');
    expect(await q.get()).toBeUndefined();
  });

  it('backs off exponentially per key with addRateLimited, capped, and forget resets it', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, baseDelayMs: 10, maxDelayMs: 35 });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now();
      q.addRateLimited('k');
      while (q.length === 0) await clock.advance(1);
      delays.push(clock.now() - start);
      q.done((await q.get())!);
    }
    expect(delays).toEqual([10, 20, 35, 35]);
    expect(q.numRequeues('k')).toBe(4);
    q.forget('k');
    q.addRateLimited('k');
    await clock.advance(9);
    expect(q.length).toBe(0);
    await clock.advance(1);
    expect(q.length).toBe(1);
  });

  it('uses the default backoff of 5 ms doubling per failure', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addRateLimited('k');
    q.addRateLimited('k'); // second failure: 10 ms, but the pending 5 ms wins
    await clock.advance(5);
    expect(q.length).toBe(1);
  });

  it('keeps the earliest of several addAfter delays for a key', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter('k', 100);
    q.addAfter('k', 30);
    q.addAfter('k', 200);
    await clock.advance(30);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('k');
    q.done('k');
    await clock.advance(200);
    expect(q.length).toBe(0); // the later ones were dropped, not kept as extra adds
  });

  it('drops delayed keys on shutDown', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter('k', 10);
    q.shutDown();
    expect(clock.pendingTimers).toBe(0);
  });
});
