// The controller manager on a factory shared with other components (as the daemon runs it): it
// registers its informers there, leaves starting them to the caller, and works once they start.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { SharedInformer } from '@mini-kube/runtime';
import { getControllerOf } from '@mini-kube/machinery';
import { waitFor } from '@mini-kube/testing';
import { startControllerManager } from '../src/manager.js';
import { replicaSetController } from '../src/replicaset/index.js';
import { PODS, REPLICASETS } from '../src/replicaset/types.js';
import { startHarness, type Harness } from './manager-harness.js';

let h: Harness;
let manager: Promise<void>;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
  await manager;
});

it('uses the given factory without starting it; once the caller starts it, the controllers run', async () => {
  manager = startControllerManager({ client: h.client, signal: h.signal, informers: h.informers, controllers: [replicaSetController] });
  // The same informer another component of the daemon would get: the manager registered it, unstarted.
  const pods = h.informers.informer(PODS) as SharedInformer<KObject>;
  expect(pods.isStarted).toBe(false);
  expect(() => pods.byIndex('mini-kube/controller-uid', 'x')).not.toThrow(); // the RS controller's index is there

  await h.startInformers();
  const rs = await h.client.create(REPLICASETS, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'shared', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'shared' } }, template: { metadata: { labels: { app: 'shared' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  await waitFor(() => pods.lister.list('default').filter((p) => getControllerOf(p)?.uid === rs.metadata.uid).length === 2, { message: 'two pods of the ReplicaSet' });
});
