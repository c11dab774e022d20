// Node registration and heartbeats against a real API server, with time driven by a FakeClock.
import type { KObject } from '@mini-kube/api';
import { FakeClock } from '@mini-kube/runtime';
import { waitFor } from '@mini-kube/testing';
import type { Node } from 'kubernetes-types/core/v1';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kubelet } from '../src/index.js';
import { LEASES, NODES, startApi, testKubelet, type TestApi } from './harness.js';

let api: TestApi;
let kubelets: Kubelet[];

beforeEach(async () => {
  api = await startApi();
  kubelets = [];
});

afterEach(async () => {
  for (const k of kubelets) await k.stop();
  await api.close();
});

async function start(clock: FakeClock, overrides: Parameters<typeof testKubelet>[1] = {}): Promise<Kubelet> {
  const { kubelet } = await testKubelet(api.client, { clock, capacity: { cpu: '8', memory: '32Gi', pods: 50 }, ...overrides });
  kubelets.push(kubelet);
  return kubelet;
}

const lease = (name = 'node-1'): Promise<KObject> => api.client.get(LEASES, name, { namespace: 'kube-node-lease' });
const renewTime = async (): Promise<string> => ((await lease()).spec as { renewTime: string }).renewTime;

describe('node registration', () => {
  it('registers the Node with labels, capacity, addresses, conditions and nodeInfo', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    await start(clock);
    const node = await api.client.get<Node & KObject>(NODES, 'node-1');
    expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'node-1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': expect.any(String) });
    expect(Object.keys(node.metadata.labels ?? {}).some((k) => k.startsWith('node-role.kubernetes.io/'))).toBe(false);
    expect(node.spec).toMatchObject({ podCIDR: '127.244.1.0/24', podCIDRs: ['127.244.1.0/24'] });
    const status = node.status!;
    expect(status.capacity).toMatchObject({ cpu: '8', memory: '32Gi', pods: '50', 'ephemeral-storage': expect.any(String) });
    expect(status.allocatable).toEqual(status.capacity);
    expect(status.addresses).toEqual([
      { type: 'InternalIP', address: '127.10.0.1' },
      { type: 'Hostname', address: 'node-1' },
    ]);
    expect(status.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
    expect(status.conditions?.at(-1)).toMatchObject({
      reason: 'KubeletReady',
      message: 'kubelet is posting ready status',
      lastHeartbeatTime: '2025-01-01T00:00:00Z',
    });
    expect(status.nodeInfo).toMatchObject({ kubeletVersion: 'v1.32.4', containerRuntimeVersion: 'sim://1.0', operatingSystem: 'linux' });
    const l = await lease();
    expect(l.spec).toMatchObject({ holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' });
    expect(l.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: node.metadata.uid }]);
  });

  it('takes over an existing Node, keeping what others set on it', async () => {
    await api.client.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { team: 'a' } }, spec: { unschedulable: true } });
    await start(new FakeClock());
    const node = await api.client.get<Node & KObject>(NODES, 'node-1');
    expect(node.metadata.labels).toMatchObject({ team: 'a', 'kubernetes.io/hostname': 'node-1' });
    expect(node.spec).toMatchObject({ unschedulable: true, podCIDR: '127.244.1.0/24' });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('renews the lease every interval, posts status less often, and stops while heartbeat is off', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const kubelet = await start(clock, { leaseRenewMs: 10_000, nodeStatusReportMs: 60_000 });
    const first = await renewTime();
    await clock.advance(10_000);
    const second = await waitFor(async () => ((await renewTime()) !== first ? renewTime() : undefined));
    expect(Date.parse(second) - Date.parse(first)).toBeLessThanOrEqual(10_000);
    // The node status heartbeat has not moved yet: it is due only after 60 s.
    const heartbeat = async (): Promise<string | undefined> =>
      (await api.client.get<Node & KObject>(NODES, 'node-1')).status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    expect(await heartbeat()).toBe('2025-01-01T00:00:00Z');

    kubelet.setHeartbeat(false);
    const frozen = await renewTime();
    for (let i = 0; i < 3; i++) await clock.advance(10_000);
    expect(await renewTime()).toBe(frozen);

    kubelet.setHeartbeat(true);
    await clock.advance(0);
    await waitFor(async () => (await renewTime()) !== frozen);
    // Coming back posts the node status at once too.
    await waitFor(async () => (await heartbeat()) !== '2025-01-01T00:00:00Z');
  });
});
