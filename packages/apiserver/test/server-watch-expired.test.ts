// A watch from a compacted resourceVersion gets a 410 Expired ERROR event, on a store whose
// history window is a few milliseconds long.
import { waitFor } from '@mini-kube/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { configMap, startServer, type TestServer } from './server-harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ store: { historyWindowMs: 1, compactIntervalMs: 20 } });
});
afterAll(() => s.close());

it('answers a watch from a compacted resourceVersion with an ERROR event carrying 410 Expired', async () => {
  const { body: old } = await s.req('POST', '/api/v1/namespaces/default/configmaps', { body: configMap('old') });
  await s.req('POST', '/api/v1/namespaces/default/configmaps', { body: configMap('newer') });
  const oldRv = Number(old.metadata.resourceVersion);
  await waitFor(async () => (await s.store.compactedRevision()) > oldRv, { message: 'compaction' });

  const w = await s.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${oldRv}`);
  expect(w.status).toBe(200);
  const event = await w.next();
  expect(event.type).toBe('ERROR');
  expect(event.object).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
  expect(event.object.message).toContain(`too old resource version: ${oldRv}`);
  expect(await w.ended()).toBe(true);

  // The client's way out: list again and watch from the list's resourceVersion.
  const list = await s.req('GET', '/api/v1/namespaces/default/configmaps');
  const fresh = await s.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
  await s.req('POST', '/api/v1/namespaces/default/configmaps', { body: configMap('after') });
  expect(await fresh.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'after' } } });
  fresh.close();
});
