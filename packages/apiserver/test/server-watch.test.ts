// Watches over HTTP: initial state, resuming, event types, selector transitions, bookmarks,
// timeouts, header flushing and Table events (kubectl-wire §6).
import { findResource } from '@mini-kube/api';
import type { StatusError } from '@mini-kube/machinery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_ACCEPT, configMap, pod, startServer, type TestServer } from './server-harness.js';

let s: TestServer;
const BOOKMARK_MS = 200;

beforeAll(async () => {
  s = await startServer({ server: { watchBookmarkIntervalMs: BOOKMARK_MS } });
  for (const ns of ['w1', 'w2', 'w3', 'w4', 'w5'])
    await s.req('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
});
afterAll(() => s.close());

const cm = (ns: string): string => `/api/v1/namespaces/${ns}/configmaps`;

describe('watch', () => {
  it('starts with ADDED for existing objects when resourceVersion is unset or 0', async () => {
    await s.req('POST', cm('w1'), { body: configMap('a') });
    await s.req('POST', cm('w1'), { body: configMap('b') });
    for (const rv of ['', '&resourceVersion=0']) {
      const w = await s.watch(`${cm('w1')}?watch=true${rv}`);
      expect(w.status).toBe(200);
      expect(w.headers.get('content-type')).toMatch(/^application\/json/);
      const first = [await w.next(), await w.next()];
      expect(first.map((e) => [e.type, e.object.metadata.name]).sort()).toEqual([
        ['ADDED', 'a'],
        ['ADDED', 'b'],
      ]);
      expect(first[0].object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
      w.close();
    }
  });

  it('sends only later changes after resourceVersion N: ADDED, MODIFIED, DELETED', async () => {
    const { body: existing } = await s.req('POST', cm('w2'), { body: configMap('old') });
    const w = await s.watch(`${cm('w2')}?watch=true&resourceVersion=${existing.metadata.resourceVersion}`);
    const created = await s.req('POST', cm('w2'), { body: configMap('new', { v: '1' }) });
    await s.req('PUT', `${cm('w2')}/new`, { body: { ...created.body, data: { v: '2' } } });
    await s.req('DELETE', `${cm('w2')}/new`);
    const events = [await w.next(), await w.next(), await w.next()];
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'new'],
      ['MODIFIED', 'new'],
      ['DELETED', 'new'],
    ]);
    expect(events[1].object.data).toEqual({ v: '2' });
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs).toEqual([...rvs].sort((x, y) => x - y));
    expect(rvs[0]).toBeGreaterThan(Number(existing.metadata.resourceVersion));
    // "old" is never replayed
    expect(await w.drain(100)).toEqual([]);
    w.close();
  });

  it('resumes from an older resourceVersion, replaying what happened since', async () => {
    const { body: first } = await s.req('POST', cm('w3'), { body: configMap('r1') });
    await s.req('POST', cm('w3'), { body: configMap('r2') });
    await s.req('DELETE', `${cm('w3')}/r1`);
    const w = await s.watch(`${cm('w3')}?watch=true&resourceVersion=${first.metadata.resourceVersion}`);
    expect([await w.next(), await w.next()].map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'r2'],
      ['DELETED', 'r1'],
    ]);
    w.close();
  });

  it('turns label-selector transitions into ADDED and DELETED', async () => {
    const { body: start } = await s.req('POST', cm('w4'), { body: configMap('x', {}, { app: 'other' }) });
    const w = await s.watch(`${cm('w4')}?watch=true&labelSelector=app%3Dweb&resourceVersion=${start.metadata.resourceVersion}`);
    const enter = await s.req('PUT', `${cm('w4')}/x`, { body: { ...start, metadata: { ...start.metadata, labels: { app: 'web' } } } });
    const change = await s.req('PUT', `${cm('w4')}/x`, { body: { ...enter.body, data: { k: 'v' } } });
    await s.req('PUT', `${cm('w4')}/x`, { body: { ...change.body, metadata: { ...change.body.metadata, labels: { app: 'gone' } } } });
    const events = [await w.next(), await w.next(), await w.next()];
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events[2].object.metadata.labels).toEqual({ app: 'gone' });
    w.close();
  });

  it('watches one object by metadata.name across all namespaces', async () => {
    const w = await s.watch(`/api/v1/configmaps?watch=true&fieldSelector=metadata.name%3Dneedle&resourceVersion=${await currentRv()}`);
    await s.req('POST', cm('w5'), { body: configMap('hay') });
    await s.req('POST', cm('w5'), { body: configMap('needle') });
    const event = await w.next();
    expect([event.type, event.object.metadata.namespace, event.object.metadata.name]).toEqual(['ADDED', 'w5', 'needle']);
    expect(await w.drain(100)).toEqual([]);
    w.close();
  });

  it('flushes headers before the first event', async () => {
    // Nothing happens in this namespace: the response must still start at once.
    const started = Date.now();
    const w = await s.watch(`/api/v1/namespaces/quiet/configmaps?watch=true&resourceVersion=${await currentRv()}`);
    expect(w.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await w.next(100)).toBeUndefined();
    w.close();
  });

  it('closes the stream after timeoutSeconds', async () => {
    const w = await s.watch(`${cm('w5')}?watch=true&timeoutSeconds=1&resourceVersion=${await currentRv()}`);
    expect(await w.ended(4000)).toBe(true);
  });

  it('sends bookmarks only when asked', async () => {
    const rv = await currentRv();
    const plain = await s.watch(`${cm('w5')}?watch=true&resourceVersion=${rv}`);
    const asked = await s.watch(`${cm('w5')}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`);
    await s.req('POST', cm('w1'), { body: configMap('elsewhere') }); // moves the revision on
    const bookmark = await asked.next(BOOKMARK_MS * 10);
    expect(bookmark).toMatchObject({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1' } });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    expect(await plain.drain(BOOKMARK_MS * 3)).toEqual([]);
    plain.close();
    asked.close();
  });

  it('refuses a malformed resourceVersion', async () => {
    const { status, body } = await s.req('GET', `${cm('w5')}?watch=true&resourceVersion=abc`);
    expect([status, body.reason]).toEqual([400, 'BadRequest']);
  });
});

describe('a watch that fails after it started', () => {
  it('ends with 410 Expired when compaction overtakes its replay', async () => {
    const configmaps = findResource('', 'v1', 'configmaps')!;
    const from = await s.store.currentRevision();
    // More history than one replay page, written straight to the store to stay fast.
    for (let i = 0; i < 1100; i++) {
      const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bulk-${i}`, namespace: 'w3', uid: `u${i}` } };
      await s.store.create(`/registry/core/configmaps/w3/bulk-${i}`, JSON.stringify(obj));
    }
    const newest = await s.store.currentRevision();
    let delivered = 0;
    const failed = new Promise<StatusError>((resolve) => {
      void s.server.registry.watch(configmaps, 'w3', { resourceVersion: String(from) }, () => {
        if (delivered++ === 0) void s.store.compact(newest);
      }, resolve);
    });
    const err = await failed;
    expect([err.code, err.reason]).toEqual([410, 'Expired']);
    expect(delivered).toBeLessThan(1100);
  });
});

describe('Table watches', () => {
  it('sends column definitions in the first event only', async () => {
    const w = await s.watch(`/api/v1/namespaces/w5/pods?watch=true&resourceVersion=${await currentRv()}`, TABLE_ACCEPT);
    const { body: created } = await s.req('POST', '/api/v1/namespaces/w5/pods', { body: pod('tp') });
    await s.req('PATCH', '/api/v1/namespaces/w5/pods/tp', { body: { metadata: { labels: { a: 'b' } } }, contentType: 'application/merge-patch+json' });
    const first = await w.next();
    const second = await w.next();
    expect(first.type).toBe('ADDED');
    expect(first.object.kind).toBe('Table');
    expect(first.object.columnDefinitions.map((c: any) => c.name)).toContain('Ready');
    expect(first.object.rows[0].cells[0]).toBe('tp');
    expect(first.object.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { uid: created.metadata.uid } });
    expect(second.type).toBe('MODIFIED');
    expect(second.object.columnDefinitions).toEqual([]);
    expect(second.object.rows[0].object.metadata.labels).toEqual({ a: 'b' });
    w.close();
  });
});

async function currentRv(): Promise<string> {
  return (await s.req('GET', '/api/v1/namespaces?limit=1')).body.metadata.resourceVersion;
}
