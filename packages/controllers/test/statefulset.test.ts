// The StatefulSet controller against a real API server: pods created strictly in order with their
// claims, scale-down from the highest ordinal keeping the claims, a rolling update from the top
// with revisions and status. No kubelets run here: the test marks pods Running and Ready.
import { findResource, type KObject } from '@mini-kube/api';
import { ApiClient } from '@mini-kube/client';
import { waitFor } from '@mini-kube/testing';
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { beforeEach, expect, it } from 'vitest';
import { useControllerHarness, type Harness } from './manager-harness.js';
import { statefulSetController } from '../src/statefulset/index.js';

const PODS = findResource('', 'v1', 'pods')!;
const CLAIMS = findResource('', 'v1', 'persistentvolumeclaims')!;
const STATEFULSETS = findResource('apps', 'v1', 'statefulsets')!;

const currentHarness = useControllerHarness(statefulSetController);
let harness: Harness;
let client: ApiClient;
beforeEach(() => {
  harness = currentHarness();
  client = harness.client;
});

const podNames = async () =>
  (await client.list<Pod & KObject>(PODS, { namespace: 'default' })).items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name!).sort();
const claimNames = async () => (await client.list(CLAIMS, { namespace: 'default' })).items.map((c) => c.metadata.name!).sort();
const getSet = () => client.get<StatefulSet & KObject>(STATEFULSETS, 'web', { namespace: 'default' });

/** What a kubelet would do for one pod: Running and Ready. */
async function runPod(name: string): Promise<void> {
  const pod = await client.get<Pod & KObject>(PODS, name, { namespace: 'default' });
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await client.updateStatus(PODS, { ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } });
}

/** Waits until the live pods are exactly `names`. */
async function expectPods(names: string[]): Promise<void> {
  await waitFor(async () => (await podNames()).join() === names.join(), { message: `pods ${names}` });
}

it('creates pods in order with their claims, scales down from the top keeping claims, rolls updates', async () => {
  await client.create(STATEFULSETS, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'web:v1' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  } as KObject);

  await expectPods(['web-0']);
  expect(await claimNames()).toEqual(['data-web-0']);
  const first = await client.get<Pod & KObject>(PODS, 'web-0', { namespace: 'default' });
  expect(first.spec).toMatchObject({ hostname: 'web-0', subdomain: 'web', volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }] });
  // -1 only once -0 is Running and Ready.
  const status = await waitFor(async () => ((await getSet()).status?.replicas === 1 ? (await getSet()).status : undefined));
  expect(await podNames()).toEqual(['web-0']);
  expect(status.updateRevision).toMatch(/^web-/);
  await runPod('web-0');
  await expectPods(['web-0', 'web-1']);
  await runPod('web-1');
  await expectPods(['web-0', 'web-1', 'web-2']);
  await runPod('web-2');
  await waitFor(async () => (await getSet()).status?.readyReplicas === 3);

  await client.patch(STATEFULSETS, 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'web:v2' }] } } } }, { type: 'strategic', namespace: 'default' });
  // The update starts at the highest ordinal: web-2 is replaced first.
  await waitFor(async () => {
    const pod = await client.get<Pod & KObject>(PODS, 'web-2', { namespace: 'default' });
    return pod.spec!.containers[0]!.image === 'web:v2';
  });
  const mid = await client.get<Pod & KObject>(PODS, 'web-0', { namespace: 'default' });
  expect(mid.spec!.containers[0]!.image).toBe('web:v1');
  for (const name of ['web-2', 'web-1', 'web-0']) {
    await waitFor(async () => {
      const pod = await client.get<Pod & KObject>(PODS, name, { namespace: 'default' });
      return pod.spec!.containers[0]!.image === 'web:v2';
    });
    await runPod(name);
  }
  const rolled = await waitFor(async () => {
    const s = (await getSet()).status;
    return s?.updatedReplicas === 3 && s.readyReplicas === 3 && s.currentRevision === s.updateRevision ? s : undefined;
  });
  expect(rolled).toMatchObject({ replicas: 3, currentReplicas: 3, observedGeneration: 2 });

  // Unbound pods go at once, so the order of scale-down is read from a watch.
  const deleted: string[] = [];
  const watch = client.watch<Pod & KObject>(PODS, { namespace: 'default' });
  const watching = (async () => {
    for await (const ev of watch) if (ev.type === 'DELETED') deleted.push(ev.object.metadata.name!);
  })();
  await client.patch(STATEFULSETS, 'web', { spec: { replicas: 1 } }, { type: 'merge', namespace: 'default' });
  await expectPods(['web-0']);
  await waitFor(() => deleted.length === 2);
  watch.close();
  await watching;
  expect(deleted).toEqual(['web-2', 'web-1']);
  expect(await claimNames()).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
});
