import { describe, expect, it } from 'vitest';
import { COMBINED_PREFIX, EventCorrelator, FakeClock, type EventInput, type EventWrite } from '../src/index.js';

const pod = { kind: 'Pod', apiVersion: 'v1', namespace: 'ns', name: 'web-1', uid: 'u1' };
const rs = { kind: 'ReplicaSet', apiVersion: 'apps/v1', namespace: 'ns', name: 'web', uid: 'u2' };
const ev = (involved: EventInput['involved'], reason: string, message: string, type = 'Normal'): EventInput => ({ involved, type, reason, message });

function correlator(startMs = 0): { c: EventCorrelator; clock: FakeClock } {
  const clock = new FakeClock(startMs);
  let n = 0;
  return { c: new EventCorrelator({ clock, newName: (o) => `${o.name}.${n++}` }), clock };
}

/** The writes of a sequence of events recorded at the same instant. */
const writes = (c: EventCorrelator, events: EventInput[], at = 0): Array<Pick<EventWrite, 'action' | 'name' | 'count' | 'message'> | undefined> =>
  events.map((e) => {
    const w = c.correlate(e, at);
    return w && { action: w.action, name: w.name, count: w.count, message: w.message };
  });

describe('EventCorrelator', () => {
  const cases: Array<{ name: string; events: EventInput[]; want: ReturnType<typeof writes> }> = [
    {
      name: 'a repeat patches the count of the first Event; another reason or type is another Event',
      events: [ev(pod, 'Pulled', 'pulled'), ev(pod, 'Pulled', 'pulled'), ev(pod, 'Failed', 'pulled'), ev(pod, 'Pulled', 'pulled', 'Warning')],
      want: [
        { action: 'create', name: 'web-1.0', count: 1, message: 'pulled' },
        { action: 'patch', name: 'web-1.0', count: 2, message: 'pulled' },
        { action: 'create', name: 'web-1.1', count: 1, message: 'pulled' },
        { action: 'create', name: 'web-1.2', count: 1, message: 'pulled' },
      ],
    },
    {
      name: 'from the tenth distinct message on, similar events combine into one Event',
      events: Array.from({ length: 12 }, (_, i) => ev(rs, 'SuccessfulCreate', `Created pod: web-${i}`)),
      want: [
        ...Array.from({ length: 9 }, (_, i) => ({ action: 'create' as const, name: `web.${i}`, count: 1, message: `Created pod: web-${i}` })),
        { action: 'create', name: 'web.9', count: 1, message: `${COMBINED_PREFIX}Created pod: web-9` },
        { action: 'patch', name: 'web.9', count: 2, message: `${COMBINED_PREFIX}Created pod: web-10` },
        { action: 'patch', name: 'web.9', count: 3, message: `${COMBINED_PREFIX}Created pod: web-11` },
      ],
    },
    {
      name: 'objects are counted apart',
      events: [ev(pod, 'Scheduled', 'x'), ev(rs, 'Scheduled', 'x'), ev({ ...pod, uid: 'u3' }, 'Scheduled', 'x')],
      want: [
        { action: 'create', name: 'web-1.0', count: 1, message: 'x' },
        { action: 'create', name: 'web.1', count: 1, message: 'x' },
        { action: 'create', name: 'web-1.2', count: 1, message: 'x' },
      ],
    },
    {
      name: 'objects without a uid are told apart by kind, namespace, name and apiVersion',
      events: [
        ev({ kind: 'Node', name: 'n1' }, 'Ready', 'x'),
        ev({ kind: 'Node', name: 'n1' }, 'Ready', 'x'),
        ev({ kind: 'Pod', name: 'n1' }, 'Ready', 'x'),
        ev({ kind: 'Node', name: 'n1', namespace: 'ns' }, 'Ready', 'x'),
        ev({ kind: 'Node', name: 'n1', apiVersion: 'v2' }, 'Ready', 'x'),
      ],
      want: [
        { action: 'create', name: 'n1.0', count: 1, message: 'x' },
        { action: 'patch', name: 'n1.0', count: 2, message: 'x' },
        { action: 'create', name: 'n1.1', count: 1, message: 'x' },
        { action: 'create', name: 'n1.2', count: 1, message: 'x' },
        { action: 'create', name: 'n1.3', count: 1, message: 'x' },
      ],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(writes(correlator().c, tc.events)).toEqual(tc.want);
    });
  }

  it('lets 25 writes of one object and reason through, then one per five minutes, still counting', async () => {
    const { c, clock } = correlator();
    const first = writes(c, Array.from({ length: 30 }, () => ev(pod, 'BackOff', 'Back-off restarting')), clock.now());
    expect(first.filter(Boolean)).toHaveLength(25);
    expect(first.slice(25)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    await clock.advance(300_000);
    // The write after the pause carries every observation, filtered ones included; it is past the
    // ten-minute window of nothing, so it still patches the same Event.
    expect(c.correlate(ev(pod, 'BackOff', 'Back-off restarting'), clock.now())).toMatchObject({ action: 'patch', name: 'web-1.0', count: 31 });
    expect(c.correlate(ev(pod, 'BackOff', 'Back-off restarting'), clock.now())).toBeUndefined();
    // Another reason of the same object has its own budget.
    expect(c.correlate(ev(pod, 'Started', 'Started container'), clock.now())).toMatchObject({ action: 'create', count: 1 });
  });

  it('remembers at most 4,096 objects: past that, the least recently seen are forgotten', () => {
    const { c } = correlator();
    const objectAt = (i: number) => ({ ...pod, name: `p${i}`, uid: `u-${i}` });
    for (let i = 0; i < 5000; i++) c.correlate(ev(objectAt(i), 'Scheduled', 'x'), 0);
    // Seen again: the recent ones patch their Event, the first ones were evicted and start a new one.
    expect(c.correlate(ev(objectAt(4999), 'Scheduled', 'x'), 0)).toMatchObject({ action: 'patch', count: 2 });
    expect(c.correlate(ev(objectAt(2000), 'Scheduled', 'x'), 0)).toMatchObject({ action: 'patch', count: 2 });
    expect(c.correlate(ev(objectAt(0), 'Scheduled', 'x'), 0)).toMatchObject({ action: 'create', count: 1 });
  });

  it('starts afresh after ten minutes without a repeat', () => {
    const { c } = correlator();
    expect(c.correlate(ev(pod, 'Pulled', 'pulled'), 0)).toMatchObject({ action: 'create', name: 'web-1.0' });
    expect(c.correlate(ev(pod, 'Pulled', 'pulled'), 10 * 60_000)).toMatchObject({ action: 'create', name: 'web-1.1', count: 1, firstMs: 10 * 60_000 });
  });
});
