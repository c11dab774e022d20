// OMIT_MANAGED_FIELDS_HEADER: a client that drops managedFields (the daemon's components) asks the
// server to leave them out of written objects' answers and watch events; the stored objects keep
// them, and a client that does not ask still gets them.
import { OMIT_MANAGED_FIELDS_HEADER } from '@mini-kube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, startServer, type TestServer } from './server-harness.js';

let s: TestServer;
const OMIT = { [OMIT_MANAGED_FIELDS_HEADER]: 'true' };
const CMS = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

/** The object without metadata.managedFields. */
function withoutManagedFields(obj: any): any {
  const { managedFields: _managedFields, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

describe('answers and watch events without managedFields', () => {
  it('leaves them out of the answers to writes for a client that asks, and only for it', async () => {
    const created = await s.req('POST', CMS, { body: configMap('asked', { a: '1' }), headers: OMIT });
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields).toBeUndefined();
    expect(created.body.data).toEqual({ a: '1' });

    const stored = await s.req('GET', `${CMS}/asked`);
    expect(stored.body.metadata.managedFields).toHaveLength(1);
    expect(created.body).toEqual(withoutManagedFields(stored.body));

    const updated = await s.req('PUT', `${CMS}/asked`, { body: { ...stored.body, data: { a: '2' } }, headers: OMIT });
    expect(updated.status).toBe(200);
    expect(updated.body.metadata.managedFields).toBeUndefined();
    expect(updated.body.metadata.resourceVersion).not.toBe(stored.body.metadata.resourceVersion);

    const plain = await s.req('PUT', `${CMS}/asked`, { body: { ...updated.body, data: { a: '3' } } });
    expect(plain.body.metadata.managedFields).toHaveLength(1);
  });

  it('streams events without them to a watcher that asks, with them to one that does not', async () => {
    const rv = (await s.req('GET', CMS)).body.metadata.resourceVersion;
    const asking = await s.watch(`${CMS}?watch=true&resourceVersion=${rv}`, undefined, OMIT);
    const plain = await s.watch(`${CMS}?watch=true&resourceVersion=${rv}`);
    await s.req('POST', CMS, { body: configMap('watched', { b: '1' }) });

    const [without, full] = [await asking.next(), await plain.next()];
    expect(without.type).toBe('ADDED');
    expect(without.object.metadata.managedFields).toBeUndefined();
    expect(full.object.metadata.managedFields).toHaveLength(1);
    expect(without.object).toEqual(withoutManagedFields(full.object));
    asking.close();
    plain.close();
  });
});
