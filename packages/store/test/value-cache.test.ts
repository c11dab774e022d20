// listBytes answers from an in-memory cache of current values: it must equal `list` (same keys, order,
// values, revisions, paging) after any sequence of writes, and reflect every acknowledged write.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyValue, ListOptions, Store } from '../src/index.js';
import { compareKeys } from '../src/value-cache.js';
import { memoryBackend, sqliteBackend, type Backend } from './helpers.js';

const asText = (items: KeyValue<Buffer>[]): KeyValue[] => items.map((kv) => ({ ...kv, value: kv.value.toString() }));

async function expectSameLists(store: Store, prefix: string, options?: ListOptions): Promise<void> {
  const text = await store.list(prefix, options);
  const bytes = await store.listBytes(prefix, options);
  expect({ ...bytes, items: asText(bytes.items) }).toEqual(text);
}

describe('compareKeys', () => {
  it.each([
    ['a', 'b', -1],
    ['a', 'a', 0],
    ['a', 'ab', -1],
    ['/p/z', '/p0', -1],
    ['\uffff', '\u{10000}', -1], // UTF-8 (code point) order, not UTF-16 order
    ['\ue000', '\ud7ff', 1],
    ['\u{1f600}', '\ufe0f', 1],
  ])('%j vs %j → %i', (a, b, sign) => {
    expect(Math.sign(compareKeys(a, b))).toBe(sign);
    expect(Math.sign(compareKeys(b, a))).toBe(sign === 0 ? 0 : -sign);
  });
});

describe.each([memoryBackend(), sqliteBackend()])('listBytes ($name)', (backend: Backend) => {
  let store: Store;

  beforeEach(async () => {
    store = await backend.open({ compactIntervalMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    backend.cleanup();
  });

  it('lists what list lists, in the same order, with paging and prefixes', async () => {
    const keys = ['/p/c', '/p/a', '/p/b', '/p/d', '/p/e', '/pz', '/o/x', '/p0', '/p/\u{10000}', '/p/\uffff', '/p/é'];
    for (const key of keys) await store.create(key, `value of ${key} ✓`);
    for (const prefix of ['/p/', '/p', '/', '/o/', '/q/', '']) await expectSameLists(store, prefix);
    for (const limit of [1, 2, 3, 100]) await expectSameLists(store, '/p/', { limit });
    for (const startAfter of ['/p/a', '/p/b', '/p/bb', '/o/z', '/p/\uffff', '/q']) {
      await expectSameLists(store, '/p/', { startAfter });
      await expectSameLists(store, '/p/', { startAfter, limit: 2 });
    }
  });

  it('reflects every acknowledged write at once: creates, updates and deletes after the cache filled', async () => {
    const a = await store.create('/r/a', 'a1');
    expect(asText((await store.listBytes('/r/')).items)).toEqual([a]);
    const b = await store.create('/r/b', 'b1');
    expect(asText((await store.listBytes('/r/')).items)).toEqual([a, b]);
    const a2 = await store.update('/r/a', 'a2', a.modRevision);
    expect(asText((await store.listBytes('/r/')).items)).toEqual([a2, b]);
    await store.delete('/r/b');
    const listed = await store.listBytes('/r/');
    expect(asText(listed.items)).toEqual([a2]);
    expect(listed.revision).toBe(await store.currentRevision());
    const again = await store.create('/r/b', 'b2');
    expect(asText((await store.listBytes('/r/')).items)).toEqual([a2, again]);
  });

  it('agrees with list after many concurrent writes (group-committed batches, failed checks)', async () => {
    await store.listBytes(''); // fill the cache first: from here on it follows the writes
    const writes: Promise<unknown>[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 40; i++) {
        const key = `/k/${(i * 7919 + round) % 50}`;
        writes.push(
          store.get(key).then((kv): Promise<unknown> => {
            if (!kv) return store.create(key, `${key}@${round}`);
            if ((i + round) % 3 === 0) return store.delete(key, kv.modRevision);
            return store.update(key, `${key}@${round}`, kv.modRevision);
          }).catch(() => undefined), // a lost race (conflict, exists) changes nothing
        );
      }
      await Promise.all(writes.splice(0));
      await expectSameLists(store, '/k/');
      await expectSameLists(store, '/k/', { limit: 7, startAfter: '/k/2' });
    }
  });

  it('answers get from the cache after every acknowledged write, as SQLite would', async () => {
    const a = await store.create('/g/a', 'a1');
    await store.listBytes(''); // the cache is loaded: gets come from it from now on
    expect(await store.get('/g/a')).toEqual(a);
    const a2 = await store.update('/g/a', 'a2 ✓', a.modRevision);
    expect(await store.get('/g/a')).toEqual(a2);
    await store.listBytes('/g/'); // the value is now held as bytes: get still gives the text
    expect(await store.get('/g/a')).toEqual(a2);
    const b = await store.create('/g/b', 'b1');
    expect(await store.get('/g/b')).toEqual(b);
    await store.delete('/g/a');
    expect(await store.get('/g/a')).toBeUndefined();
    // A changed answer does not change the cache.
    (await store.get('/g/b'))!.value = 'changed by a caller';
    expect((await store.get('/g/b'))!.value).toBe('b1');
  });

  it('checks revisions against the cache, and against earlier writes of the same batch', async () => {
    const a = await store.create('/c/a', 'a0');
    await store.listBytes('');
    // One batch: a stale update fails, a good one succeeds, and a second one that expects the first's
    // revision (which the cache does not show yet) succeeds too; a delete follows, then a create.
    const stale = store.update('/c/a', 'stale', a.modRevision - 1).catch((err: Error) => err.name);
    const first = store.update('/c/a', 'a1', a.modRevision);
    const second = store.update('/c/a', 'a2', a.modRevision + 1);
    const lost = store.update('/c/a', 'lost', a.modRevision).catch((err: Error) => err.name);
    const removed = store.delete('/c/a', a.modRevision + 2);
    const again = store.create('/c/a', 'a3');
    const gone = store.update('/c/missing', 'x', 1).catch((err: Error) => err.name);
    expect(await stale).toBe('StoreConflictError');
    expect((await first).modRevision).toBe(a.modRevision + 1);
    const secondKv = await second;
    expect(secondKv).toMatchObject({ value: 'a2', modRevision: a.modRevision + 2, createRevision: a.createRevision });
    expect(await lost).toBe('StoreConflictError');
    expect((await removed).kv).toEqual(secondKv);
    expect(await gone).toBe('StoreNotFoundError');
    expect(await store.get('/c/a')).toEqual(await again);
    await expectSameLists(store, '/c/');
  });

  it('lets a watch handler read the whole batch being published (get and list at the batch revision)', async () => {
    await store.listBytes('');
    const seen: { revision: number; listed?: number; first?: string; second?: string }[] = [];
    const watch = store.watch('/h/', { fromRevision: await store.currentRevision() }, () => {
      // A synchronous read while the batch's first event is delivered sees its second write too.
      if (seen.length > 0) return;
      seen.push({ revision: 0 });
      void Promise.all([store.get('/h/1'), store.get('/h/2'), store.listBytes('/h/')]).then(([one, two, list]) => {
        seen[0] = { revision: list.revision, listed: list.items.length, first: one?.value, second: two?.value };
      });
    });
    const [one, two] = await Promise.all([store.create('/h/1', 'one'), store.create('/h/2', 'two')]); // one batch
    await new Promise((resolve) => setImmediate(resolve));
    watch.close();
    expect(seen).toEqual([{ revision: two.modRevision, listed: 2, first: 'one', second: 'two' }]);
    expect(one.modRevision).toBe(two.modRevision - 1);
  });

  it('fills the cache from what was stored before the first listBytes', async () => {
    for (let i = 0; i < 20; i++) await store.create(`/m/${i}`, JSON.stringify({ i }));
    await store.update('/m/3', 'three', (await store.get('/m/3'))!.modRevision);
    await store.delete('/m/4');
    await expectSameLists(store, '/m/');
    expect((await store.listBytes('/m/')).items).toHaveLength(19);
  });
});
