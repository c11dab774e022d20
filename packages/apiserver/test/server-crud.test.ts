// Create, get, list, update per scope, the metadata the server owns, and the error catalog, over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, deployment, pod, startServer, type TestServer } from './server-harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
  await s.req('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crud' } } });
});
afterAll(() => s.close());

const CM = '/api/v1/namespaces/crud/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/crud/deployments';

describe('CRUD per scope', () => {
  it('creates, gets, lists and deletes a namespaced object', async () => {
    const created = await s.req('POST', CM, { body: configMap('one', { a: '1' }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'one', namespace: 'crud' }, data: { a: '1' } });
    const got = await s.req('GET', `${CM}/one`);
    expect(got.body.metadata.uid).toBe(created.body.metadata.uid);
    const list = await s.req('GET', CM);
    expect(list.body.kind).toBe('ConfigMapList');
    expect(list.body.items.map((i: any) => i.metadata.name)).toContain('one');
    expect(Number(list.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(created.body.metadata.resourceVersion));
    const deleted = await s.req('DELETE', `${CM}/one`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'one', kind: 'configmaps', uid: created.body.metadata.uid } });
    expect((await s.req('GET', `${CM}/one`)).status).toBe(404);
  });

  it('creates and reads a cluster-scoped object, dropping a namespace it was given', async () => {
    const pv = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv1', namespace: 'crud' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv1' } },
    };
    const res = await s.req('POST', '/api/v1/persistentvolumes', { body: pv });
    expect(res.status).toBe(201);
    expect(res.body.metadata.namespace).toBeUndefined();
    expect((await s.req('GET', '/api/v1/persistentvolumes/pv1')).body.metadata.name).toBe('pv1');
    // A cluster-scoped resource has no namespaced path.
    expect((await s.req('GET', '/api/v1/namespaces/crud/persistentvolumes/pv1')).status).toBe(404);
  });

  it('lists a namespaced resource across all namespaces, but writes only within one', async () => {
    await s.req('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crud-b' } } });
    await s.req('POST', CM, { body: configMap('across') });
    await s.req('POST', '/api/v1/namespaces/crud-b/configmaps', { body: configMap('across') });
    const all = await s.req('GET', '/api/v1/configmaps');
    const where = all.body.items.filter((i: any) => i.metadata.name === 'across').map((i: any) => i.metadata.namespace);
    expect(where.sort()).toEqual(['crud', 'crud-b']);
    const post = await s.req('POST', '/api/v1/configmaps', { body: configMap('nowhere') });
    expect(post.status).toBe(405);
  });

  it('refuses an object whose namespace disagrees with the URL', async () => {
    const res = await s.req('POST', CM, { body: { ...configMap('other'), metadata: { name: 'other', namespace: 'default' } } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('does not match the namespace');
  });
});

describe('create semantics', () => {
  it('fills uid, creationTimestamp, resourceVersion and generation 1, and resets status', async () => {
    const body: Record<string, any> = { ...deployment('web'), status: { replicas: 9 } };
    body.metadata.uid = 'client-chosen';
    const { status, body: d } = await s.req('POST', DEPLOY, { body });
    expect(status).toBe(201);
    expect(d.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.metadata.uid).not.toBe('client-chosen');
    expect(d.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(d.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(d.metadata.generation).toBe(1);
    expect(d.status).toBeUndefined();
    // defaults a real server fills in
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePolicy: 'File' });
  });

  it('names an object from generateName', async () => {
    const { status, body } = await s.req('POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } } });
    expect(status).toBe(201);
    expect(body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(body.metadata.generateName).toBe('gen-');
  });

  it('starts a pod Pending with its QoS class', async () => {
    const { body } = await s.req('POST', '/api/v1/namespaces/crud/pods', { body: { ...pod('p'), status: { phase: 'Running' } } });
    expect(body.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(body.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler' });
  });
});

describe('update semantics', () => {
  it('refuses a stale resourceVersion with 409 Conflict and retries without one', async () => {
    const { body: created } = await s.req('POST', CM, { body: configMap('upd', { a: '1' }) });
    const first = await s.req('PUT', `${CM}/upd`, { body: { ...created, data: { a: '2' } } });
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({ a: '2' });
    const stale = await s.req('PUT', `${CM}/upd`, { body: { ...created, data: { a: '3' } } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ reason: 'Conflict', details: { name: 'upd', kind: 'configmaps' } });
    expect(stale.body.message).toContain('the object has been modified');
    const { resourceVersion: _rv, ...metadata } = created.metadata;
    const blind = await s.req('PUT', `${CM}/upd`, { body: { ...created, metadata, data: { a: '4' } } });
    expect([blind.status, blind.body.data.a]).toEqual([200, '4']);
  });

  it('ignores status on the main resource and bumps generation only on spec changes', async () => {
    const { body: d } = await s.req('POST', DEPLOY, { body: deployment('gen') });
    const labelled = await s.req('PUT', `${DEPLOY}/gen`, { body: { ...d, metadata: { ...d.metadata, labels: { x: 'y' } }, status: { replicas: 5 } } });
    expect(labelled.status).toBe(200);
    expect(labelled.body.metadata.generation).toBe(1);
    expect(labelled.body.status).toBeUndefined();
    const scaled = await s.req('PUT', `${DEPLOY}/gen`, { body: { ...labelled.body, spec: { ...labelled.body.spec, replicas: 3 } } });
    expect(scaled.body.metadata.generation).toBe(2);
    expect(scaled.body.metadata.labels).toEqual({ x: 'y' });
  });

  it('changes status, but neither spec nor (for a Deployment) labels, through /status', async () => {
    const { body: d } = await s.req('POST', DEPLOY, { body: deployment('st') });
    const res = await s.req('PUT', `${DEPLOY}/st/status`, {
      body: { ...d, spec: { ...d.spec, replicas: 7 }, metadata: { ...d.metadata, labels: { ignored: 'yes' } }, status: { replicas: 1, observedGeneration: 1 } },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toEqual({ replicas: 1, observedGeneration: 1 });
    expect(res.body.spec.replicas).toBe(1);
    expect(res.body.metadata.labels).toBeUndefined();
    expect(res.body.metadata.generation).toBe(1);
  });

  it('keeps a no-op update at the same resourceVersion', async () => {
    const { body: created } = await s.req('POST', CM, { body: configMap('noop', { a: '1' }) });
    const res = await s.req('PUT', `${CM}/noop`, { body: created });
    expect(res.status).toBe(200);
    expect(res.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('refuses a body whose name disagrees with the URL', async () => {
    const { body: created } = await s.req('POST', CM, { body: configMap('named') });
    const res = await s.req('PUT', `${CM}/named`, { body: { ...created, metadata: { ...created.metadata, name: 'other' } } });
    expect(res.status).toBe(400);
  });
});

describe('errors', () => {
  it('404 names the resource and the object', async () => {
    const { status, body } = await s.req('GET', '/api/v1/namespaces/crud/pods/nope');
    expect(status).toBe(404);
    expect(body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    const grouped = await s.req('GET', `${DEPLOY}/nope`);
    expect(grouped.body).toMatchObject({ message: 'deployments.apps "nope" not found', details: { name: 'nope', group: 'apps', kind: 'deployments' } });
    const unknown = await s.req('GET', '/api/v1/namespaces/crud/widgets');
    expect(unknown.status).toBe(404);
  });

  it('409 AlreadyExists for a second create', async () => {
    await s.req('POST', CM, { body: configMap('twice') });
    const { status, body } = await s.req('POST', CM, { body: configMap('twice') });
    expect(status).toBe(409);
    expect(body).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "twice" already exists', details: { name: 'twice', kind: 'configmaps' } });
  });

  it('422 Invalid with causes naming each field', async () => {
    const bad = deployment('Bad_Name', -1);
    const { status, body } = await s.req('POST', DEPLOY, { body: bad });
    expect(status).toBe(422);
    expect(body).toMatchObject({ reason: 'Invalid', details: { name: 'Bad_Name', group: 'apps', kind: 'Deployment' } });
    const fields = body.details.causes.map((c: any) => c.field);
    expect(fields).toEqual(expect.arrayContaining(['metadata.name', 'spec.replicas']));
    expect(body.details.causes.find((c: any) => c.field === 'spec.replicas')).toMatchObject({ reason: 'FieldValueInvalid' });
    expect(body.message).toMatch(/^Deployment\.apps "Bad_Name" is invalid: /);
    // nothing was stored
    expect((await s.req('GET', `${DEPLOY}/Bad_Name`)).status).toBe(404);
  });

  it('422 for a missing name', async () => {
    const { status, body } = await s.req('POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } });
    expect(status).toBe(422);
    expect(body.details.causes[0]).toMatchObject({ field: 'metadata.name', reason: 'FieldValueRequired' });
  });

  it('400 for malformed JSON, a wrong kind, and an empty body', async () => {
    const malformed = await s.req('POST', CM, { body: '{"kind":' });
    expect([malformed.status, malformed.body.reason]).toEqual([400, 'BadRequest']);
    const wrongKind = await s.req('POST', CM, { body: { ...configMap('k'), kind: 'Secret' } });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.message).toContain('does not match the kind');
    const empty = await s.req('POST', CM, { body: '' });
    expect(empty.status).toBe(400);
  });

  it('405 for a verb the path does not take', async () => {
    const put = await s.req('PUT', CM, { body: configMap('x') });
    expect([put.status, put.body.reason]).toEqual([405, 'MethodNotAllowed']);
    const postToObject = await s.req('POST', `${CM}/twice`, { body: configMap('twice') });
    expect(postToObject.status).toBe(405);
  });

  it('413 for a body over 3 MiB', async () => {
    const huge = configMap('huge', { blob: 'x'.repeat(3 * 1024 * 1024 + 10) });
    const { status, body } = await s.req('POST', CM, { body: huge });
    expect(status).toBe(413);
    expect(body).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge', code: 413 });
  });

  it('422 for an object over 1.5 MiB that fits the request limit', async () => {
    const big = configMap('big', { blob: 'x'.repeat(2 * 1024 * 1024) });
    const { status } = await s.req('POST', CM, { body: big });
    expect(status).toBe(422);
    expect((await s.req('GET', `${CM}/big`)).status).toBe(404);
  });

  it('415 for an unknown content type', async () => {
    const { status, body } = await s.req('POST', CM, { body: JSON.stringify(configMap('t')), contentType: 'text/csv' });
    expect(status).toBe(415);
    expect(body).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
  });

  it('accepts YAML bodies', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n';
    const { status, body } = await s.req('POST', CM, { body: yaml, contentType: 'application/yaml' });
    expect(status).toBe(201);
    expect(body.data).toEqual({ k: 'v' });
  });
});
