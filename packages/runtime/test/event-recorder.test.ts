import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from 'kubernetes-types/core/v1';
import type { KList } from '@mini-kube/api';
import { ApiClient } from '@mini-kube/client';
import { EventRecorder, FakeClock, TokenBucket } from '../src/index.js';
import { CONFIGMAPS, EVENTS, NAMESPACES, configMap, createNamespace, startApi, type TestApi } from './harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
  await createNamespace(api.client, 'rec');
});
afterAll(() => api.close());

const eventsIn = async (namespace: string): Promise<Event[]> =>
  ((await api.client.list(EVENTS, { namespace })) as unknown as KList<Event>).items;

describe('EventRecorder', () => {
  it('creates an Event like a real cluster, then aggregates repeats into count within ten minutes', async () => {
    const obj = await api.client.create(CONFIGMAPS, configMap('rec', 'subject'));
    const clock = new FakeClock(Date.UTC(2024, 5, 1, 12, 0, 0));
    const recorder = new EventRecorder(api.client, { component: 'test-controller', host: 'node-1', clock });
    recorder.event(obj, 'Normal', 'Synced', 'all good');
    await recorder.flush();
    const [created, ...more] = await eventsIn('rec');
    expect(more).toEqual([]);
    expect(created).toMatchObject({
      metadata: { namespace: 'rec' },
      involvedObject: {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        namespace: 'rec',
        name: 'subject',
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason: 'Synced',
      message: 'all good',
      type: 'Normal',
      source: { component: 'test-controller', host: 'node-1' },
      reportingComponent: 'test-controller',
      firstTimestamp: '2024-06-01T12:00:00Z',
      lastTimestamp: '2024-06-01T12:00:00Z',
      count: 1,
    });
    expect(created.metadata?.name).toMatch(/^subject\.[0-9a-f]+$/);

    await clock.advance(60_000);
    recorder.event(obj, 'Normal', 'Synced', 'all good');
    recorder.event(obj, 'Normal', 'Synced', 'all good');
    recorder.event(obj, 'Warning', 'Failed', 'oops'); // another (type, reason, message): a new Event
    await recorder.flush();
    const after = await eventsIn('rec');
    expect(after).toHaveLength(2);
    const synced = after.find((e) => e.reason === 'Synced')!;
    expect(synced).toMatchObject({ metadata: { name: created.metadata?.name }, count: 3, firstTimestamp: '2024-06-01T12:00:00Z', lastTimestamp: '2024-06-01T12:01:00Z' });

    // Past the ten-minute window a repeat starts a new Event.
    await clock.advance(10 * 60_000);
    recorder.event(obj, 'Normal', 'Synced', 'all good');
    await recorder.flush();
    expect((await eventsIn('rec')).filter((e) => e.reason === 'Synced').map((e) => e.count).sort()).toEqual([1, 3]);
  });

  it('puts Events about cluster-scoped objects in default, and never throws into the caller', async () => {
    const ns = await api.client.get(NAMESPACES, 'rec');
    const recorder = new EventRecorder(api.client, { component: 'namespace-controller' });
    recorder.event(ns, 'Normal', 'Seen', 'namespace seen');
    await recorder.flush();
    const events = (await eventsIn('default')).filter((e) => e.reason === 'Seen');
    expect(events).toHaveLength(1);
    expect(events[0].involvedObject).toMatchObject({ kind: 'Namespace', name: 'rec' });
    expect(events[0].involvedObject.namespace).toBeUndefined();

    // An object in a namespace that does not exist: the create fails, the caller does not notice.
    const warned: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warned.push(args);
    try {
      expect(() => recorder.event(configMap('missing-ns', 'ghost') as never, 'Warning', 'Lost', 'no namespace')).not.toThrow();
      await recorder.flush();
    } finally {
      console.warn = original;
    }
    expect(warned).toHaveLength(1);
  });

  it('drops, without a warning, what is still queued when its client closes (a component stopping)', async () => {
    const client = new ApiClient({ server: `http://127.0.0.1:${api.port}` });
    const recorder = new EventRecorder(client, { component: 'stopping-controller' });
    const subject = await api.client.create(CONFIGMAPS, configMap('rec', 'stopping'));
    const warned: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warned.push(args);
    try {
      await client.close();
      recorder.event(subject, 'Normal', 'Stopping', 'queued at shutdown');
      await recorder.flush();
    } finally {
      console.warn = original;
    }
    expect(warned).toEqual([]);
    expect((await eventsIn('rec')).filter((e) => e.reason === 'Stopping')).toEqual([]);
  });

  it('drops what is over a budget shared by several recorders, and counts it', async () => {
    const clock = new FakeClock(Date.UTC(2024, 5, 1, 12, 0, 0));
    const budget = new TokenBucket({ qps: 1, burst: 3, clock });
    const subjects = await Promise.all(['a', 'b', 'c'].map((n) => api.client.create(CONFIGMAPS, configMap('rec', `budget-${n}`))));
    const recorders = ['node-1', 'node-2'].map((host) => new EventRecorder(api.client, { component: 'kubelet', host, clock, limiter: budget }));
    // Five events on distinct objects and reasons: only the burst of three is written.
    for (const [i, reason] of ['One', 'Two', 'Three', 'Four', 'Five'].entries()) recorders[i % 2]!.event(subjects[i % 3]!, 'Normal', reason, 'budget');
    await Promise.all(recorders.map((r) => r.flush()));
    const written = () => eventsIn('rec').then((events) => events.filter((e) => e.message === 'budget').map((e) => e.reason).sort());
    expect(await written()).toEqual(['One', 'Three', 'Two']);
    expect(recorders.map((r) => r.dropped)).toEqual([1, 1]);
    expect(budget.denied).toBe(2);

    // A second later one more token is there.
    await clock.advance(1_000);
    recorders[1]!.event(subjects[0]!, 'Normal', 'Six', 'budget');
    await recorders[1]!.flush();
    expect(await written()).toEqual(['One', 'Six', 'Three', 'Two']);
  });

  it('gives the budget back for an event the spam filter drops', async () => {
    const clock = new FakeClock(Date.UTC(2024, 5, 1, 14, 0, 0));
    const budget = new TokenBucket({ qps: 0, burst: 26, clock });
    const [obj, other] = await Promise.all(['spam', 'spam-other'].map((n) => api.client.create(CONFIGMAPS, configMap('rec', n))));
    const recorder = new EventRecorder(api.client, { component: 'spammer', clock, limiter: budget });
    // The spam filter lets 25 writes of one (object, type, reason) through: the 26th takes no budget.
    for (let i = 0; i < 26; i++) recorder.event(obj, 'Normal', 'Spam', 'spam');
    recorder.event(other, 'Normal', 'After', 'spam');
    await recorder.flush();
    expect(recorder.dropped).toBe(1);
    expect(budget.denied).toBe(0);
    const events = (await eventsIn('rec')).filter((e) => e.message === 'spam');
    expect(events.map((e) => [e.reason, e.count]).sort()).toEqual([
      ['After', 1],
      ['Spam', 25],
    ]);
  });

  it('limits each recorder to its own qps and burst by default', async () => {
    const clock = new FakeClock(Date.UTC(2024, 5, 1, 13, 0, 0));
    const obj = await api.client.create(CONFIGMAPS, configMap('rec', 'own-budget'));
    const recorder = new EventRecorder(api.client, { component: 'c', clock, qps: 1, burst: 2 });
    for (const reason of ['A', 'B', 'C']) recorder.event(obj, 'Normal', reason, 'own');
    await recorder.flush();
    expect((await eventsIn('rec')).filter((e) => e.message === 'own').map((e) => e.reason).sort()).toEqual(['A', 'B']);
    expect(recorder.dropped).toBe(1);
  });
});
