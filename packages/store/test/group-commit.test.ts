// Group commit: writes issued in one event-loop turn share a transaction, yet each keeps its own
// revision, its own checks and its own outcome.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreConflictError, StoreKeyExistsError, StoreNotFoundError, type Store } from '../src/index.js';
import { memoryBackend, record, sqliteBackend, summary, type Backend } from './helpers.js';

describe.each([memoryBackend(), sqliteBackend()])('group commit ($name)', (backend: Backend) => {
  let store: Store;

  beforeEach(async () => {
    store = await backend.open({ compactIntervalMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    backend.cleanup();
  });

  it('commits the writes of one turn together, at the end of the turn', async () => {
    const writes = ['/b/1', '/b/2', '/b/3'].map((key) => store.create(key, 'v'));
    // Not committed yet: nothing is visible and no revision is used.
    expect(await store.get('/b/1')).toBeUndefined();
    expect(await store.currentRevision()).toBe(0);
    const written = await Promise.all(writes);
    expect(written.map((kv) => kv.modRevision)).toEqual([1, 2, 3]);
    expect((await store.list('/b/')).items.map((kv) => kv.key)).toEqual(['/b/1', '/b/2', '/b/3']);
  });

  it('checks each write in order: a failed check fails that write alone and uses no revision', async () => {
    const a = await store.create('/k/a', 'a1');
    await store.create('/k/b', 'b1');
    const results = await Promise.allSettled([
      store.update('/k/a', 'a2', a.modRevision), // 3
      store.update('/k/a', 'a3', a.modRevision), // stale: the write just before moved it to 3
      store.create('/k/b', 'again'), // exists
      store.delete('/k/none'), // absent
      store.create('/k/c', 'c1'), // 4
      store.delete('/k/b'), // 5
      store.create('/k/b', 'b2'), // 6: deleted earlier in this same batch
    ]);
    const outcome = (r: PromiseSettledResult<unknown>) =>
      r.status === 'fulfilled' ? 'ok' : (r.reason as Error).constructor.name;
    expect(results.map(outcome)).toEqual([
      'ok',
      StoreConflictError.name,
      StoreKeyExistsError.name,
      StoreNotFoundError.name,
      'ok',
      'ok',
      'ok',
    ]);
    expect(results[1]).toMatchObject({ reason: { actualModRevision: 3 } });
    expect(await store.currentRevision()).toBe(6);
    const values = (await store.list('/k/')).items.map((kv) => `${kv.key}=${kv.value}@${kv.createRevision}/${kv.modRevision}`);
    expect(values).toEqual(['/k/a=a2@1/3', '/k/b=b2@6/6', '/k/c=c1@4/4']);
  });

  it('keeps the rest of a batch when one write fails inside SQLite', async () => {
    const results = await Promise.allSettled([
      store.create('/e/a', 'a'),
      // Not a string: rejected by the driver after the write's first statement ran.
      store.create('/e/bad', Symbol('not a string') as unknown as string),
      store.create('/e/c', 'c'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]).toMatchObject({ reason: expect.any(TypeError) });
    expect(await store.get('/e/bad')).toBeUndefined();
    const items = (await store.list('/e/')).items;
    expect(items.map((kv) => `${kv.key}@${kv.modRevision}`)).toEqual(['/e/a@1', '/e/c@2']);
  });

  it('publishes a batch in revision order, before any of its writes is acknowledged', async () => {
    const rec = record(store, '/w/', { fromRevision: 0 });
    await Promise.resolve(); // let the (empty) replay run
    const seenAtAck: number[] = [];
    const writes = Array.from({ length: 32 }, (_, i) =>
      store.create(`/w/${String(i).padStart(2, '0')}`, String(i)).then((kv) => {
        seenAtAck.push(rec.events.length);
        return kv.modRevision;
      }),
    );
    expect(await Promise.all(writes)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(rec.events.map((e) => e.revision)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(new Set(seenAtAck)).toEqual(new Set([32]));
    // A watch replaying the same range from the log sees the same events.
    const late = record(store, '/w/', { fromRevision: 0 });
    expect(summary(await late.waitFor(32))).toEqual(summary(rec.events));
    rec.close();
    late.close();
  });

  it('commits writes made by watch handlers in the same flush, after the batch that caused them', async () => {
    const first: string[] = [];
    const second: string[] = [];
    store.watch('/h/', { fromRevision: 0 }, (e) => {
      first.push(`${e.kv.key}@${e.revision}`);
      if (e.kv.key.startsWith('/h/in')) void store.create(e.kv.key.replace('/h/in', '/h/out'), 'echo');
    });
    store.watch('/h/', { fromRevision: 0 }, (e) => second.push(`${e.kv.key}@${e.revision}`));
    await Promise.resolve();
    await Promise.all([store.create('/h/in1', 'x'), store.create('/h/in2', 'x')]);
    const expected = ['/h/in1@1', '/h/in2@2', '/h/out1@3', '/h/out2@4'];
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
  });

  it('commits a batch of 32 writes at once, without waiting for the end of the turn', async () => {
    const first = Array.from({ length: 32 }, (_, i) => store.create(`/m/${String(i).padStart(2, '0')}`, 'v'));
    // The 32nd write committed the batch: visible now, in the same turn.
    expect(await store.currentRevision()).toBe(32);
    const rest = [store.create('/m/32', 'v'), store.create('/m/33', 'v')];
    expect(await store.currentRevision()).toBe(32); // a new batch, committed at the end of the turn
    expect((await Promise.all([...first, ...rest])).map((kv) => kv.modRevision)).toEqual(Array.from({ length: 34 }, (_, i) => i + 1));
  });

  it('does not commit inside a batch being published, even when watch handlers write 32 times', async () => {
    const seen: string[] = [];
    store.watch('/e/', { fromRevision: 0 }, (e) => {
      seen.push(`${e.kv.key}@${e.revision}`);
      if (e.kv.key === '/e/trigger') for (let i = 0; i < 40; i++) void store.create(`/e/echo${String(i).padStart(2, '0')}`, 'v');
    });
    store.watch('/e/', { fromRevision: 0 }, (e) => seen.push(`second ${e.kv.key}@${e.revision}`));
    await Promise.resolve();
    await Promise.all([store.create('/e/trigger', 'v'), store.create('/e/after', 'v')]);
    // Both watchers got the first batch whole, in order, before any write of the handler.
    expect(seen.slice(0, 4)).toEqual(['/e/trigger@1', 'second /e/trigger@1', '/e/after@2', 'second /e/after@2']);
    expect(seen.filter((s) => !s.startsWith('second')).map((s) => Number(s.split('@')[1]))).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
  });

  it('commits queued writes when the store closes', async () => {
    const pending = store.create('/q/a', 'v');
    await store.close();
    await expect(pending).resolves.toMatchObject({ key: '/q/a', modRevision: 1 });
    await expect(store.create('/q/b', 'v')).rejects.toThrow('the store is closed');
  });
});
