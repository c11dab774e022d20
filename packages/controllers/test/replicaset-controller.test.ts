// The ReplicaSet controller against a real in-process API server: the test seeds objects, waits
// for the controller's caches to show them, and calls reconcile itself.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { findResource } from '@mini-kube/api';
import { getControllerOf } from '@mini-kube/machinery';
import { waitFor } from '@mini-kube/testing';
import { ReplicaSetController } from '../src/replicaset/controller.js';
import { PODS, REPLICASETS } from '../src/replicaset/types.js';
import { markPodReady, podName, startHarness, type Harness } from './manager-harness.js';

const EVENTS = findResource('', 'v1', 'events')!;

let h: Harness;
let controller: ReplicaSetController;

beforeEach(async () => {
  h = await startHarness();
  controller = new ReplicaSetController(h.ctx);
  await h.startInformers();
});
afterEach(() => h.stop());

function replicaSet(replicas: number, extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...extra,
    },
  };
}

const listPods = async () => (await h.client.list(PODS, { namespace: 'default' })).items.filter((p) => !p.metadata.deletionTimestamp);
const getRS = () => h.client.get(REPLICASETS, 'web', { namespace: 'default' });

/** Waits until the controller's caches hold the ReplicaSet and `n` pods, then reconciles. */
async function reconcileWhenCached(pods: number): Promise<void> {
  const lister = h.ctx.informers.informer(PODS).lister;
  await waitFor(() => h.ctx.informers.informer(REPLICASETS).lister.get('default', 'web'), { message: 'the ReplicaSet in the cache' });
  await waitFor(() => lister.list('default').length === pods, { message: `${pods} pods in the cache` });
  await controller.reconcile('default/web');
}

describe('ReplicaSet controller', () => {
  it('creates the missing pods from the template, owned by the ReplicaSet, and reports status', async () => {
    const rs = await h.client.create(REPLICASETS, replicaSet(3));
    await reconcileWhenCached(0);
    const pods = await listPods();
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(podName(p)).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'front' });
      expect(getControllerOf(p)).toMatchObject({ kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true });
    }
    // A second sync, whatever the cache has seen by then, creates nothing more.
    await controller.reconcile('default/web');
    await reconcileWhenCached(3);
    expect(await listPods()).toHaveLength(3);
    expect((await getRS()).status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });

    await markPodReady(h.client, pods[0]!);
    await waitFor(async () => {
      await controller.reconcile('default/web');
      return ((await getRS()).status as { readyReplicas?: number }).readyReplicas === 1;
    });
    expect((await getRS()).status).toMatchObject({ replicas: 3, readyReplicas: 1, availableReplicas: 1 });

    const events = await waitFor(async () => {
      const list = await h.client.list(EVENTS, { namespace: 'default' });
      return list.items.length >= 3 ? list.items : undefined;
    });
    const messages = events.map((e) => `${e.reason}: ${e.message}`).sort();
    expect(messages).toEqual(pods.map((p) => `SuccessfulCreate: Created pod: ${podName(p)}`).sort());
  });

  it('deletes pending pods before running ready ones when scaled down', async () => {
    await h.client.create(REPLICASETS, replicaSet(3));
    await reconcileWhenCached(0);
    const pods = await listPods();
    await markPodReady(h.client, pods[0]!);
    await markPodReady(h.client, pods[1]!);
    await h.client.patch(REPLICASETS, 'web', { spec: { replicas: 2 } }, { namespace: 'default' });
    const rsLister = h.ctx.informers.informer(REPLICASETS).lister;
    await waitFor(() => (rsLister.get('default', 'web')?.spec as { replicas: number }).replicas === 2);
    const podLister = h.ctx.informers.informer(PODS).lister;
    await waitFor(() => podLister.list('default').filter((p) => (p.status as { phase?: string })?.phase === 'Running').length === 2);
    await controller.reconcile('default/web');
    const left = (await listPods()).map(podName).sort();
    expect(left).toEqual([podName(pods[0]!), podName(pods[1]!)].sort());
  });

  it('adopts a matching orphan instead of creating, and releases a pod whose labels changed', async () => {
    const orphan = await h.client.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    const rs = await h.client.create(REPLICASETS, replicaSet(1));
    await reconcileWhenCached(1);
    const pods = await listPods();
    expect(pods.map(podName)).toEqual(['stray']);
    expect(getControllerOf(pods[0]!)?.uid).toBe(rs.metadata.uid);
    expect((await getRS()).status).toEqual({ replicas: 1, observedGeneration: 1 }); // not fully labeled: no tier label

    await h.client.patch(PODS, 'stray', { metadata: { labels: { app: 'other' } } }, { namespace: 'default' });
    const lister = h.ctx.informers.informer(PODS).lister;
    await waitFor(() => lister.get('default', 'stray')?.metadata.labels?.app === 'other');
    await controller.reconcile('default/web');
    const released = await h.client.get(PODS, orphan.metadata.name!, { namespace: 'default' });
    expect(released.metadata.ownerReferences ?? []).toEqual([]);
    const owned = (await listPods()).filter((p) => getControllerOf(p)?.uid === rs.metadata.uid);
    expect(owned).toHaveLength(1); // a replacement was created
    expect(podName(owned[0]!)).not.toBe('stray');
  });

  it('claims only its own pods and orphans: a matching pod another controller owns is left alone', async () => {
    const pod = (name: string, extra: Record<string, unknown> = {}) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels: { app: 'web' }, ...extra },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    const foreignRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'other', uid: 'not-this-one', controller: true };
    await h.client.create(PODS, pod('theirs', { ownerReferences: [foreignRef] }));
    await h.client.create(PODS, pod('stray'));
    const rs = await h.client.create(REPLICASETS, replicaSet(2));
    await reconcileWhenCached(2);
    const pods = await listPods();
    const mine = pods.filter((p) => getControllerOf(p)?.uid === rs.metadata.uid).map(podName);
    expect(mine).toHaveLength(2);
    expect(mine).toContain('stray'); // adopted, and one pod created besides
    expect(mine).not.toContain('theirs');
    expect(getControllerOf(pods.find((p) => podName(p) === 'theirs')!)?.uid).toBe('not-this-one');
  });

  it('does not count terminating pods and replaces them', async () => {
    await h.client.create(REPLICASETS, replicaSet(2));
    await reconcileWhenCached(0);
    const [victim] = await listPods();
    await h.client.delete(PODS, podName(victim!), { namespace: 'default' });
    await reconcileWhenCached(1);
    const pods = await listPods();
    expect(pods).toHaveLength(2);
    expect(pods.map(podName)).not.toContain(podName(victim!));
  });

  it('leaves the status to the sync that sees the pods it created', async () => {
    const created = await h.client.create(REPLICASETS, replicaSet(2));
    await reconcileWhenCached(0);
    expect(await listPods()).toHaveLength(2);
    const rs = await getRS();
    expect(rs.metadata.resourceVersion).toBe(created.metadata.resourceVersion); // no status write yet
    await reconcileWhenCached(2);
    expect((await getRS()).status).toEqual({ replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
  });
});
