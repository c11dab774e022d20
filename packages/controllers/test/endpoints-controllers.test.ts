// The Endpoints and EndpointSlice controllers running against a real in-process API server. The
// test plays the kubelet: it sets pod IPs and readiness in pod status.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { waitFor } from '@mini-kube/testing';
import { EndpointsController } from '../src/endpoints/controller.js';
import { EndpointSliceController } from '../src/endpointslice/controller.js';
import { ENDPOINTS, ENDPOINTSLICES, PODS, SERVICES, type EndpointSliceObject, type EndpointsObject } from '../src/endpoints/types.js';
import { startHarness, type Harness } from './manager-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  const endpoints = new EndpointsController(h.ctx);
  const slices = new EndpointSliceController(h.ctx);
  void endpoints.run();
  void slices.run();
  h.informers.start(h.signal);
});
afterEach(() => h.stop());

async function runningPod(name: string, ip: string, ready: boolean, portName = 'http', port = 8080): Promise<KObject> {
  const pod = await h.client.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'x', ports: [{ name: portName, containerPort: port }] }] },
  });
  return setPodStatus(pod, ip, ready);
}

function setPodStatus(pod: KObject, ip: string, ready: boolean): Promise<KObject> {
  return h.client.updateStatus(PODS, {
    ...pod,
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
}

const service = (name: string, spec: Record<string, unknown>) =>
  h.client.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });

const endpointsOf = (name: string) => h.client.get<EndpointsObject>(ENDPOINTS, name, { namespace: 'default' }).catch(() => undefined);
const slicesOf = async (name: string) =>
  (await h.client.list<EndpointSliceObject>(ENDPOINTSLICES, { namespace: 'default', labelSelector: `kubernetes.io/service-name=${name}` })).items;
const ips = (list?: { ip: string }[]) => (list ?? []).map((a) => a.ip).sort();

describe('endpoints controllers', () => {
  it('follow pods becoming ready, named target ports, and the Service being deleted', async () => {
    await runningPod('a', '127.244.1.2', true);
    await runningPod('b', '127.244.1.3', false, 'http', 9090);
    await service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });

    const ep = await waitFor(async () => {
      const e = await endpointsOf('web');
      return e?.subsets?.length === 2 ? e : undefined;
    }, { message: 'Endpoints with two subsets' });
    expect(ep.subsets!.map((s) => [ips(s.addresses), ips(s.notReadyAddresses), s.ports])).toEqual([
      [['127.244.1.2'], [], [{ name: 'http', port: 8080, protocol: 'TCP' }]],
      [[], ['127.244.1.3'], [{ name: 'http', port: 9090, protocol: 'TCP' }]],
    ]);
    const slices = await waitFor(async () => ((await slicesOf('web')).length === 2 ? slicesOf('web') : undefined));
    expect(slices.map((s) => [s.ports![0]!.port, s.endpoints.map((e) => [e.addresses[0], e.conditions!.ready])]).sort()).toEqual([
      [8080, [['127.244.1.2', true]]],
      [9090, [['127.244.1.3', false]]],
    ]);
    expect(slices[0]!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', controller: true });

    await setPodStatus(await h.client.get(PODS, 'b', { namespace: 'default' }), '127.244.1.3', true);
    await waitFor(async () => ips((await endpointsOf('web'))?.subsets?.flatMap((s) => s.addresses ?? [])).length === 2, { message: 'both ready' });

    await h.client.delete(SERVICES, 'web', { namespace: 'default' });
    await waitFor(async () => (await endpointsOf('web')) === undefined, { message: 'Endpoints deleted with the Service' });
    await waitFor(async () => (await slicesOf('web')).length === 0, { message: 'slices deleted with the Service' });
  });

  it('keep hand-made Endpoints of a Service without selector, mirrored into a slice', async () => {
    await service('ext', { ports: [{ port: 80, targetPort: 9000 }] });
    await h.client.create(ENDPOINTS, {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'ext', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '127.1.2.3' }], ports: [{ port: 9000 }] }],
    });
    const [slice] = await waitFor(async () => ((await slicesOf('ext')).length === 1 ? slicesOf('ext') : undefined), { message: 'a mirrored slice' });
    expect(slice!.metadata.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('endpointslicemirroring-controller.k8s.io');
    expect(slice!.endpoints.map((e) => e.addresses[0])).toEqual(['127.1.2.3']);
    // Reconciling the Service again leaves the user's Endpoints as they were.
    const before = await endpointsOf('ext');
    const ctl = new EndpointsController(h.ctx);
    await waitFor(() => h.informers.informer(SERVICES).lister.get('default', 'ext'));
    await ctl.reconcile('default/ext');
    expect((await endpointsOf('ext'))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it('a headless Service with publishNotReadyAddresses lists an unready pod as ready, labelled headless', async () => {
    await runningPod('a', '127.244.1.2', false);
    await service('db', { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'web' }, ports: [{ port: 5432, targetPort: 5432 }] });
    const ep = await waitFor(async () => ((await endpointsOf('db'))?.subsets ? endpointsOf('db') : undefined));
    expect(ips(ep!.subsets![0]!.addresses)).toEqual(['127.244.1.2']);
    expect(ep!.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });
  });
});

