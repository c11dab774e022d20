// @kubernetes/client-node 1.4, the official JavaScript client, against the in-process server:
// typed calls (list, create, patch, delete), the raw Watch, an informer, and KubernetesObjectApi.
import {
  CoreV1Api,
  AppsV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type KubernetesObject,
  type V1Pod,
} from '@kubernetes/client-node';
import { waitFor } from '@mini-kube/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployment, startServer, type TestServer } from './server-harness.js';

let s: TestServer;
let kc: KubeConfig;
let core: CoreV1Api;
const NS = 'js';

const newPod = (name: string, labels: Record<string, string> = {}): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

beforeAll(async () => {
  s = await startServer();
  kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node refuses plain http unless TLS verification is off (feasibility.md).
    clusters: [{ name: 'mini', server: s.url, skipTLSVerify: true }],
    users: [{ name: 'me' }],
    contexts: [{ name: 'mini', cluster: 'mini', user: 'me', namespace: NS }],
    currentContext: 'mini',
  });
  core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
});
afterAll(() => s.close());

describe('@kubernetes/client-node', () => {
  it('creates, reads and lists pods', async () => {
    const created = await core.createNamespacedPod({ namespace: NS, body: newPod('p1', { app: 'js' }) });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.status?.phase).toBe('Pending');
    const read = await core.readNamespacedPod({ name: 'p1', namespace: NS });
    expect(read.metadata?.uid).toBe(created.metadata?.uid);
    expect(read.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const list = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=js' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['p1']);
    const all = await core.listPodForAllNamespaces({ fieldSelector: 'metadata.name=p1' });
    expect(all.items).toHaveLength(1);
  });

  it('patches pods with merge, strategic and JSON patches', async () => {
    await core.createNamespacedPod({ namespace: NS, body: newPod('p2') });
    const merged = await core.patchNamespacedPod(
      { name: 'p2', namespace: NS, body: { metadata: { labels: { merged: 'yes' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ merged: 'yes' });
    const strategic = await core.patchNamespacedPod(
      { name: 'p2', namespace: NS, body: { spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.spec?.containers[0]?.image).toBe('busybox:1.36');
    const json = await core.patchNamespacedPod(
      { name: 'p2', namespace: NS, body: [{ op: 'add', path: '/metadata/annotations', value: { a: 'b' } }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(json.metadata?.annotations).toEqual({ a: 'b' });
  });

  it('surfaces a Status error with its code', async () => {
    await expect(core.readNamespacedPod({ name: 'nope', namespace: NS })).rejects.toMatchObject({ code: 404 });
    await expect(core.createNamespacedPod({ namespace: NS, body: newPod('p1') })).rejects.toMatchObject({ code: 409 });
  });

  it('watches pods: ADDED, MODIFIED, DELETED', async () => {
    const events: [string, string][] = [];
    let ended: unknown = 'open';
    const list = await core.listNamespacedPod({ namespace: NS });
    const watch = await new Watch(kc).watch(
      `/api/v1/namespaces/${NS}/pods`,
      { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (phase, obj) => events.push([phase, obj.metadata.name]),
      (err) => (ended = err),
    );
    await core.createNamespacedPod({ namespace: NS, body: newPod('w1') });
    await core.patchNamespacedPod({ name: 'w1', namespace: NS, body: { metadata: { labels: { x: 'y' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await core.deleteNamespacedPod({ name: 'w1', namespace: NS });
    await waitFor(() => events.length >= 3, { message: 'three watch events' });
    expect(events).toEqual([
      ['ADDED', 'w1'],
      ['MODIFIED', 'w1'],
      ['DELETED', 'w1'],
    ]);
    expect(ended).toBe('open'); // the stream stays up until the client stops it
    watch.abort();
  });

  it('keeps an informer cache in step', async () => {
    const path = `/api/v1/namespaces/${NS}/pods`;
    const informer = makeInformer(kc, path, () => core.listNamespacedPod({ namespace: NS }));
    const added: string[] = [];
    informer.on('add', (p) => added.push(p.metadata!.name!));
    await informer.start();
    try {
      await core.createNamespacedPod({ namespace: NS, body: newPod('inf1') });
      await waitFor(() => informer.get('inf1', NS), { message: 'informer sees inf1' });
      expect(added).toContain('p1');
      expect(added).toContain('inf1');
      await core.deleteNamespacedPod({ name: 'inf1', namespace: NS });
      await waitFor(() => !informer.get('inf1', NS), { message: 'informer drops inf1' });
    } finally {
      await informer.stop();
    }
  });

  it('applies generic objects with KubernetesObjectApi (server-side apply)', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const d = { ...deployment('generic'), metadata: { name: 'generic', namespace: NS } } as KubernetesObject & { spec: Record<string, unknown> };
    const created = await objects.create(d);
    expect(created.metadata?.uid).toBeTruthy();
    const applied = await objects.patch(
      { ...d, spec: { ...d.spec, replicas: 3 } } as KubernetesObject,
      undefined,
      undefined,
      'js-test',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect((applied as any).spec.replicas).toBe(3);
    const apps = kc.makeApiClient(AppsV1Api);
    const scale = await apps.readNamespacedDeploymentScale({ name: 'generic', namespace: NS });
    expect(scale.spec?.replicas).toBe(3);
  });
});
