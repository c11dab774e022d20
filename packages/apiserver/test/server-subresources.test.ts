// Subresources (scale, binding, eviction), the two Event APIs over one object, and Service
// address allocation, over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployment, pod, startServer, type TestServer } from './server-harness.js';

let s: TestServer;
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const PODS = '/api/v1/namespaces/default/pods';
const SVC = '/api/v1/namespaces/default/services';

beforeAll(async () => {
  s = await startServer();
  await s.req('POST', DEPLOY, { body: deployment('sc', 2) });
});
afterAll(() => s.close());

describe('scale', () => {
  it('GET returns an autoscaling/v1 Scale', async () => {
    const { status, body } = await s.req('GET', `${DEPLOY}/sc/scale`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'sc', namespace: 'default' }, spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=sc' } });
  });

  it('PUT without a Content-Type sets replicas (kubectl scale --current-replicas)', async () => {
    const current = (await s.req('GET', `${DEPLOY}/sc/scale`)).body;
    const res = await s.req('PUT', `${DEPLOY}/sc/scale`, { body: JSON.stringify({ ...current, spec: { replicas: 4 } }), contentType: null });
    expect(res.status).toBe(200);
    expect(res.body.spec.replicas).toBe(4);
    const d = (await s.req('GET', `${DEPLOY}/sc`)).body;
    expect(d.spec.replicas).toBe(4);
    expect(d.metadata.generation).toBe(2);
  });

  it('PUT with a stale resourceVersion conflicts', async () => {
    const stale = { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'sc', namespace: 'default', resourceVersion: '1' }, spec: { replicas: 1 } };
    expect((await s.req('PUT', `${DEPLOY}/sc/scale`, { body: stale })).status).toBe(409);
  });

  it('PATCH with a merge patch sets replicas', async () => {
    const res = await s.req('PATCH', `${DEPLOY}/sc/scale`, { body: { spec: { replicas: 3 } }, contentType: 'application/merge-patch+json' });
    expect([res.status, res.body.kind, res.body.spec.replicas]).toEqual([200, 'Scale', 3]);
    expect((await s.req('GET', `${DEPLOY}/sc`)).body.spec.replicas).toBe(3);
  });

  it('refuses a negative replica count as Invalid', async () => {
    const res = await s.req('PATCH', `${DEPLOY}/sc/scale`, { body: { spec: { replicas: -1 } }, contentType: 'application/merge-patch+json' });
    expect(res.status).toBe(422);
  });

  it('is not served for kinds without it', async () => {
    expect((await s.req('GET', '/api/v1/namespaces/default/configmaps/x/scale')).status).toBe(404);
  });
});

describe('binding', () => {
  const binding = (name: string, node: string): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name },
    target: { apiVersion: 'v1', kind: 'Node', name: node },
  });

  it('sets nodeName, PodScheduled and its annotations once, leaving managedFields alone; a second binding conflicts', async () => {
    const created = (await s.req('POST', `${PODS}?fieldManager=creator`, { body: pod('tobind') })).body;
    const withAnnotation = { ...binding('tobind', 'node-1'), metadata: { name: 'tobind', annotations: { 'scheduler.example/score': '7' } } };
    const res = await s.req('POST', `${PODS}/tobind/binding?fieldManager=scheduler`, { body: withAnnotation });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Success' });
    const bound = (await s.req('GET', `${PODS}/tobind`)).body;
    expect(bound.spec.nodeName).toBe('node-1');
    expect(bound.status.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
    expect(bound.metadata.annotations).toEqual({ 'scheduler.example/score': '7' });
    // Upstream's binding writes storage directly: the creator's entry is the only one, as it was.
    expect(bound.metadata.managedFields).toEqual(created.metadata.managedFields);
    const again = await s.req('POST', `${PODS}/tobind/binding`, { body: binding('tobind', 'node-2') });
    expect([again.status, again.body.reason]).toEqual([409, 'Conflict']);
    expect((await s.req('GET', `${PODS}/tobind`)).body.spec.nodeName).toBe('node-1');
  });

  it('answers 404 for a missing pod and 400 without a target', async () => {
    expect((await s.req('POST', `${PODS}/ghost/binding`, { body: binding('ghost', 'node-1') })).status).toBe(404);
    await s.req('POST', PODS, { body: pod('notarget') });
    expect((await s.req('POST', `${PODS}/notarget/binding`, { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'notarget' } } })).status).toBe(400);
  });
});

describe('eviction', () => {
  it('answers 201 with a Status and deletes the pod gracefully', async () => {
    await s.req('POST', PODS, { body: pod('evictme', { nodeName: 'node-1' }) });
    const res = await s.req('POST', `${PODS}/evictme/eviction`, {
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evictme', namespace: 'default' } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Success' });
    expect((await s.req('GET', `${PODS}/evictme`)).body.metadata.deletionTimestamp).toBeTruthy();
  });

  it('answers 404 for a missing pod', async () => {
    const res = await s.req('POST', `${PODS}/ghost/eviction`, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'ghost' } } });
    expect(res.status).toBe(404);
  });
});

describe('events in two API groups', () => {
  it('serves one Event object as core/v1 and events.k8s.io/v1', async () => {
    const core = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'ev1' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
      reason: 'Started',
      message: 'started container',
      type: 'Normal',
      count: 2,
      reportingComponent: 'kubelet',
    };
    expect((await s.req('POST', '/api/v1/namespaces/default/events', { body: core })).status).toBe(201);
    const asNew = await s.req('GET', '/apis/events.k8s.io/v1/namespaces/default/events/ev1');
    expect(asNew.body).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      regarding: { kind: 'Pod', name: 'web' },
      note: 'started container',
      deprecatedCount: 2,
      reportingController: 'kubelet',
    });
    expect(asNew.body.involvedObject).toBeUndefined();

    const created = await s.req('POST', '/apis/events.k8s.io/v1/namespaces/default/events', {
      body: {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: 'ev2' },
        eventTime: '2025-01-01T00:00:00.000000Z',
        regarding: { kind: 'Node', name: 'node-1' },
        note: 'node ready',
        reason: 'NodeReady',
        type: 'Normal',
        action: 'Ready',
        reportingController: 'mini-kube/kubelet',
        reportingInstance: 'node-1',
      },
    });
    expect(created.status).toBe(201);
    const asCore = await s.req('GET', '/api/v1/namespaces/default/events/ev2');
    expect(asCore.body).toMatchObject({ apiVersion: 'v1', involvedObject: { kind: 'Node', name: 'node-1' }, message: 'node ready', reportingComponent: 'mini-kube/kubelet' });
    const byField = await s.req('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.kind%3DNode');
    expect(byField.body.items.map((e: any) => e.metadata.name)).toEqual(['ev2']);
    const newList = await s.req('GET', '/apis/events.k8s.io/v1/namespaces/default/events');
    expect(newList.body.items.map((e: any) => e.metadata.name).sort()).toEqual(['ev1', 'ev2']);
    expect(newList.body.items.every((e: any) => e.regarding && !e.involvedObject)).toBe(true);
  });
});

describe('service addresses', () => {
  const service = (name: string, spec: Record<string, unknown> = {}): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
  });
  const inRange = (ip: string): boolean => {
    const [a, b] = ip.split('.').map(Number);
    return a === 127 && b! >= 96 && b! <= 111;
  };

  it('gives the kubernetes Service the first address', async () => {
    const { body } = await s.req('GET', `${SVC}/kubernetes`);
    expect(body.spec.clusterIP).toBe('127.96.0.1');
  });

  it('allocates distinct cluster IPs from 127.96.0.0/12', async () => {
    const a = (await s.req('POST', SVC, { body: service('ip-a') })).body;
    const b = (await s.req('POST', SVC, { body: service('ip-b') })).body;
    for (const svc of [a, b]) {
      expect(inRange(svc.spec.clusterIP)).toBe(true);
      expect(svc.spec.clusterIPs).toEqual([svc.spec.clusterIP]);
    }
    expect(a.spec.clusterIP).not.toBe(b.spec.clusterIP);
    expect(a.spec.clusterIP).not.toBe('127.96.0.1');
  });

  it('honours a free requested IP and refuses a taken or out-of-range one', async () => {
    const wanted = await s.req('POST', SVC, { body: service('ip-want', { clusterIP: '127.100.0.7' }) });
    expect([wanted.status, wanted.body.spec.clusterIP]).toEqual([201, '127.100.0.7']);
    const taken = await s.req('POST', SVC, { body: service('ip-taken', { clusterIP: '127.100.0.7' }) });
    expect(taken.status).toBe(422);
    expect(taken.body.details.causes[0]).toMatchObject({ field: 'spec.clusterIPs' });
    expect(taken.body.details.causes[0].message).toContain('already allocated');
    const outside = await s.req('POST', SVC, { body: service('ip-out', { clusterIP: '10.0.0.1' }) });
    expect(outside.status).toBe(422);
    expect(outside.body.details.causes[0].message).toContain('not in the valid range');
  });

  it('frees an IP when its Service is deleted', async () => {
    await s.req('POST', SVC, { body: service('ip-free', { clusterIP: '127.100.0.9' }) });
    await s.req('DELETE', `${SVC}/ip-free`);
    const again = await s.req('POST', SVC, { body: service('ip-free2', { clusterIP: '127.100.0.9' }) });
    expect(again.status).toBe(201);
  });

  it('keeps the IP across an update that leaves it out', async () => {
    const { body } = await s.req('POST', SVC, { body: service('ip-keep') });
    const { clusterIP: _ip, clusterIPs: _ips, ...spec } = body.spec;
    const res = await s.req('PUT', `${SVC}/ip-keep`, { body: { ...body, spec } });
    expect(res.body.spec.clusterIP).toBe(body.spec.clusterIP);
  });

  it('makes headless Services with clusterIP None', async () => {
    const { body } = await s.req('POST', SVC, { body: service('headless', { clusterIP: 'None' }) });
    expect(body.spec.clusterIP).toBe('None');
  });

  it('allocates node ports in 30000-32767 and honours a requested one', async () => {
    const auto = (await s.req('POST', SVC, { body: service('np-auto', { type: 'NodePort' }) })).body;
    const port = auto.spec.ports[0].nodePort;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    const asked = await s.req('POST', SVC, { body: service('np-asked', { type: 'NodePort', ports: [{ port: 80, nodePort: 31234 }] }) });
    expect(asked.body.spec.ports[0].nodePort).toBe(31234);
    const clash = await s.req('POST', SVC, { body: service('np-clash', { type: 'NodePort', ports: [{ port: 80, nodePort: 31234 }] }) });
    expect(clash.status).toBe(422);
    const outside = await s.req('POST', SVC, { body: service('np-out', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }) });
    expect(outside.status).toBe(422);
  });
});
