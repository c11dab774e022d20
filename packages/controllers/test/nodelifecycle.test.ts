// The node lifecycle controller against a real API server, on a fake clock: a node whose lease
// stops renewing turns Unknown and tainted, its pods are evicted as their tolerations run out, and
// a node that comes back loses the taints.
import { setMaxListeners } from 'node:events';
import { findResource, type KObject } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { EventRecorder, FakeClock, InformerFactory } from '@mini-kube/runtime';
import { openStore } from '@mini-kube/store';
import { waitFor } from '@mini-kube/testing';
import type { Node, Pod, Toleration } from 'kubernetes-types/core/v1';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControllerContext } from '../src/context.js';
import { nodeLifecycleController } from '../src/nodelifecycle/index.js';

const NODES = findResource('', 'v1', 'nodes')!;
const PODS = findResource('', 'v1', 'pods')!;
const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
const EVENTS = findResource('', 'v1', 'events')!;
const UNREACHABLE = 'node.kubernetes.io/unreachable';

let server: ApiServer;
let client: ApiClient;
let abort: AbortController;
let running: Promise<void>;
let informers: InformerFactory;
const clock = new FakeClock();

const microTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');

beforeEach(async () => {
  server = new ApiServer({ store: await openStore('memory') });
  client = new ApiClient({ server: `http://${await server.listen('127.0.0.1', 0)}` });
  abort = new AbortController();
  setMaxListeners(50, abort.signal);
  informers = new InformerFactory(client); // real time for the informers: only the controller runs on `clock`
});

afterEach(async () => {
  abort.abort();
  await running?.catch(() => undefined);
  await client.close();
  await server.close();
});

function startController(): void {
  const ctx: ControllerContext = {
    client,
    informers,
    recorder: (component) => new EventRecorder(client, { component }),
    clock,
    signal: abort.signal,
    options: { nodeMonitorPeriodMs: 1000, nodeMonitorGracePeriodMs: 4000, workers: 1 },
  };
  running = nodeLifecycleController(ctx);
  informers.start(abort.signal);
}

/** Advances the fake clock, then waits until the pass that woke up has finished (its next sleep is armed). */
async function tick(ms: number): Promise<void> {
  await waitFor(() => clock.pendingTimers > 0, { message: 'the controller to sleep' });
  await clock.advance(ms);
  await waitFor(() => clock.pendingTimers > 0, { message: 'the pass to finish' });
}

async function createReadyNode(name: string): Promise<Node> {
  const node = await client.create<KObject & Node>(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
  await client.create(LEASES, {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: 'kube-node-lease' },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(clock.now()) },
  });
  return setReady(node, 'True');
}

async function setReady(node: Node, status: string): Promise<Node> {
  const at = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const conditions = [{ type: 'Ready', status, reason: 'KubeletReady', lastHeartbeatTime: at, lastTransitionTime: at }];
  const live = await client.get<KObject & Node>(NODES, node.metadata!.name!);
  return client.updateStatus<KObject & Node>(NODES, { ...live, status: { ...live.status, conditions } });
}

async function createPod(name: string, nodeName: string, tolerations?: Toleration[]): Promise<void> {
  const pod = await client.create<KObject & Pod>(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }], tolerations },
  });
  const at = '2024-01-01T00:00:00Z';
  await client.updateStatus(PODS, { ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at }] } });
}

const getPod = (name: string): Promise<Pod> => client.get<KObject & Pod>(PODS, name, { namespace: 'default' });
const podGone = (name: string) => () => getPod(name).then(() => false, () => true);
const eventReasons = async (): Promise<string[]> => (await client.list(EVENTS)).items.map((e) => `${e.reason}: ${e.message}`);

describe('node lifecycle controller', () => {
  it('marks a silent node Unknown, taints it, evicts its pods by their tolerations, and untaints it when it is back', async () => {
    const node = await createReadyNode('node-1');
    await createPod('short', 'node-1', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 3 }]);
    await createPod('default', 'node-1'); // the API server adds the 300 s tolerations
    await createPod('forever', 'node-1', [{ operator: 'Exists' }]);
    await createPod('stray', 'ghost-node', [{ operator: 'Exists' }]);
    startController();

    // Grace 4 s: the lease stops renewing, so the node goes Unknown after the fifth pass.
    for (let i = 0; i < 4; i++) await tick(1000);
    expect((await client.get<KObject & Node>(NODES, 'node-1')).status?.conditions?.[0]?.status).toBe('True');
    await tick(1000);
    const unknown = await client.get<KObject & Node>(NODES, 'node-1');
    const ready = unknown.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(unknown.spec?.taints?.map((t) => `${t.key}:${t.effect}`).sort()).toEqual([`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
    expect(unknown.spec?.taints?.every((t) => t.timeAdded)).toBe(true);
    expect((await getPod('short')).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    await waitFor(podGone('stray'), { message: 'the pod of a vanished node to be collected' });

    // 3 s after the taint: "short" is evicted (Terminating), then force-deleted as its node is not Ready.
    await tick(3000);
    await tick(1000);
    await waitFor(podGone('short'), { message: 'the short-tolerating pod to be evicted' });
    expect((await getPod('default')).metadata?.deletionTimestamp).toBeUndefined();

    await tick(300_000);
    await tick(1000);
    await waitFor(podGone('default'), { message: 'the default-tolerating pod to be evicted' });
    expect((await getPod('forever')).metadata?.deletionTimestamp).toBeUndefined();
    await waitFor(async () => {
      const reasons = await eventReasons();
      return reasons.includes('NodeNotReady: Node node-1 status is now: NodeNotReady') && reasons.includes('TaintManagerEviction: Marking for deletion Pod default/short');
    }, { message: 'the NodeNotReady and TaintManagerEviction events' });

    // The kubelet is back: the lease renews and it posts Ready again.
    const lease = await client.get(LEASES, 'node-1', { namespace: 'kube-node-lease' });
    await client.update(LEASES, { ...lease, spec: { ...(lease.spec as object), renewTime: microTime(clock.now()) } });
    await setReady(node, 'True');
    const cachedNodes = informers.informer<KObject & Node>(NODES);
    await waitFor(() => cachedNodes.lister.get(undefined, 'node-1')?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True');
    await tick(1000);
    expect((await client.get<KObject & Node>(NODES, 'node-1')).spec?.taints ?? []).toEqual([]);
  });

  it('taints a node whose kubelet reports Ready=False with not-ready and marks its pods not ready', async () => {
    const node = await createReadyNode('node-2');
    await createPod('web', 'node-2');
    startController();
    await tick(1000);
    await setReady(node, 'False');
    await waitFor(() => informers.informer<KObject & Node>(NODES).lister.get(undefined, 'node-2')?.status?.conditions?.[0]?.status === 'False');
    await tick(1000);
    const tainted = await client.get<KObject & Node>(NODES, 'node-2');
    expect(tainted.spec?.taints?.map((t) => `${t.key}:${t.effect}`).sort()).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
    expect((await getPod('web')).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
  });
});
