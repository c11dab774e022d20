// Many kubelets in one process share one pod informer; each syncs only its node's pods.
import { InformerFactory } from '@mini-kube/runtime';
import { waitFor } from '@mini-kube/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimRuntime, type Kubelet } from '../src/index.js';
import { PODS, getPod, pod, startApi, testKubelet, type TestApi } from './harness.js';

let api: TestApi;
let kubelets: Kubelet[];
let abort: AbortController;

beforeEach(async () => {
  api = await startApi();
  abort = new AbortController();
  kubelets = [];
});

afterEach(async () => {
  abort.abort();
  for (const k of kubelets) await k.stop();
  await api.close();
});

describe('shared pod informer', () => {
  it('routes each pod to the kubelet of its node, and stops containers of a pod deleted outright', async () => {
    const informers = new InformerFactory(api.client);
    const runtimes = [new SimRuntime({ startDelayMs: 0 }), new SimRuntime({ startDelayMs: 0 })];
    const starting = [1, 2].map((n) => testKubelet(api.client, { nodeName: `node-${n}`, nodeIndex: n, informers, runtime: runtimes[n - 1]! }));
    informers.start(abort.signal);
    for (const s of await Promise.all(starting)) kubelets.push(s.kubelet);

    await api.client.create(PODS, pod('a', {}, undefined, 'node-1'));
    await api.client.create(PODS, pod('b', {}, undefined, 'node-2'));
    const a = await waitFor(async () => ((await getPod(api.client, 'a')).status?.phase === 'Running' ? getPod(api.client, 'a') : undefined));
    const b = await waitFor(async () => ((await getPod(api.client, 'b')).status?.phase === 'Running' ? getPod(api.client, 'b') : undefined));
    expect(a.status?.hostIP).toBe('127.10.0.1');
    expect(b.status?.hostIP).toBe('127.10.0.2');
    expect(b.status?.podIP).toMatch(/^127\.244\.2\./);
    expect(runtimes[0]!.containers(a.metadata.uid!)).toHaveLength(1);
    expect(runtimes[0]!.containers(b.metadata.uid!)).toHaveLength(0);

    // A steady pod is not written again when something unrelated changes it.
    const rv = (await api.client.patch(PODS, 'a', { metadata: { labels: { touched: 'yes' } } }, { namespace: 'default' })).metadata.resourceVersion;
    await api.client.create(PODS, pod('probe', {}, undefined, 'node-1'));
    await waitFor(async () => (await getPod(api.client, 'probe')).status?.phase === 'Running');
    expect((await getPod(api.client, 'a')).metadata.resourceVersion).toBe(rv);

    await api.client.delete(PODS, 'a', { namespace: 'default', gracePeriodSeconds: 0 });
    await waitFor(() => runtimes[0]!.containers(a.metadata.uid!).length === 0);
  });
});
