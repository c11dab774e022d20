import { FakeClock } from '@mini-kube/runtime';
import { describe, expect, it } from 'vitest';
import { SchedulingQueue } from '../src/queue.js';
import { newPodInfo } from '../src/pod-info.js';
import { makePod, podInfo } from './fixtures.js';

const setup = () => {
  const clock = new FakeClock(1_000_000);
  return { clock, queue: new SchedulingQueue({ clock }) };
};

describe('SchedulingQueue', () => {
  it('pops higher priority first, then in arrival order', async () => {
    const { queue } = setup();
    const high = makePod('high');
    high.spec!.priority = 10;
    queue.addOrUpdate(podInfo('a'));
    queue.addOrUpdate(podInfo('b'));
    queue.addOrUpdate(newPodInfo(high));
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await queue.pop())!.info.key);
    expect(order).toEqual(['default/high', 'default/a', 'default/b']);
  });

  it('keeps an unschedulable pod until a move request, then backs it off 1 s, 2 s, ... up to 10 s', async () => {
    const { clock, queue } = setup();
    queue.addOrUpdate(podInfo('p'));
    let item = (await queue.pop())!;
    queue.addUnschedulable(item);
    expect(queue.sizes).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    await clock.advance(2000); // 1 s backoff already over: straight to active
    queue.moveAllToActiveOrBackoff();
    expect(queue.sizes.active).toBe(1);
    item = (await queue.pop())!;
    expect(item.attempts).toBe(2);
    queue.addUnschedulable(item);
    queue.moveAllToActiveOrBackoff(); // second attempt: 2 s backoff not over
    expect(queue.sizes).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
    await clock.advance(1999);
    expect(queue.sizes.backoff).toBe(1);
    await clock.advance(1);
    expect(queue.sizes.active).toBe(1);
  });

  it('caps the backoff at 10 s', async () => {
    const { clock, queue } = setup();
    queue.addOrUpdate(podInfo('p'));
    let item = (await queue.pop())!;
    for (let i = 0; i < 6; i++) {
      queue.addBackoff(item);
      await clock.advance(10_000);
      item = (await queue.pop())!;
    }
    queue.addBackoff(item);
    await clock.advance(9_999);
    expect(queue.sizes.backoff).toBe(1);
    await clock.advance(1);
    expect(queue.sizes.active).toBe(1);
  });

  it('sends a pod that failed during a move request to backoff, not to the unschedulable set', async () => {
    const { queue } = setup();
    queue.addOrUpdate(podInfo('p'));
    const item = (await queue.pop())!;
    queue.moveAllToActiveOrBackoff(); // a node appeared while the pod was being scheduled
    queue.addUnschedulable(item);
    expect(queue.sizes).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
  });

  it('retries an unschedulable pod when it changes, and forgets deleted pods', async () => {
    const { clock, queue } = setup();
    queue.addOrUpdate(podInfo('p'));
    const item = (await queue.pop())!;
    queue.addUnschedulable(item);
    await clock.advance(1000);
    queue.addOrUpdate(podInfo('p', { cpu: '1' }));
    expect(queue.sizes.active).toBe(1);
    queue.delete('default/p');
    expect(queue.sizes.active).toBe(0);
    queue.addUnschedulable(item); // the in-flight attempt of a deleted pod ends: ignored
    expect(queue.sizes.unschedulable).toBe(0);
  });

  it('retries pods left unschedulable for five minutes', async () => {
    const { clock, queue } = setup();
    queue.addOrUpdate(podInfo('p'));
    queue.addUnschedulable((await queue.pop())!);
    await clock.advance(4 * 60_000);
    expect(queue.sizes.unschedulable).toBe(1);
    await clock.advance(90_000);
    expect(queue.sizes.active).toBe(1);
  });

  it('wakes a waiting pop, and resolves it with undefined on close', async () => {
    const { queue } = setup();
    const waiting = queue.pop();
    queue.addOrUpdate(podInfo('p'));
    expect((await waiting)?.info.key).toBe('default/p');
    const last = queue.pop();
    queue.close();
    expect(await last).toBeUndefined();
  });
});
