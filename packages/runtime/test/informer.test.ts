import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConfigMap } from 'kubernetes-types/core/v1';
import { ApiClient } from '@mini-kube/client';
import { selectorFromSet } from '@mini-kube/machinery';
import { waitFor } from '@mini-kube/testing';
import { FakeClock, InformerFactory, type EventHandlers } from '../src/index.js';
import { CONFIGMAPS, configMap, createNamespace, startApi, type TestApi } from './harness.js';

type CM = ConfigMap & { metadata: NonNullable<ConfigMap['metadata']> } & { [k: string]: unknown };

/** Records handler calls as short strings, e.g. `add a`, `update b`, `delete c`. */
function recorder(): { log: string[]; handlers: EventHandlers<CM> } {
  const log: string[] = [];
  return {
    log,
    handlers: {
      onAdd: (o) => log.push(`add ${o.metadata.name}`),
      onUpdate: (old, o) => log.push(`${old === o ? 'resync' : 'update'} ${o.metadata.name}`),
      onDelete: (o) => log.push(`delete ${o.metadata.name}`),
    },
  };
}

const names = (objs: CM[]): string[] => objs.map((o) => o.metadata.name!).sort();
const fast = { intervalMs: 10, timeoutMs: 10_000 };

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('informer', () => {
  it('lists in pages, then watches: adds, updates and deletes reach the cache and the handlers', async () => {
    const { client } = api;
    await createNamespace(client, 'inf-basic');
    await client.create(CONFIGMAPS, configMap('inf-basic', 'a', { v: '1' }, { app: 'web' }));
    await client.create(CONFIGMAPS, configMap('inf-basic', 'b', { v: '1' }));
    await client.create(CONFIGMAPS, configMap('inf-basic', 'c', { v: '1' }));
    const listSpy = vi.spyOn(client, 'list');
    const factory = new InformerFactory(client, { pageSize: 2 });
    const informer = factory.informer<CM>(CONFIGMAPS, { namespace: 'inf-basic' });
    expect(factory.informer(CONFIGMAPS, { namespace: 'inf-basic' })).toBe(informer);
    const { log, handlers } = recorder();
    informer.addEventHandler(handlers);
    const abort = new AbortController();
    factory.start(abort.signal);
    await factory.waitForSync();
    try {
      expect(informer.hasSynced()).toBe(true);
      expect(listSpy).toHaveBeenCalledTimes(2); // 3 objects in pages of 2
      expect(log.sort()).toEqual(['add a', 'add b', 'add c']);
      const a = informer.lister.get('inf-basic', 'a')!;
      expect(a).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', data: { v: '1' } });
      expect(() => ((a.metadata as { name: string }).name = 'x')).toThrow(TypeError); // frozen under tests
      expect(names(informer.lister.list('inf-basic', selectorFromSet({ app: 'web' })))).toEqual(['a']);
      expect(informer.lister.list('elsewhere')).toEqual([]);

      log.length = 0;
      await client.update(CONFIGMAPS, { ...structuredClone(informer.lister.get('inf-basic', 'b')!), data: { v: '2' } });
      await client.delete(CONFIGMAPS, 'c', { namespace: 'inf-basic' });
      await client.create(CONFIGMAPS, configMap('inf-basic', 'd'));
      await waitFor(() => log.length === 3, fast);
      expect(log).toEqual(['update b', 'delete c', 'add d']);
      expect(informer.lister.get('inf-basic', 'b')?.data).toEqual({ v: '2' });
      expect(informer.lister.get('inf-basic', 'c')).toBeUndefined();
      expect(names(informer.lister.list())).toEqual(['a', 'b', 'd']);

      // A handler added late hears of what is cached at once.
      const late = recorder();
      informer.addEventHandler(late.handlers);
      expect(late.log.sort()).toEqual(['add a', 'add b', 'add d']);
    } finally {
      abort.abort();
      listSpy.mockRestore();
    }
  });

  it('relists after its watch version was compacted away, delivering only the differences', async () => {
    const { client, store } = api;
    await createNamespace(client, 'inf-relist');
    for (const name of ['x', 'y', 'z']) await client.create(CONFIGMAPS, configMap('inf-relist', name, { v: '1' }));
    const informerClient = new ApiClient({ server: `http://127.0.0.1:${api.port}` });
    const listSpy = vi.spyOn(informerClient, 'list');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const factory = new InformerFactory(informerClient, { minRetryMs: 20, maxRetryMs: 100 });
    const informer = factory.informer<CM>(CONFIGMAPS, { namespace: 'inf-relist' });
    const { log, handlers } = recorder();
    informer.addEventHandler(handlers);
    const abort = new AbortController();
    factory.start(abort.signal);
    await factory.waitForSync();
    try {
      log.length = 0;
      // The server goes away; meanwhile the objects change and history is compacted past the
      // informer's version, so that the only way back is a relist.
      await api.stop();
      const other = await startApi(store);
      await other.client.update(CONFIGMAPS, { ...structuredClone(informer.lister.get('inf-relist', 'y')!), data: { v: '2' } });
      await other.client.delete(CONFIGMAPS, 'z', { namespace: 'inf-relist' });
      await other.client.create(CONFIGMAPS, configMap('inf-relist', 'w'));
      await other.client.close();
      await other.stop();
      await store.compact(await store.currentRevision());
      await api.restart();

      await waitFor(() => log.length >= 3, fast);
      expect(log.sort()).toEqual(['add w', 'delete z', 'update y']);
      expect(listSpy.mock.calls.length).toBeGreaterThanOrEqual(2);
      expect(names(informer.lister.list('inf-relist'))).toEqual(['w', 'x', 'y']);

      // And it watches again from the relist: a new change arrives as an event.
      await client.create(CONFIGMAPS, configMap('inf-relist', 'v'));
      await waitFor(() => log.includes('add v'), fast);
      expect(log).toHaveLength(4);
    } finally {
      abort.abort();
      warn.mockRestore();
      await informerClient.close();
    }
  });

  it('rewatches from its last version after the connection drops, without relisting', async () => {
    const { client, store } = api;
    await createNamespace(client, 'inf-drop');
    await client.create(CONFIGMAPS, configMap('inf-drop', 'm'));
    const informerClient = new ApiClient({ server: `http://127.0.0.1:${api.port}` });
    const listSpy = vi.spyOn(informerClient, 'list');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const factory = new InformerFactory(informerClient, { minRetryMs: 20, maxRetryMs: 100 });
    const informer = factory.informer<CM>(CONFIGMAPS, { namespace: 'inf-drop' });
    const { log, handlers } = recorder();
    informer.addEventHandler(handlers);
    const abort = new AbortController();
    factory.start(abort.signal);
    await factory.waitForSync();
    try {
      log.length = 0;
      await api.stop();
      const other = await startApi(store);
      await other.client.create(CONFIGMAPS, configMap('inf-drop', 'n'));
      await other.client.close();
      await other.stop();
      await waitFor(() => warn.mock.calls.length > 0, fast); // it noticed, and retries with backoff
      await api.restart();
      await waitFor(() => log.includes('add n'), fast);
      expect(log).toEqual(['add n']);
      expect(listSpy).toHaveBeenCalledTimes(1); // the history replayed the change
    } finally {
      abort.abort();
      warn.mockRestore();
      await informerClient.close();
    }
  });

  it('resyncs every cached object as an update to itself each resync period', async () => {
    const { client } = api;
    await createNamespace(client, 'inf-resync');
    await client.create(CONFIGMAPS, configMap('inf-resync', 'one'));
    await client.create(CONFIGMAPS, configMap('inf-resync', 'two'));
    const clock = new FakeClock();
    const factory = new InformerFactory(client, { clock, resyncMs: 30_000 });
    const informer = factory.informer<CM>(CONFIGMAPS, { namespace: 'inf-resync' });
    const { log, handlers } = recorder();
    informer.addEventHandler(handlers);
    const abort = new AbortController();
    factory.start(abort.signal);
    await factory.waitForSync();
    try {
      log.length = 0;
      await clock.advance(29_999);
      expect(log).toEqual([]);
      await clock.advance(1);
      expect(log.sort()).toEqual(['resync one', 'resync two']);
      await clock.advance(30_000);
      expect(log).toHaveLength(4);
    } finally {
      abort.abort();
    }
  });

  it('keeps custom indexes in step with watch events', async () => {
    const { client } = api;
    await createNamespace(client, 'inf-index');
    await client.create(CONFIGMAPS, configMap('inf-index', 'p', { owner: 'alice' }));
    await client.create(CONFIGMAPS, configMap('inf-index', 'q', { owner: 'bob' }));
    const factory = new InformerFactory(client);
    const abort = new AbortController();
    factory.start(abort.signal); // informers asked for after start start at once
    const informer = factory.informer<CM>(CONFIGMAPS, { namespace: 'inf-index' });
    informer.addIndex('owner', (o) => (o.data?.owner ? [o.data.owner] : []));
    const { log, handlers } = recorder();
    informer.addEventHandler(handlers);
    await factory.waitForSync();
    try {
      expect(names(informer.byIndex('owner', 'alice'))).toEqual(['p']);
      await client.update(CONFIGMAPS, { ...structuredClone(informer.lister.get('inf-index', 'q')!), data: { owner: 'alice' } });
      await waitFor(() => log.includes('update q'), fast);
      expect(names(informer.byIndex('owner', 'alice'))).toEqual(['p', 'q']);
      expect(informer.byIndex('owner', 'bob')).toEqual([]);
      await client.delete(CONFIGMAPS, 'p', { namespace: 'inf-index' });
      await waitFor(() => log.includes('delete p'), fast);
      expect(names(informer.byIndex('owner', 'alice'))).toEqual(['q']);
    } finally {
      abort.abort();
    }
  });

  it('caches objects without managedFields, and an update from a cached copy keeps the stored ones', async () => {
    const { client } = api;
    await createNamespace(client, 'inf-strip');
    await client.create(CONFIGMAPS, configMap('inf-strip', 'm', { v: '1' }));
    const stored = await client.get<CM>(CONFIGMAPS, 'm', { namespace: 'inf-strip' });
    expect(stored.metadata.managedFields?.length).toBeGreaterThan(0);
    const factory = new InformerFactory(client);
    const informer = factory.informer<CM>(CONFIGMAPS, { namespace: 'inf-strip' });
    const { log, handlers } = recorder();
    informer.addEventHandler(handlers);
    const abort = new AbortController();
    factory.start(abort.signal);
    await factory.waitForSync();
    try {
      expect(informer.lister.get('inf-strip', 'm')!.metadata).not.toHaveProperty('managedFields');
      await client.update(CONFIGMAPS, { ...structuredClone(informer.lister.get('inf-strip', 'm')!), data: { v: '2' } });
      await waitFor(() => log.includes('update m'), fast);
      const cached = informer.lister.get('inf-strip', 'm')!;
      expect(cached.data).toEqual({ v: '2' });
      expect(cached.metadata).not.toHaveProperty('managedFields');
      const after = await client.get<CM>(CONFIGMAPS, 'm', { namespace: 'inf-strip' });
      expect(after.metadata.managedFields?.length).toBeGreaterThan(0);
    } finally {
      abort.abort();
    }
  });

  it('calls every handler as a method of its object, even after one of them throws', async () => {
    const { client } = api;
    await createNamespace(client, 'inf-throw');
    await client.create(CONFIGMAPS, configMap('inf-throw', 'h', { v: '1' }));
    const factory = new InformerFactory(client);
    const informer = factory.informer<CM>(CONFIGMAPS, { namespace: 'inf-throw' });
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('add failed');
      },
      onUpdate: () => {
        throw new Error('update failed');
      },
    });
    const { log, handlers } = recorder();
    const methods = {
      seen: [] as string[],
      onAdd(o: CM) {
        this.seen.push(`add ${o.metadata.name}`);
      },
    };
    informer.addEventHandler(handlers);
    informer.addEventHandler(methods);
    const abort = new AbortController();
    factory.start(abort.signal);
    await factory.waitForSync();
    try {
      await client.update(CONFIGMAPS, { ...structuredClone(informer.lister.get('inf-throw', 'h')!), data: { v: '2' } });
      await waitFor(() => log.includes('update h'), fast);
      expect(log).toEqual(['add h', 'update h']);
      expect(methods.seen).toEqual(['add h']);
      expect(error.mock.calls.map((c) => String(c[1]))).toEqual(['Error: add failed', 'Error: update failed']);
    } finally {
      abort.abort();
      error.mockRestore();
    }
  });

  it('rejects waitForSync when its signal aborts before the sync', async () => {
    const unreachable = new ApiClient({ server: 'http://127.0.0.1:1' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const factory = new InformerFactory(unreachable, { minRetryMs: 10 });
    factory.informer(CONFIGMAPS);
    const abort = new AbortController();
    factory.start(abort.signal);
    const waiting = factory.waitForSync(abort.signal);
    await waitFor(() => warn.mock.calls.length > 0, fast); // it failed and is retrying
    abort.abort();
    await expect(waiting).rejects.toBeDefined();
    warn.mockRestore();
    await unreachable.close();
  });
});
