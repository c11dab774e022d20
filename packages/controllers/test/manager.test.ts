// The controller manager running the ReplicaSet and Deployment controllers against a real
// in-process API server; the test plays the kubelet (marking pods Ready) and kubectl.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { InformerFactory } from '@mini-kube/runtime';
import { getControllerOf } from '@mini-kube/machinery';
import { hasKubectl, kubectl, waitFor } from '@mini-kube/testing';
import { startControllerManager } from '../src/manager.js';
import { deploymentController } from '../src/deployment/index.js';
import { replicaSetController } from '../src/replicaset/index.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../src/replicaset/types.js';
import { markPodReady, startHarness, type Harness } from './manager-harness.js';

const REV = 'deployment.kubernetes.io/revision';

let h: Harness;
let manager: Promise<void>;
let observer: InformerFactory;
/** The largest sum of the deployment's ReplicaSet sizes, and the fewest ready pods, seen while tracking. */
let bounds: { tracking: boolean; maxReplicas: number; minReady: number };

const isReady = (p: KObject) =>
  !p.metadata.deletionTimestamp && ((p.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

beforeEach(async () => {
  h = await startHarness();
  manager = startControllerManager({ client: h.client, signal: h.signal, controllers: [replicaSetController, deploymentController] });
  bounds = { tracking: false, maxReplicas: 0, minReady: Infinity };
  observer = new InformerFactory(h.client);
  const pods = observer.informer(PODS);
  const replicaSets = observer.informer(REPLICASETS);
  const observe = () => {
    if (!bounds.tracking) return;
    const total = replicaSets.lister.list('default').reduce((n, rs) => n + ((rs.spec as { replicas?: number }).replicas ?? 0), 0);
    bounds.maxReplicas = Math.max(bounds.maxReplicas, total);
    bounds.minReady = Math.min(bounds.minReady, pods.lister.list('default').filter(isReady).length);
  };
  // The kubelet: every new pod starts and becomes ready.
  const kubelet = (p: KObject) => {
    observe();
    if (!isReady(p) && !p.metadata.deletionTimestamp) markPodReady(h.client, p).catch(() => undefined);
  };
  pods.addEventHandler({ onAdd: kubelet, onUpdate: (_o, p) => kubelet(p), onDelete: observe });
  replicaSets.addEventHandler({ onAdd: observe, onUpdate: observe, onDelete: observe });
  observer.start(h.signal);
});

afterEach(async () => {
  await h.stop();
  await manager;
});

function deployment(image: string): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } },
    },
  };
}

type Status = { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: { type: string; status: string; reason: string; message: string }[] };
const getDeployment = () => h.client.get(DEPLOYMENTS, 'web', { namespace: 'default' });
const condition = (d: KObject, type: string) => (d.status as Status | undefined)?.conditions?.find((c) => c.type === type);
const replicaSets = async () => (await h.client.list(REPLICASETS, { namespace: 'default' })).items;

/** Waits until the rollout is complete the way `kubectl rollout status` judges it. */
async function rolledOut(): Promise<KObject> {
  return waitFor(
    async () => {
      const d = await getDeployment();
      const s = (d.status ?? {}) as Status;
      const done =
        (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
        s.updatedReplicas === 3 &&
        s.replicas === 3 &&
        s.availableReplicas === 3 &&
        condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable';
      return done ? d : undefined;
    },
    { timeoutMs: 20_000, message: 'the rollout to finish' },
  );
}

describe('controller manager: deployments end to end', () => {
  it('rolls out, rolls an image change within maxSurge/maxUnavailable, and rolls back by reusing the old ReplicaSet', async () => {
    await h.client.create(DEPLOYMENTS, deployment('nginx:1.25'));
    let d = await rolledOut();
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(d.metadata.annotations?.[REV]).toBe('1');
    const [first] = await replicaSets();
    expect(first!.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    const hash = first!.metadata.labels?.['pod-template-hash'];
    expect(first!.spec).toMatchObject({ replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } } });
    expect(first!.metadata.annotations).toMatchObject({ [REV]: '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(getControllerOf(first!)?.uid).toBe(d.metadata.uid);
    const pods = (await h.client.list(PODS, { namespace: 'default' })).items;
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.metadata.labels?.['pod-template-hash'] === hash)).toBe(true);

    // Defaults for 3 replicas: maxSurge 25% → 1 (rounded up), maxUnavailable 25% → 0 (rounded down).
    bounds.tracking = true;
    await h.client.patch(DEPLOYMENTS, 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } }, { type: 'strategic', namespace: 'default' });
    d = await rolledOut();
    bounds.tracking = false;
    expect(bounds.maxReplicas).toBe(4);
    expect(bounds.minReady).toBeGreaterThanOrEqual(3);
    expect(d.metadata.annotations?.[REV]).toBe('2');
    const afterUpdate = await replicaSets();
    expect(afterUpdate).toHaveLength(2);
    const old = afterUpdate.find((rs) => rs.metadata.uid === first!.metadata.uid)!;
    expect((old.spec as { replicas: number }).replicas).toBe(0);
    expect(condition(d, 'Progressing')?.message).toMatch(/^ReplicaSet "web-\w+" has successfully progressed\.$/);

    // What `kubectl rollout undo` sends: the old template (hash label removed) and annotations.
    const template = structuredClone(old.spec as { template: { metadata: { labels: Record<string, string>; creationTimestamp?: null } } }).template;
    delete template.metadata.labels['pod-template-hash'];
    template.metadata.creationTimestamp = null;
    await h.client.patch(
      DEPLOYMENTS,
      'web',
      [
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: { [REV]: '2' } },
      ],
      { type: 'json', namespace: 'default' },
    );
    d = await rolledOut();
    const afterUndo = await replicaSets();
    expect(afterUndo).toHaveLength(2); // no third ReplicaSet: the old one was reused
    const reused = afterUndo.find((rs) => rs.metadata.uid === first!.metadata.uid)!;
    expect(reused.metadata.annotations).toMatchObject({ [REV]: '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect((reused.spec as { replicas: number }).replicas).toBe(3);
    expect(d.metadata.annotations?.[REV]).toBe('3');
  });

  it.skipIf(!hasKubectl())('works with kubectl rollout status, history and undo', async () => {
    const kubeconfig = h.kubeconfig();
    await h.client.create(DEPLOYMENTS, deployment('nginx:1.25'));
    const status = await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s'], { kubeconfig });
    expect(status.stdout).toContain('deployment "web" successfully rolled out');
    expect(status.code).toBe(0);

    const set = await kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:1.27'], { kubeconfig });
    expect(set.code).toBe(0);
    expect((await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s'], { kubeconfig })).code).toBe(0);

    const undo = await kubectl(['rollout', 'undo', 'deployment/web'], { kubeconfig });
    expect(undo.stdout.trim()).toBe('deployment.apps/web rolled back');
    expect((await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s'], { kubeconfig })).code).toBe(0);
    const history = await kubectl(['rollout', 'history', 'deployment/web'], { kubeconfig });
    const revisions = history.stdout.split('\n').slice(2).map((l) => l.split(/\s+/)[0]).filter(Boolean);
    expect(revisions).toEqual(['2', '3']);
    expect((await replicaSets()).length).toBe(2);
  });
});
