// Deletion over HTTP: graceful pods, finalizers, propagation policies, preconditions,
// deletecollection and namespace termination.
import { waitFor } from '@mini-kube/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, pod, startServer, type TestServer } from './server-harness.js';

let s: TestServer;
const PODS = '/api/v1/namespaces/default/pods';
const CM = '/api/v1/namespaces/default/configmaps';
const MERGE = 'application/merge-patch+json';

beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

const namespace = (name: string): Promise<unknown> =>
  s.req('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });

describe('graceful pod deletion', () => {
  it('deletes an unbound pod at once', async () => {
    await s.req('POST', PODS, { body: pod('unbound') });
    const res = await s.req('DELETE', `${PODS}/unbound`);
    expect(res.status).toBe(200);
    expect((await s.req('GET', `${PODS}/unbound`)).status).toBe(404);
  });

  it('marks a bound pod with deletionTimestamp and leaves it to its kubelet', async () => {
    await s.req('POST', PODS, { body: pod('bound', { nodeName: 'node-1' }) });
    const res = await s.req('DELETE', `${PODS}/bound`);
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('Pod');
    expect(res.body.metadata.deletionTimestamp).toBeTruthy();
    expect(res.body.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((await s.req('GET', `${PODS}/bound`)).status).toBe(200);
    // a shorter grace period shortens it; the kubelet's final delete uses 0
    const shorter = await s.req('DELETE', `${PODS}/bound`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 5 } });
    expect(shorter.body.metadata.deletionGracePeriodSeconds).toBe(5);
    const final = await s.req('DELETE', `${PODS}/bound?gracePeriodSeconds=0`);
    expect(final.body).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await s.req('GET', `${PODS}/bound`)).status).toBe(404);
  });
});

describe('finalizers', () => {
  it('waits for the last finalizer to be removed', async () => {
    await s.req('POST', CM, { body: { ...configMap('fin'), metadata: { name: 'fin', finalizers: ['a.example.com/x', 'b.example.com/y'] } } });
    const res = await s.req('DELETE', `${CM}/fin`);
    expect(res.status).toBe(200);
    expect(res.body.metadata.deletionTimestamp).toBeTruthy();
    expect(res.body.metadata.deletionGracePeriodSeconds).toBe(0);
    const one = await s.req('PATCH', `${CM}/fin`, { body: { metadata: { finalizers: ['b.example.com/y'] } }, contentType: MERGE });
    expect(one.status).toBe(200);
    expect((await s.req('GET', `${CM}/fin`)).status).toBe(200);
    const last = await s.req('PATCH', `${CM}/fin`, { body: { metadata: { finalizers: null } }, contentType: MERGE });
    expect(last.status).toBe(200);
    expect((await s.req('GET', `${CM}/fin`)).status).toBe(404);
  });

  it('keeps the deletionTimestamp across updates', async () => {
    await s.req('POST', CM, { body: { ...configMap('keep'), metadata: { name: 'keep', finalizers: ['x/y'] } } });
    const { body: marked } = await s.req('DELETE', `${CM}/keep`);
    const { body: updated } = await s.req('PUT', `${CM}/keep`, { body: { ...marked, metadata: { ...marked.metadata, deletionTimestamp: undefined }, data: { a: '1' } } });
    expect(updated.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
    await s.req('PATCH', `${CM}/keep`, { body: { metadata: { finalizers: [] } }, contentType: MERGE });
  });

  it.each([
    ['Foreground', 'foregroundDeletion'],
    ['Orphan', 'orphan'],
  ])('propagationPolicy %s adds the %s finalizer', async (policy, finalizer) => {
    const name = `prop-${policy.toLowerCase()}`;
    await s.req('POST', CM, { body: configMap(name) });
    const res = await s.req('DELETE', `${CM}/${name}`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: policy } });
    expect(res.status).toBe(200);
    expect(res.body.metadata.finalizers).toEqual([finalizer]);
    expect(res.body.metadata.deletionTimestamp).toBeTruthy();
    // the garbage collector's job: removing it finishes the deletion
    await s.req('PATCH', `${CM}/${name}`, { body: { metadata: { finalizers: null } }, contentType: MERGE });
    expect((await s.req('GET', `${CM}/${name}`)).status).toBe(404);
  });

  it('refuses an unknown propagationPolicy', async () => {
    expect((await s.req('DELETE', `${CM}/x?propagationPolicy=Sideways`)).status).toBe(400);
  });
});

describe('preconditions', () => {
  it('deletes only the object with the given uid', async () => {
    const { body } = await s.req('POST', CM, { body: configMap('pre') });
    const wrong = await s.req('DELETE', `${CM}/pre`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'not-it' } } });
    expect([wrong.status, wrong.body.reason]).toEqual([409, 'Conflict']);
    expect(wrong.body.message).toContain('Precondition failed: UID in precondition: not-it');
    const right = await s.req('DELETE', `${CM}/pre`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: body.metadata.uid } } });
    expect(right.status).toBe(200);
  });

  it('checks a resourceVersion precondition', async () => {
    const { body } = await s.req('POST', CM, { body: configMap('prerv') });
    await s.req('PATCH', `${CM}/prerv`, { body: { data: { a: '1' } }, contentType: MERGE });
    const stale = await s.req('DELETE', `${CM}/prerv`, { body: { preconditions: { resourceVersion: body.metadata.resourceVersion } } });
    expect(stale.status).toBe(409);
  });

  it('answers 404 for a missing object', async () => {
    const res = await s.req('DELETE', `${CM}/never`);
    expect([res.status, res.body.message]).toEqual([404, 'configmaps "never" not found']);
  });
});

describe('deletecollection', () => {
  it('deletes what the selector matches and returns it as a list', async () => {
    await namespace('dc');
    const path = '/api/v1/namespaces/dc/configmaps';
    for (const [name, tier] of [['a', 'x'], ['b', 'x'], ['c', 'y']]) await s.req('POST', path, { body: configMap(name!, {}, { tier: tier! }) });
    const res = await s.req('DELETE', `${path}?labelSelector=tier%3Dx`);
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('ConfigMapList');
    expect(res.body.items.map((i: any) => i.metadata.name).sort()).toEqual(['a', 'b']);
    const left = await s.req('GET', path);
    expect(left.body.items.map((i: any) => i.metadata.name)).toEqual(['c']);
  });
});

describe('namespace deletion', () => {
  it('goes Terminating, removes its contents, then itself', async () => {
    await namespace('doomed');
    await s.req('POST', '/api/v1/namespaces/doomed/configmaps', { body: configMap('c1') });
    await s.req('POST', '/api/v1/namespaces/doomed/pods', { body: pod('p1', { nodeName: 'node-1' }) });
    await s.req('POST', '/apis/apps/v1/namespaces/doomed/deployments', {
      body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
    });
    // An object with a finalizer holds the namespace in Terminating until it is released.
    await s.req('POST', '/api/v1/namespaces/doomed/configmaps', { body: { ...configMap('held'), metadata: { name: 'held', finalizers: ['x/hold'] } } });
    const res = await s.req('DELETE', '/api/v1/namespaces/doomed');
    expect(res.status).toBe(200);
    expect(res.body.status.phase).toBe('Terminating');
    expect(res.body.metadata.deletionTimestamp).toBeTruthy();

    const refused = await s.req('POST', '/api/v1/namespaces/doomed/configmaps', { body: configMap('late') });
    expect([refused.status, refused.body.reason]).toEqual([403, 'Forbidden']);
    expect(refused.body.message).toContain('because it is being terminated');

    await waitFor(async () => (await s.req('GET', '/api/v1/namespaces/doomed/configmaps/c1')).status === 404, { message: 'contents removed' });
    const held = await s.req('GET', '/api/v1/namespaces/doomed/configmaps/held');
    expect(held.body.metadata.deletionTimestamp).toBeTruthy();
    expect((await s.req('GET', '/api/v1/namespaces/doomed')).body.status.phase).toBe('Terminating');
    await s.req('PATCH', '/api/v1/namespaces/doomed/configmaps/held', { body: { metadata: { finalizers: null } }, contentType: MERGE });
    await waitFor(async () => (await s.req('GET', '/api/v1/namespaces/doomed')).status === 404, { message: 'namespace gone' });
    expect((await s.req('GET', '/api/v1/namespaces/doomed/configmaps/c1')).status).toBe(404);
    expect((await s.req('GET', '/api/v1/namespaces/doomed/pods/p1')).status).toBe(404);
    expect((await s.req('GET', '/apis/apps/v1/namespaces/doomed/deployments/d')).status).toBe(404);
  });

  it('refuses to create in a namespace that does not exist', async () => {
    const res = await s.req('POST', '/api/v1/namespaces/missing/configmaps', { body: configMap('x') });
    expect([res.status, res.body.reason, res.body.message]).toEqual([404, 'NotFound', 'namespaces "missing" not found']);
  });

  it('protects the system namespaces', async () => {
    const res = await s.req('DELETE', '/api/v1/namespaces/default');
    expect(res.status).toBe(403);
    expect((await s.req('GET', '/api/v1/namespaces/default')).body.status.phase).toBe('Active');
  });
});
