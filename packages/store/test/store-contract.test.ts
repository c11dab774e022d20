// The Store contract, run against every backend.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  StoreConflictError,
  StoreExpiredError,
  StoreKeyExistsError,
  StoreNotFoundError,
  type Store,
} from '../src/index.js';
import { memoryBackend, record, sqliteBackend, summary, type Backend } from './helpers.js';

describe.each([memoryBackend(), sqliteBackend()])('store contract ($name)', (backend: Backend) => {
  let store: Store;

  beforeEach(async () => {
    store = await backend.open({ compactIntervalMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    backend.cleanup();
  });

  describe('crud', () => {
    it('creates, reads, updates and deletes with one global revision', async () => {
      expect(await store.currentRevision()).toBe(0);
      const a = await store.create('/r/a', 'one');
      const b = await store.create('/r/b', 'two');
      expect(a).toEqual({ key: '/r/a', value: 'one', createRevision: 1, modRevision: 1 });
      expect(b.modRevision).toBe(2);
      const a2 = await store.update('/r/a', 'uno', a.modRevision);
      expect(a2).toEqual({ key: '/r/a', value: 'uno', createRevision: 1, modRevision: 3 });
      expect(await store.get('/r/a')).toEqual(a2);
      const deleted = await store.delete('/r/a');
      expect(deleted).toEqual({ kv: a2, revision: 4 });
      expect(await store.get('/r/a')).toBeUndefined();
      expect(await store.currentRevision()).toBe(4);
      // Re-creating a deleted key starts a new life: a new createRevision.
      expect((await store.create('/r/a', 'again')).createRevision).toBe(5);
    });

    it('reports a missing key, an existing key and a stale revision', async () => {
      await expect(store.update('/r/none', 'x', 1)).rejects.toBeInstanceOf(StoreNotFoundError);
      await expect(store.delete('/r/none')).rejects.toBeInstanceOf(StoreNotFoundError);
      const kv = await store.create('/r/a', 'v1');
      await expect(store.create('/r/a', 'v2')).rejects.toBeInstanceOf(StoreKeyExistsError);
      await store.update('/r/a', 'v2', kv.modRevision);
      const stale = store.update('/r/a', 'v3', kv.modRevision);
      await expect(stale).rejects.toBeInstanceOf(StoreConflictError);
      await expect(stale).rejects.toMatchObject({ key: '/r/a', actualModRevision: 2 });
      await expect(store.delete('/r/a', kv.modRevision)).rejects.toBeInstanceOf(StoreConflictError);
      // Failed writes use no revision and leave the value alone.
      expect(await store.currentRevision()).toBe(2);
      expect((await store.get('/r/a'))?.value).toBe('v2');
    });
  });

  describe('list', () => {
    beforeEach(async () => {
      for (const key of ['/p/c', '/p/a', '/p/b', '/p/d', '/p/e', '/pz', '/o/x', '/p0']) await store.create(key, key);
    });

    it('lists keys under a prefix in key order with the current revision', async () => {
      const result = await store.list('/p/');
      expect(result.items.map((kv) => kv.key)).toEqual(['/p/a', '/p/b', '/p/c', '/p/d', '/p/e']);
      expect(result).toMatchObject({ more: false, revision: 8 });
      expect((await store.list('')).items).toHaveLength(8);
    });

    it('pages with limit and startAfter', async () => {
      const pages: string[][] = [];
      let startAfter: string | undefined;
      for (;;) {
        const page = await store.list('/p/', { limit: 2, startAfter });
        pages.push(page.items.map((kv) => kv.key));
        if (!page.more) break;
        startAfter = page.items.at(-1)!.key;
      }
      expect(pages).toEqual([['/p/a', '/p/b'], ['/p/c', '/p/d'], ['/p/e']]);
      // A limit equal to what remains reports no more.
      expect(await store.list('/p/', { limit: 5 })).toMatchObject({ more: false });
    });

    it('handles prefixes whose last character cannot be incremented', async () => {
      await store.create('/u/\uffff/a', '1');
      await store.create('/u/\uffff\uffff', '2');
      await store.create('/u/\ufffe', '3');
      const result = await store.list('/u/\uffff');
      expect(result.items.map((kv) => kv.value)).toEqual(['1', '2']);
    });
  });

  describe('watch', () => {
    it('replays history after a revision, then delivers live events with no gap or duplicate', async () => {
      await store.create('/w/a', '1');
      await store.create('/w/b', '1');
      await store.update('/w/a', '2', 1);
      const rec = record(store, '/w/', { fromRevision: 1 });
      // Written before the replay has run: must come after the history, exactly once.
      await store.create('/w/c', '1');
      await rec.waitFor(3);
      await store.delete('/w/b');
      const events = await rec.waitFor(4);
      expect(summary(events)).toEqual(['put /w/b=1@2', 'put /w/a=2@3', 'put /w/c=1@4', 'delete /w/b=1@5']);
      expect(events[1]!.prev).toEqual({ key: '/w/a', value: '1', createRevision: 1, modRevision: 1 });
      expect(events[0]!.prev).toBeUndefined();
      rec.close();
    });

    it('delivers live events synchronously on commit and filters by prefix', async () => {
      const rec = record(store, '/w/in/', { fromRevision: 0 });
      await Promise.resolve(); // let the (empty) replay run
      await store.create('/w/out', 'x');
      await store.create('/w/in/a', 'x');
      expect(summary(rec.events)).toEqual(['put /w/in/a=x@2']);
      rec.close();
      await store.create('/w/in/b', 'x');
      expect(rec.events).toHaveLength(1);
    });

    it('sends a delete event carrying the last value and its revisions', async () => {
      const created = await store.create('/w/a', 'v1');
      const updated = await store.update('/w/a', 'v2', created.modRevision);
      const rec = record(store, '/w/', { fromRevision: updated.modRevision });
      const { revision } = await store.delete('/w/a');
      const [event] = await rec.waitFor(1);
      expect(event).toEqual({ type: 'delete', kv: updated, revision });
    });

    it('replays the same history to a watch from the same revision after the fact', async () => {
      const rec = record(store, '/w/', { fromRevision: 0 });
      for (let i = 0; i < 30; i++) await store.create(`/w/${i}`, String(i));
      await store.delete('/w/7');
      const live = await rec.waitFor(31);
      const late = record(store, '/w/', { fromRevision: 0 });
      expect(summary(await late.waitFor(31))).toEqual(summary(live));
    });

    it('replays a long history in pages while writes continue, every revision once and in order', async () => {
      for (let i = 0; i < 2500; i++) await store.create(`/w/${i}`, 'h');
      const rec = record(store, '/w/', { fromRevision: 0 });
      // Writes land while the replay yields between pages.
      for (let i = 0; i < 50; i++) {
        await store.create(`/w/live-${i}`, 'l');
        await new Promise((resolve) => setImmediate(resolve));
      }
      const events = await rec.waitFor(2550);
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 2550 }, (_, i) => i + 1));
      rec.close();
    });

    it('keeps revision order for every watcher when a handler writes', async () => {
      const first: number[] = [];
      const second: number[] = [];
      store.watch('/w/', { fromRevision: 0 }, (e) => {
        first.push(e.revision);
        if (e.kv.key === '/w/a') void store.create('/w/b', 'from handler');
      });
      store.watch('/w/', { fromRevision: 0 }, (e) => second.push(e.revision));
      await Promise.resolve();
      await store.create('/w/a', 'x');
      expect(first).toEqual([1, 2]);
      expect(second).toEqual([1, 2]);
    });

    it('reports a throwing handler to onError without failing the write', async () => {
      const rec = { errors: [] as Error[] };
      store.watch('/w/', { fromRevision: 0 }, () => {
        throw new Error('boom');
      }, (err) => rec.errors.push(err));
      await Promise.resolve();
      await expect(store.create('/w/a', 'x')).resolves.toMatchObject({ modRevision: 1 });
      await store.create('/w/b', 'x');
      expect(rec.errors.map((e) => e.message)).toEqual(['boom']);
    });
  });

  describe('compaction', () => {
    it('expires watches from below the compacted revision', async () => {
      for (let i = 1; i <= 5; i++) await store.create(`/c/${i}`, 'x');
      await store.compact(3);
      expect(await store.compactedRevision()).toBe(3);
      expect(() => store.watch('/c/', { fromRevision: 2 }, () => {})).toThrow(StoreExpiredError);
      const rec = record(store, '/c/', { fromRevision: 3 });
      expect(summary(await rec.waitFor(2))).toEqual(['put /c/4=x@4', 'put /c/5=x@5']);
      // Compaction never goes past the current revision, and never backwards.
      await store.compact(100);
      expect(await store.compactedRevision()).toBe(5);
      await store.compact(1);
      expect(await store.compactedRevision()).toBe(5);
      // Values survive compaction; only history goes.
      expect((await store.list('/c/')).items).toHaveLength(5);
    });

    it('compacts history older than the window on its timer', async () => {
      const windowed = await backend.open({ historyWindowMs: 100, compactIntervalMs: 20 });
      try {
        await windowed.create('/t/old', 'x');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await windowed.create('/t/new', 'x');
        await new Promise((resolve) => setTimeout(resolve, 60));
        expect(await windowed.compactedRevision()).toBe(1);
        expect(() => windowed.watch('/t/', { fromRevision: 0 }, () => {})).toThrow(StoreExpiredError);
      } finally {
        await windowed.close();
      }
    });
  });

  describe('guaranteedUpdate', () => {
    it('applies concurrent read-modify-writes without losing any', async () => {
      await store.create('/g/counter', '0');
      const increment = () =>
        store.guaranteedUpdate('/g/counter', async (current) => {
          await new Promise((resolve) => setImmediate(resolve)); // let the others interleave
          return String(Number(current.value) + 1);
        });
      await Promise.all(Array.from({ length: 20 }, increment));
      expect((await store.get('/g/counter'))?.value).toBe('20');
    });

    it('writes nothing when the update returns undefined or the same value', async () => {
      const kv = await store.create('/g/a', 'same');
      expect(await store.guaranteedUpdate('/g/a', () => undefined)).toEqual(kv);
      expect(await store.guaranteedUpdate('/g/a', (cur) => cur.value)).toEqual(kv);
      expect(await store.currentRevision()).toBe(1);
      await expect(store.guaranteedUpdate('/g/none', () => 'x')).rejects.toBeInstanceOf(StoreNotFoundError);
      await expect(
        store.guaranteedUpdate('/g/a', () => {
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
    });
  });
});
