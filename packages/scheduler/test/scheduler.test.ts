// The scheduler against a real API server over HTTP: bindings, spreading, cordon, the
// unschedulable condition and events, and a pending pod placed once a node is added.
import { findResource, type KObject } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { EventRecorder } from '@mini-kube/runtime';
import { openStore } from '@mini-kube/store';
import { waitFor } from '@mini-kube/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScheduler } from '../src/index.js';
import { makeNode, makePod, type NodeSpec } from './fixtures.js';

const NODES = findResource('', 'v1', 'nodes')!;
const PODS = findResource('', 'v1', 'pods')!;
const EVENTS = findResource('', 'v1', 'events')!;

type Obj = KObject & { spec?: { nodeName?: string }; status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } };

let server: ApiServer;
let client: ApiClient;
const stop = new AbortController();
let running: Promise<void>;
let recorder: EventRecorder;

async function addNode(name: string, spec: NodeSpec): Promise<void> {
  const node = makeNode(name, spec) as KObject;
  const created = await client.create(NODES, { apiVersion: 'v1', kind: 'Node', ...node, status: undefined });
  const status = { ...(node.status as object), conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready' }] };
  await client.updateStatus(NODES, { ...created, status });
}

const addPod = (name: string, cpu: string, owner?: string) => client.create(PODS, { apiVersion: 'v1', kind: 'Pod', ...(makePod(name, { cpu, owner }) as KObject) });
const getPod = (name: string) => client.get<Obj>(PODS, name, { namespace: 'default' });

async function eventsFor(name: string): Promise<{ reason: string; message: string; source?: { component?: string } }[]> {
  const list = await client.list<KObject & { reason: string; message: string; involvedObject: { name: string } }>(EVENTS, { namespace: 'default' });
  return list.items.filter((e) => e.involvedObject.name === name);
}

beforeAll(async () => {
  server = new ApiServer({ store: await openStore('memory') });
  const address = await server.listen('127.0.0.1', 0);
  client = new ApiClient({ server: `http://${address}` });
  await addNode('node-1', { cpu: '2' });
  await addNode('node-2', { cpu: '2' });
  await addNode('node-3', { cpu: '8', unschedulable: true });
  recorder = new EventRecorder(client, { component: 'default-scheduler' });
  running = startScheduler({ client, signal: stop.signal, recorder });
});

afterAll(async () => {
  stop.abort();
  await running;
  await recorder.flush();
  await client.close();
  await server.close();
});

describe('scheduler', () => {
  it('binds pods, spreads one owner across nodes and leaves the cordoned node alone', async () => {
    for (let i = 0; i < 4; i++) await addPod(`web-${i}`, '500m', 'rs-web');
    const nodes = await waitFor(async () => {
      const pods = await Promise.all([0, 1, 2, 3].map((i) => getPod(`web-${i}`)));
      const names = pods.map((p) => p.spec?.nodeName);
      return names.every(Boolean) ? names : undefined;
    }, { message: 'all web pods bound' });
    expect(nodes.sort()).toEqual(['node-1', 'node-1', 'node-2', 'node-2']);
    const bound = await getPod('web-0');
    expect(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    const scheduled = await waitFor(async () => (await eventsFor('web-0')).find((e) => e.reason === 'Scheduled'));
    expect(scheduled.message).toBe(`Successfully assigned default/web-0 to ${bound.spec?.nodeName}`);
    expect(scheduled.source?.component).toBe('default-scheduler');
  });

  it('reports a pod that fits nowhere, once', async () => {
    await addPod('big', '3');
    const want =
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: ' +
      '1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    const condition = await waitFor(async () => (await getPod('big')).status?.conditions?.find((c) => c.type === 'PodScheduled'), {
      message: 'PodScheduled condition',
    });
    expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable', message: want });
    const failed = await waitFor(async () => (await eventsFor('big')).filter((e) => e.reason === 'FailedScheduling'));
    expect(failed.map((e) => e.message)).toEqual([want]);
    expect((failed[0] as { count?: number }).count ?? 1).toBe(1);
  });

  it('places the pending pod when a node that fits is added', async () => {
    await addNode('node-4', { cpu: '4' });
    const pod = await waitFor(async () => {
      const p = await getPod('big');
      return p.spec?.nodeName ? p : undefined;
    }, { message: 'big bound' });
    expect(pod.spec?.nodeName).toBe('node-4');
  });

  it('binds many pods quickly without overcommitting', async () => {
    for (let i = 0; i < 5; i++) await addNode(`bulk-${i}`, { cpu: '1', pods: '110', labels: { bulk: 'yes' } });
    const started = Date.now();
    const names = Array.from({ length: 200 }, (_, i) => `bulk-pod-${i}`);
    await Promise.all(names.map((n) => addPod(n, '10m')));
    await waitFor(async () => {
      const list = await client.list<Obj>(PODS, { namespace: 'default' });
      return list.items.filter((p) => p.metadata.name?.startsWith('bulk-pod-') && p.spec?.nodeName).length === names.length;
    }, { timeoutMs: 30_000, message: 'bulk pods bound' });
    const elapsed = Date.now() - started;
    console.log(`scheduled ${names.length} pods (created over HTTP in the same window) in ${elapsed} ms`);
    const list = await client.list<Obj & { spec: { nodeName?: string; containers: { resources?: { requests?: { cpu?: string } } }[] } }>(PODS, { namespace: 'default' });
    const perNode = new Map<string, number>();
    for (const p of list.items) {
      const cpu = p.spec.containers[0]?.resources?.requests?.cpu ?? '0';
      const milli = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
      if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + milli);
    }
    const allocatable: Record<string, number> = { 'node-1': 2000, 'node-2': 2000, 'node-4': 4000 };
    for (const [node, used] of perNode) expect(used).toBeLessThanOrEqual(allocatable[node] ?? 1000);
  });
});
