// Which pod events sync a ReplicaSet at once and which are batched: a large ReplicaSet coalesces
// pod status changes, everything that can change a decision is immediate. Real API server and
// informers, a fake clock for the batching window; the test drains the controller's queue itself.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { FakeClock } from '@mini-kube/runtime';
import { waitFor } from '@mini-kube/testing';
import { LARGE_REPLICA_SET, POD_BATCH_MS, ReplicaSetController } from '../src/replicaset/controller.js';
import { PODS, REPLICASETS } from '../src/replicaset/types.js';
import { markPodReady, startHarness, type Harness } from './manager-harness.js';

let h: Harness;
let clock: FakeClock;
let controller: ReplicaSetController;
const KEY = 'default/web';

beforeEach(async () => {
  clock = new FakeClock(Date.now());
  h = await startHarness(clock);
  controller = new ReplicaSetController(h.ctx);
  await h.startInformers();
});
afterEach(() => h.stop());

async function createReplicaSet(replicas: number): Promise<KObject> {
  const rs = await h.client.create(REPLICASETS, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  await waitFor(() => h.ctx.informers.informer(REPLICASETS).lister.get('default', 'web'));
  await drain();
  return rs;
}

/** Takes every ready key off the queue (as a worker would, without reconciling). */
async function drain(): Promise<void> {
  while (controller.queue.length > 0) controller.queue.done((await controller.queue.get())!);
}

/** Writes through the API and waits until the pod cache shows the result. */
async function cached(write: Promise<KObject>): Promise<KObject> {
  const obj = await write;
  const lister = h.ctx.informers.informer(PODS).lister;
  await waitFor(() => lister.get('default', obj.metadata.name!)?.metadata.resourceVersion === obj.metadata.resourceVersion);
  return obj;
}

function createPod(rs: KObject, name: string): Promise<KObject> {
  const ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid!, controller: true }];
  return cached(h.client.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' }, ownerReferences }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
}

async function becomeReady(pod: KObject): Promise<void> {
  await markPodReady(h.client, pod);
  const lister = h.ctx.informers.informer(PODS).lister;
  await waitFor(() => lister.get('default', pod.metadata.name!)?.status !== undefined && (lister.get('default', pod.metadata.name!)?.status as { phase?: string }).phase === 'Running');
}

describe('ReplicaSet controller pod events', () => {
  it('syncs a small ReplicaSet at once when a pod becomes ready', async () => {
    const rs = await createReplicaSet(3);
    const pod = await createPod(rs, 'p1');
    await drain();
    await becomeReady(pod);
    expect(controller.queue.length).toBe(1);
  });

  it('batches the status changes of a large ReplicaSet into one sync per window', async () => {
    const rs = await createReplicaSet(LARGE_REPLICA_SET);
    const pods = [await createPod(rs, 'p1'), await createPod(rs, 'p2')];
    expect(controller.queue.length).toBe(1); // an added pod nothing was waiting for: at once
    await drain();
    for (const pod of pods) await becomeReady(pod);
    expect(controller.queue.length).toBe(0);
    await clock.advance(POD_BATCH_MS - 1);
    expect(controller.queue.length).toBe(0);
    await clock.advance(1);
    expect(controller.queue.length).toBe(1);
  });

  it('still syncs a large ReplicaSet at once for label changes, finished pods and deletions', async () => {
    const rs = await createReplicaSet(LARGE_REPLICA_SET);
    const [p1, p2] = [await createPod(rs, 'p1'), await createPod(rs, 'p2')];
    await drain();
    await cached(h.client.patch(PODS, p1.metadata.name!, { metadata: { labels: { app: 'web', extra: 'x' } } }, { namespace: 'default' }));
    expect(controller.queue.length).toBe(1);
    await drain();
    const fresh = await h.client.get(PODS, p1.metadata.name!, { namespace: 'default' });
    await cached(h.client.updateStatus(PODS, { ...fresh, status: { phase: 'Failed' } }));
    expect(controller.queue.length).toBe(1); // finished: to be replaced
    await drain();
    await h.client.delete(PODS, p2.metadata.name!, { namespace: 'default' });
    await waitFor(() => !h.ctx.informers.informer(PODS).lister.get('default', 'p2'));
    expect(controller.queue.length).toBe(1);
  });

  it('batches the creations of a large ReplicaSet it still waits for, and syncs at once on the last', async () => {
    const rs = await createReplicaSet(LARGE_REPLICA_SET);
    controller.expectations.expectCreations(KEY, 2);
    await createPod(rs, 'p1');
    expect(controller.queue.length).toBe(0);
    await createPod(rs, 'p2');
    expect(controller.queue.length).toBe(1);
    expect(controller.expectations.satisfied(KEY)).toBe(true);
  });
});
