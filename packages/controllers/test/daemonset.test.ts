// The DaemonSet controller against a real API server: one pod per eligible node, a node added and
// one tainted, a rolling update with ControllerRevisions, the status kubectl reads. No kubelets
// run here: the test marks pods Running and Ready as a kubelet would.
import { findResource, type KObject } from '@mini-kube/api';
import { ApiClient } from '@mini-kube/client';
import { waitFor } from '@mini-kube/testing';
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Pod, Taint } from 'kubernetes-types/core/v1';
import { beforeEach, expect, it } from 'vitest';
import { useControllerHarness, type Harness } from './manager-harness.js';
import { daemonSetController } from '../src/daemonset/index.js';
import { targetNodeName } from '../src/daemonset/predicates.js';

const NODES = findResource('', 'v1', 'nodes')!;
const PODS = findResource('', 'v1', 'pods')!;
const DAEMONSETS = findResource('apps', 'v1', 'daemonsets')!;
const REVISIONS = findResource('apps', 'v1', 'controllerrevisions')!;

const currentHarness = useControllerHarness(daemonSetController);
let harness: Harness;
let client: ApiClient;
beforeEach(() => {
  harness = currentHarness();
  client = harness.client;
});

const createNode = (name: string, taints?: Taint[]) =>
  client.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints } } as KObject);

async function daemonPods(): Promise<(Pod & KObject)[]> {
  const list = await client.list<Pod & KObject>(PODS, { namespace: 'default' });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

/** What a kubelet would do: every pod not yet running becomes Running and Ready. */
async function runPods(): Promise<void> {
  for (const pod of await daemonPods()) {
    if (pod.status?.phase === 'Running') continue;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] };
    await client.updateStatus(PODS, { ...pod, status }).catch(() => undefined);
  }
}

const images = async () => (await daemonPods()).map((p) => p.spec!.containers[0]!.image).sort();

it('runs one pod per eligible node, follows nodes, and rolls an update with revisions', async () => {
  await createNode('n1');
  await createNode('n2');
  await createNode('tainted', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
  await client.create(DAEMONSETS, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:v1' }] } },
    },
  } as KObject);

  const pods = await waitFor(async () => {
    const p = await daemonPods();
    return p.length === 2 ? p : undefined;
  });
  expect(pods.map(targetNodeName).sort()).toEqual(['n1', 'n2']);
  expect(pods[0]!.metadata.ownerReferences![0]).toMatchObject({ kind: 'DaemonSet', name: 'agent', controller: true });

  await createNode('n3');
  await waitFor(async () => (await daemonPods()).length === 3);
  await runPods();
  const ready = await waitFor(async () => {
    const ds = await client.get<DaemonSet & KObject>(DAEMONSETS, 'agent', { namespace: 'default' });
    return ds.status?.numberAvailable === 3 ? ds : undefined;
  });
  expect(ready.status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 3, numberMisscheduled: 0, observedGeneration: 1 });

  await client.patch(DAEMONSETS, 'agent', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:v2' }] } } } }, { type: 'strategic', namespace: 'default' });
  // maxUnavailable 1: never fewer than 2 of 3 pods running the whole way through.
  let fewestRunning = Infinity;
  await waitFor(
    async () => {
      const running = (await daemonPods()).filter((p) => p.status?.phase === 'Running');
      fewestRunning = Math.min(fewestRunning, running.length);
      await runPods();
      return (await images()).join() === 'agent:v2,agent:v2,agent:v2';
    },
    { timeoutMs: 20_000 },
  );
  expect(fewestRunning).toBe(2);
  const revisions = (await client.list(REVISIONS, { namespace: 'default' })).items as (KObject & { revision: number })[];
  expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
  expect(revisions.every((r) => r.metadata.name!.startsWith('agent-') && r.metadata.labels!['controller-revision-hash'])).toBe(true);

  await client.delete(NODES, 'n3');
  await waitFor(async () => {
    const ds = await client.get<DaemonSet & KObject>(DAEMONSETS, 'agent', { namespace: 'default' });
    return ds.status?.desiredNumberScheduled === 2 && ds.status.observedGeneration === 2;
  });
});
