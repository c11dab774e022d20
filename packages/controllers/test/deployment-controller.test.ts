// The Deployment controller against a real in-process API server, one reconcile at a time; the
// test stands in for the ReplicaSet controller where a step needs ReplicaSet status.
import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { findResource } from '@mini-kube/api';
import { FakeClock, type Clock } from '@mini-kube/runtime';
import { waitFor } from '@mini-kube/testing';
import { DeploymentController } from '../src/deployment/controller.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../src/replicaset/types.js';
import { startHarness, type Harness } from './manager-harness.js';

const EVENTS = findResource('', 'v1', 'events')!;
let h: Harness;
let controller: DeploymentController;

async function start(clock?: Clock): Promise<void> {
  h = await startHarness(clock);
  controller = new DeploymentController(h.ctx);
  await h.startInformers();
}
afterEach(() => h?.stop());

function deployment(extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
      ...extra,
    },
  };
}

type Cond = { type: string; status: string; reason: string; message: string };
const conditions = (d: KObject) => ((d.status as { conditions?: Cond[] })?.conditions ?? []);
const progressing = (d: KObject) => conditions(d).find((c) => c.type === 'Progressing');
const getDeployment = () => h.client.get(DEPLOYMENTS, 'web', { namespace: 'default' });
const listRS = async () => (await h.client.list(REPLICASETS, { namespace: 'default' })).items;
const replicas = (rs: KObject) => (rs.spec as { replicas: number }).replicas;

/** Waits for the caches to show the deployment at its latest resourceVersion and `rsCount` ReplicaSets, then reconciles. */
async function sync(rsCount: number): Promise<void> {
  const current = await getDeployment();
  const deployments = h.ctx.informers.informer(DEPLOYMENTS).lister;
  const rsLister = h.ctx.informers.informer(REPLICASETS).lister;
  const server = await listRS();
  await waitFor(
    () =>
      deployments.get('default', 'web')?.metadata.resourceVersion === current.metadata.resourceVersion &&
      rsLister.list('default').length === rsCount &&
      server.every((rs) => rsLister.get('default', rs.metadata.name!)?.metadata.resourceVersion === rs.metadata.resourceVersion),
    { message: 'caches up to date' },
  );
  await controller.reconcile('default/web');
}

/** Plays the ReplicaSet controller: every ReplicaSet reports its spec.replicas as ready and available. */
async function allAvailable(): Promise<void> {
  for (const rs of await listRS()) {
    const n = replicas(rs);
    await h.client.updateStatus(REPLICASETS, { ...rs, status: { replicas: n, readyReplicas: n, availableReplicas: n, observedGeneration: rs.metadata.generation } });
  }
}

describe('Deployment controller', () => {
  it('creates the first ReplicaSet with hash, owner, annotations, and records the scale-up', async () => {
    await start();
    const d = await h.client.create(DEPLOYMENTS, deployment({ minReadySeconds: 5 }));
    await sync(0);
    const [rs] = await listRS();
    const hash = rs!.metadata.labels!['pod-template-hash']!;
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rs!.spec).toMatchObject({ replicas: 3, minReadySeconds: 5, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } } });
    expect((rs!.spec as { template: KObject }).template.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    const after = await getDeployment();
    expect(after.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(progressing(after)).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "web-${hash}"` });
    expect(conditions(after).find((c) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    expect(after.status).toMatchObject({ observedGeneration: 1 });
    const events = await waitFor(async () => (await h.client.list(EVENTS, { namespace: 'default' })).items.find((e) => e.reason === 'ScalingReplicaSet'));
    expect(events.message).toBe(`Scaled up replica set web-${hash} to 3`);
  });

  it('surges the new ReplicaSet first and shrinks the old one only as new replicas become available', async () => {
    await start();
    await h.client.create(DEPLOYMENTS, deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await sync(0);
    await allAvailable();
    await sync(1);
    await h.client.patch(DEPLOYMENTS, 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } }, { type: 'strategic', namespace: 'default' });
    await sync(1);
    const sizes = async () => Object.fromEntries((await listRS()).map((rs) => [rs.metadata.annotations!['deployment.kubernetes.io/revision'], replicas(rs)]));
    expect(await sizes()).toEqual({ '1': 3, '2': 1 });
    await sync(2); // nothing is available yet: no change
    expect(await sizes()).toEqual({ '1': 3, '2': 1 });
    await allAvailable();
    await sync(2);
    expect(await sizes()).toEqual({ '1': 2, '2': 1 });
    expect(progressing(await getDeployment())).toMatchObject({ reason: 'ReplicaSetUpdated' });
  });

  it('does not roll out a paused deployment but still scales it', async () => {
    await start();
    await h.client.create(DEPLOYMENTS, deployment());
    await sync(0);
    await h.client.patch(DEPLOYMENTS, 'web', { spec: { paused: true, replicas: 5, template: { metadata: { labels: { app: 'web', v: '2' } } } } }, { namespace: 'default' });
    await sync(1);
    await sync(1);
    const rss = await listRS();
    expect(rss).toHaveLength(1);
    expect(replicas(rss[0]!)).toBe(5);
    expect(progressing(await getDeployment())).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });

    await h.client.patch(DEPLOYMENTS, 'web', { spec: { paused: null } }, { namespace: 'default' });
    await sync(1);
    expect(progressing(await getDeployment())).toMatchObject({ status: 'Unknown', reason: 'DeploymentResumed' });
    await sync(1);
    expect(await listRS()).toHaveLength(2);
  });

  it('with Recreate, scales the old ReplicaSet to 0 and starts the new one only when its pods are gone', async () => {
    await start();
    await h.client.create(DEPLOYMENTS, deployment({ strategy: { type: 'Recreate' } }));
    await sync(0);
    const [old] = await listRS();
    const pod = await h.client.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'old-pod', namespace: 'default', labels: old!.metadata.labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: old!.metadata.name!, uid: old!.metadata.uid!, controller: true }] },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
    });
    await h.client.patch(DEPLOYMENTS, 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } }, { type: 'strategic', namespace: 'default' });
    await sync(1);
    expect((await listRS()).map(replicas)).toEqual([0]);
    await waitFor(() => h.ctx.informers.informer(PODS).lister.get('default', 'old-pod'));
    await sync(1);
    expect(await listRS()).toHaveLength(1); // the old pod still runs
    await h.client.delete(PODS, pod.metadata.name!, { namespace: 'default' });
    await waitFor(() => !h.ctx.informers.informer(PODS).lister.get('default', 'old-pod'));
    await sync(1);
    const rss = await listRS();
    expect(rss.map(replicas).sort()).toEqual([0, 3]);
  });

  it('reports ProgressDeadlineExceeded when a rollout makes no progress in time', async () => {
    const clock = new FakeClock(Date.now());
    await start(clock);
    await h.client.create(DEPLOYMENTS, deployment({ progressDeadlineSeconds: 10 }));
    await sync(0);
    await sync(1);
    expect(progressing(await getDeployment())).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated' });
    await clock.advance(11_000);
    await sync(1);
    expect(progressing(await getDeployment())).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: expect.stringMatching(/has timed out progressing\.$/) });
  });

  it('deletes scaled-down ReplicaSets beyond revisionHistoryLimit once complete', async () => {
    await start();
    await h.client.create(DEPLOYMENTS, deployment({ revisionHistoryLimit: 0, strategy: { type: 'Recreate' } }));
    await sync(0);
    await allAvailable();
    await h.client.patch(DEPLOYMENTS, 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } }, { type: 'strategic', namespace: 'default' });
    await sync(1); // old → 0
    const [old] = await listRS();
    await h.client.updateStatus(REPLICASETS, { ...old!, status: { replicas: 0, observedGeneration: old!.metadata.generation } });
    await sync(1); // new created
    await allAvailable();
    await sync(2); // complete status written
    await sync(2); // complete: clean up
    const rss = await listRS();
    expect(rss).toHaveLength(1);
    expect(rss[0]!.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('writes the revision and first status of a new rollout in one status write', async () => {
    await start();
    const created = await h.client.create(DEPLOYMENTS, deployment());
    const watch = h.client.watch(DEPLOYMENTS, { namespace: 'default', resourceVersion: created.metadata.resourceVersion });
    const modified: KObject[] = [];
    const reading = (async () => {
      for await (const event of watch) if (event.type === 'MODIFIED') modified.push(event.object as KObject);
    })();
    await sync(0);
    // A label patch as a marker: the watch delivers in order, so every write of the sync came before it.
    await h.client.patch(DEPLOYMENTS, 'web', { metadata: { labels: { marker: 'x' } } }, { namespace: 'default' });
    await waitFor(() => modified.some((d) => d.metadata.labels?.marker === 'x'));
    watch.close();
    await reading;
    const writes = modified.filter((d) => !d.metadata.labels?.marker);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(conditions(writes[0]!).map((c) => c.reason).sort()).toEqual(['MinimumReplicasUnavailable', 'NewReplicaSetCreated']);
    expect(writes[0]!.status).toMatchObject({ observedGeneration: 1 });
    // Written through /status, the annotation belongs to the controller's status entry.
    const entry = writes[0]!.metadata.managedFields?.find((m) => m.subresource === 'status');
    expect(entry?.fieldsV1).toMatchObject({ 'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } } });
  });
});
