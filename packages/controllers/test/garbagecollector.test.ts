// The garbage collector against a real API server: background, foreground and orphan propagation,
// and owner references whose uid does not match the owner.
import { setMaxListeners } from 'node:events';
import { findResource, type KObject, type OwnerReference } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { EventRecorder, InformerFactory, realClock } from '@mini-kube/runtime';
import { openStore } from '@mini-kube/store';
import { waitFor } from '@mini-kube/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLLER_MANAGER_OPTIONS, type ControllerContext } from '../src/context.js';
import { garbageCollector } from '../src/garbagecollector/index.js';

const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
const SECRETS = findResource('', 'v1', 'secrets')!;
const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
const REPLICASETS = findResource('apps', 'v1', 'replicasets')!;
const PODS = findResource('', 'v1', 'pods')!;

let server: ApiServer;
let client: ApiClient;
let abort: AbortController;
let running: Promise<void>;

beforeEach(async () => {
  server = new ApiServer({ store: await openStore('memory') });
  client = new ApiClient({ server: `http://${await server.listen('127.0.0.1', 0)}` });
  abort = new AbortController();
  setMaxListeners(50, abort.signal); // one informer per resource listens to it
  const informers = new InformerFactory(client);
  const ctx: ControllerContext = {
    client,
    informers,
    recorder: (component) => new EventRecorder(client, { component }),
    clock: realClock,
    signal: abort.signal,
    options: { ...DEFAULT_CONTROLLER_MANAGER_OPTIONS, workers: 2 },
  };
  // As the manager does: the controller registers its informers first, then they start.
  running = garbageCollector(ctx);
  informers.start(abort.signal);
});

afterEach(async () => {
  abort.abort();
  await running.catch(() => undefined);
  await client.close();
  await server.close();
});

const ownedBy = (owner: KObject, block = false): OwnerReference => ({
  apiVersion: owner.apiVersion!,
  kind: owner.kind!,
  name: owner.metadata.name!,
  uid: owner.metadata.uid!,
  ...(block ? { blockOwnerDeletion: true } : {}),
});

function configMap(name: string, owners: OwnerReference[] = [], finalizers?: string[]): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences: owners, finalizers }, data: { k: 'v' } };
}

const exists = async (res = CONFIGMAPS, name: string): Promise<boolean> =>
  client.get(res, name).then(
    () => true,
    () => false,
  );
const gone = (res: typeof CONFIGMAPS, name: string) => async () => !(await exists(res, name));

describe('garbage collector', () => {
  it('deletes dependents level by level once the owner is deleted in the background', async () => {
    const labels = { app: 'web' };
    const template = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const deploy = await client.create(DEPLOYMENTS, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: labels }, template },
    });
    const rs = await client.create(REPLICASETS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1', labels, ownerReferences: [{ ...ownedBy(deploy), controller: true }] },
      spec: { replicas: 1, selector: { matchLabels: labels }, template },
    });
    await client.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1-a', labels, ownerReferences: [ownedBy(rs)] }, spec: template.spec });
    await client.create(CONFIGMAPS, configMap('unrelated'));

    await client.delete(DEPLOYMENTS, 'web', { propagationPolicy: 'Background' });
    await waitFor(gone(REPLICASETS, 'web-1'), { message: 'the ReplicaSet to be collected' });
    await waitFor(gone(PODS, 'web-1-a'), { message: 'the Pod to be collected' });
    expect(await exists(CONFIGMAPS, 'unrelated')).toBe(true);
  });

  it('keeps a foreground-deleted owner until its blocking dependents are gone', async () => {
    const owner = await client.create(CONFIGMAPS, configMap('owner'));
    // The finalizer holds the blocking dependent in Terminating until the test lets it go.
    await client.create(CONFIGMAPS, configMap('blocking', [ownedBy(owner, true)], ['example.com/hold']));
    await client.create(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'loose', ownerReferences: [ownedBy(owner)] } });

    await client.delete(CONFIGMAPS, 'owner', { propagationPolicy: 'Foreground' });
    await waitFor(async () => (await client.get(CONFIGMAPS, 'blocking')).metadata.deletionTimestamp, { message: 'the dependent to be deleted' });
    await waitFor(gone(SECRETS, 'loose'), { message: 'the non-blocking dependent to be deleted' });
    const waiting = await client.get(CONFIGMAPS, 'owner');
    expect(waiting.metadata.deletionTimestamp).toBeTruthy();
    expect(waiting.metadata.finalizers).toEqual(['foregroundDeletion']);

    await client.patch(CONFIGMAPS, 'blocking', { metadata: { finalizers: null } });
    await waitFor(gone(CONFIGMAPS, 'owner'), { message: 'the owner to go after its dependent' });
  });

  it('orphans dependents: their owner references are removed and they stay', async () => {
    const owner = await client.create(CONFIGMAPS, configMap('owner'));
    const other = await client.create(CONFIGMAPS, configMap('other-owner'));
    await client.create(CONFIGMAPS, configMap('child-1', [ownedBy(owner, true)]));
    await client.create(CONFIGMAPS, configMap('child-2', [ownedBy(owner), ownedBy(other)]));

    await client.delete(CONFIGMAPS, 'owner', { propagationPolicy: 'Orphan' });
    await waitFor(gone(CONFIGMAPS, 'owner'), { message: 'the orphaning owner to be deleted' });
    expect((await client.get(CONFIGMAPS, 'child-1')).metadata.ownerReferences ?? []).toEqual([]);
    expect((await client.get(CONFIGMAPS, 'child-2')).metadata.ownerReferences?.map((r) => r.name)).toEqual(['other-owner']);
  });

  it('treats a reference with another uid as absent, and drops it when a live owner remains', async () => {
    const owner = await client.create(CONFIGMAPS, configMap('owner'));
    const stale = { ...ownedBy(owner), uid: '00000000-0000-0000-0000-000000000000' };
    await client.create(CONFIGMAPS, configMap('good', [ownedBy(owner)]));
    await client.create(CONFIGMAPS, configMap('bad', [stale]));
    const second = await client.create(CONFIGMAPS, configMap('second'));
    await client.create(CONFIGMAPS, configMap('mixed', [ownedBy(second), { ...stale, name: 'gone-owner' }]));

    await waitFor(gone(CONFIGMAPS, 'bad'), { message: 'the mismatched dependent to be collected' });
    await waitFor(async () => (await client.get(CONFIGMAPS, 'mixed')).metadata.ownerReferences?.length === 1, {
      message: 'the dangling reference to be dropped',
    });
    expect(await exists(CONFIGMAPS, 'good')).toBe(true);
    expect(await exists(CONFIGMAPS, 'mixed')).toBe(true);
  });
});
