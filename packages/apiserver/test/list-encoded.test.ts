// Lists answered from the stored bytes (the value cache, streamed in chunks) and writes answered with
// their stored text: the same objects a parse and re-serialization would give, and every
// acknowledged write is in the next list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodedListChunks, encodedListLength } from '../src/http/encoded-list.js';
import { metadataInsertPoint, type EncodedObject } from '../src/registry/codec.js';
import { configMap, pod, startServer, type TestServer } from './server-harness.js';

describe('metadataInsertPoint', () => {
  it.each([
    ['{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}', 44],
    ['{"apiVersion":"apps/v1","kind":"Deployment","metadata":{}}', 56],
    ['{"kind":"Pod","apiVersion":"v1","metadata":{}}', -1],
    ['{"apiVersion":"v\\"1","kind":"Pod","metadata":{}}', -1],
    ['{"apiVersion":"v1","kind":"Pod","spec":{}}', -1],
    ['{"apiVersion":"v1","kind":"Pod"', -1],
    ['', -1],
  ])('%s → %i', (json, at) => {
    expect(metadataInsertPoint(Buffer.from(json))).toBe(at);
  });
});

describe('encodedListChunks', () => {
  const item = (json: string, rv: string): EncodedObject => {
    const bytes = Buffer.from(json);
    const at = metadataInsertPoint(bytes);
    const field = `"resourceVersion":"${rv}"`;
    return at < 0 ? { bytes, at, insert: '' } : { bytes, at, insert: bytes[at] === 0x7d ? field : `${field},` };
  };
  const items = [
    item('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"é"}}', '7'),
    item('{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}', '12'),
    item('{"other":"shape","metadata":{"resourceVersion":"3"}}', ''),
  ];

  it.each([1, 8, 64, 1 << 20])('joins the items into one JSON document, in chunks of %i bytes', (chunkBytes) => {
    const before = '{"kind":"ConfigMapList","items":[';
    const chunks = [...encodedListChunks(before, items, ']}', chunkBytes)];
    const body = Buffer.concat(chunks);
    expect(body.length).toBe(encodedListLength(before, items, ']}'));
    expect(JSON.parse(body.toString())).toEqual({
      kind: 'ConfigMapList',
      items: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { resourceVersion: '7', name: 'a' }, data: { k: 'é' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { resourceVersion: '12' } },
        { other: 'shape', metadata: { resourceVersion: '3' } },
      ],
    });
    if (chunkBytes >= 1 << 20) expect(chunks.length).toBe(2); // the items, then the closing bytes
  });

  it('writes an empty list', () => {
    expect(Buffer.concat([...encodedListChunks('{"items":[', [], ']}')]).toString()).toBe('{"items":[]}');
  });
});

describe('lists and writes over HTTP', () => {
  let s: TestServer;
  const CM = '/api/v1/namespaces/enc/configmaps';
  const PODS = '/api/v1/namespaces/enc/pods';

  beforeAll(async () => {
    s = await startServer();
    await s.req('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'enc' } } });
  });
  afterAll(() => s.close());

  it('answers a create with what a GET then returns', async () => {
    const created = await s.req('POST', PODS, { body: pod('same', { labels: { app: 'x' } }) });
    expect(created.status).toBe(201);
    const got = await s.req('GET', `${PODS}/same`);
    expect(created.body).toEqual(got.body);
    expect(created.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(created.body.metadata.managedFields?.[0]?.fieldsV1?.['f:spec']).toBeDefined();
    const updated = await s.req('PUT', `${PODS}/same`, { body: { ...got.body, metadata: { ...got.body.metadata, labels: { app: 'y' } } } });
    expect(updated.body).toEqual((await s.req('GET', `${PODS}/same`)).body);
  });

  it('lists every acknowledged write, and each item as a GET returns it', async () => {
    for (let i = 0; i < 30; i++) {
      const { body: created } = await s.req('POST', CM, { body: configMap(`cm-${String(i).padStart(2, '0')}`, { i: String(i) }, { even: String(i % 2 === 0) }) });
      if (i % 5 === 4) await s.req('PUT', `${CM}/${created.metadata.name}`, { body: { ...created, data: { i: 'changed' } } });
      if (i % 7 === 6) await s.req('DELETE', `${CM}/cm-${String(i - 1).padStart(2, '0')}`);
      const list = await s.req('GET', CM);
      expect(list.headers.get('content-length')).toBe(String(Buffer.byteLength(list.text)));
      const names = list.body.items.map((o: any) => o.metadata.name);
      expect(names).toContain(created.metadata.name);
      expect(Number(list.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(created.metadata.resourceVersion));
    }
    const list = await s.req('GET', CM);
    expect(list.body.items).toHaveLength(30 - 4);
    for (const item of list.body.items) expect(item).toEqual((await s.req('GET', `${CM}/${item.metadata.name}`)).body);
  });

  it('pages with limit and continue and filters with selectors, as from the store', async () => {
    const all = (await s.req('GET', `${CM}?labelSelector=even%3Dtrue`)).body.items.map((o: any) => o.metadata.name);
    expect(all.length).toBeGreaterThan(5);
    const paged: string[] = [];
    let token = '';
    for (let page = 0; page < 20; page++) {
      const res = await s.req('GET', `${CM}?labelSelector=even%3Dtrue&limit=4${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      expect(res.body.items.length).toBeLessThanOrEqual(4);
      paged.push(...res.body.items.map((o: any) => o.metadata.name));
      token = res.body.metadata.continue ?? '';
      if (!token) break;
    }
    expect(paged).toEqual(all);
    expect([...all].sort()).toEqual(all);
    const byField = await s.req('GET', `${CM}?fieldSelector=metadata.name%3Dcm-02`);
    expect(byField.body.items.map((o: any) => o.metadata.name)).toEqual(['cm-02']);
  });
});
