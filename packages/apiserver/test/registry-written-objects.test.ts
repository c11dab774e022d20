// Updates start from the object the registry wrote last (registry/written-objects.ts): only while the
// stored revision is still the one that wrote it and through the resource's own version (not a
// converted view), and the objects are frozen under the test suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WrittenObjects } from '../src/registry/written-objects.js';
import { configMap, startServer, type TestServer } from './server-harness.js';

const object = (name: string, rv: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, resourceVersion: String(rv) }, data: { a: '1' } });

describe('WrittenObjects', () => {
  it('answers for the revision that wrote the object only', () => {
    const written = new WrittenObjects();
    const o = object('a', 5);
    written.set('/k/a', 5, o);
    expect(written.get('/k/a', 5)).toBe(o);
    expect(written.get('/k/a', 6)).toBeUndefined();
    expect(written.get('/k/b', 5)).toBeUndefined();
  });

  it('keeps the most recently written objects up to its capacity', () => {
    const written = new WrittenObjects(2);
    written.set('/k/a', 1, object('a', 1));
    written.set('/k/b', 2, object('b', 2));
    written.set('/k/a', 3, object('a', 3)); // written again: now the most recent
    written.set('/k/c', 4, object('c', 4)); // evicts b, the least recent
    expect([written.get('/k/a', 3)?.metadata.name, written.get('/k/b', 2), written.get('/k/c', 4)?.metadata.name]).toEqual(['a', undefined, 'c']);
  });

  it('freezes what it holds, deeply, under the test suite (MINI_KUBE_FREEZE_SHARED=1)', () => {
    expect(process.env.MINI_KUBE_FREEZE_SHARED).toBe('1');
    const o = object('a', 1);
    new WrittenObjects().set('/k/a', 1, o);
    expect(() => {
      (o.data as Record<string, string>).a = '2';
    }).toThrow(TypeError);
    expect(o.data.a).toBe('1');
  });
});

describe('updates through the registry', () => {
  let s: TestServer;
  const CMS = '/api/v1/namespaces/default/configmaps';
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('start from the stored object when something else wrote it since (not from the one it remembers)', async () => {
    const created = (await s.req('POST', CMS, { body: configMap('shared', { a: '1' }) })).body;
    // Another writer of the same store (a second daemon on etcd): the registry did not see this write.
    const key = (await s.store.list('/')).items.find((kv) => kv.key.endsWith('/configmaps/default/shared'))!.key;
    const stored = JSON.parse((await s.store.get(key))!.value);
    await s.store.update(key, JSON.stringify({ ...stored, data: { a: '1', b: 'from elsewhere' } }), Number(created.metadata.resourceVersion));
    const patched = await s.req('PATCH', `${CMS}/shared`, { body: { data: { c: '3' } }, contentType: 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toEqual({ a: '1', b: 'from elsewhere', c: '3' });
  });

  it('give what parsing the stored object gives, write after write', async () => {
    let current = (await s.req('POST', CMS, { body: configMap('chain', { n: '0' }) })).body;
    for (let n = 1; n <= 3; n++) {
      current = (await s.req('PUT', `${CMS}/chain`, { body: { ...current, data: { n: String(n) } } })).body;
      const read = await s.req('GET', `${CMS}/chain`);
      expect(current).toEqual(read.body);
    }
    expect(current.data).toEqual({ n: '3' });
  });
});

describe('updates through a converted view', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('start from the stored object in the view\'s form, not from the object written through the other version', async () => {
    const core = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'ev' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Started', message: 'hello', type: 'Normal' };
    expect((await s.req('POST', '/api/v1/namespaces/default/events', { body: core })).status).toBe(201);
    const patched = await s.req('PATCH', '/apis/events.k8s.io/v1/namespaces/default/events/ev', { body: { note: 'hello again' }, contentType: 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'hello again', reason: 'Started', regarding: { kind: 'Pod', name: 'p' } });
    expect((await s.req('GET', '/api/v1/namespaces/default/events/ev')).body).toMatchObject({ message: 'hello again', reason: 'Started' });
    // The patch changed the note alone: its writer owns that field only (compared with the object in
    // the other form, it took `regarding` too).
    const entries = patched.body.metadata.managedFields as { apiVersion: string; fieldsV1: unknown }[];
    expect(entries.find((e) => e.apiVersion === 'events.k8s.io/v1')?.fieldsV1).toEqual({ 'f:note': {} });
  });
});
