// How many status writes a pod costs: one for a pod whose containers start (as kwok's one patch),
// and every state a user would see when they start slowly or become ready later.
import type { KObject, WatchEvent } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { EventRecorder, FakeClock, realClock } from '@mini-kube/runtime';
import { waitFor } from '@mini-kube/testing';
import type { Pod } from 'kubernetes-types/core/v1';
import { afterEach, describe, expect, it } from 'vitest';
import { IpPool } from '../src/addresses.js';
import { SimRuntime, type Kubelet } from '../src/index.js';
import { PodSyncer } from '../src/pod-sync.js';
import { settlesWithin } from '../src/time.js';
import { PODS, getPod, pod, startApi, testKubelet, type TestApi } from './harness.js';

let api: TestApi | undefined;
let kubelet: Kubelet | undefined;
let closeWatch: (() => void) | undefined;

afterEach(async () => {
  closeWatch?.();
  await kubelet?.stop();
  await api?.close();
  closeWatch = kubelet = api = undefined;
});

interface Seen {
  at: number;
  pod: Pod;
}

/** The MODIFIED events of each pod in `default`, with the time each arrived. */
async function recordPods(client: ApiClient): Promise<Map<string, Seen[]>> {
  const seen = new Map<string, Seen[]>();
  const watch = client.watch<Pod & KObject>(PODS, { namespace: 'default' });
  closeWatch = () => watch.close();
  await watch.ready;
  void (async () => {
    for await (const e of watch as AsyncIterable<WatchEvent<Pod & KObject>>) {
      if (e.type !== 'MODIFIED') continue;
      const name = e.object.metadata?.name ?? '';
      seen.set(name, [...(seen.get(name) ?? []), { at: Date.now(), pod: e.object }]);
    }
  })();
  return seen;
}

async function setup(runtime: SimRuntime): Promise<Map<string, Seen[]>> {
  api = await startApi();
  ({ kubelet } = await testKubelet(api.client, { runtime }));
  return recordPods(api.client);
}

const ready = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const summary = (p: Pod): string => `${p.status?.phase} ${p.status?.conditions?.map((c) => `${c.type}=${c.status}`).join(',')}`;
const firstWaiting = (p: Pod): string | undefined => p.status?.containerStatuses?.[0]?.state?.waiting?.reason;

/** The status writes seen for pod `name`, once one of them is Ready. */
function writesUntilReady(seen: Map<string, Seen[]>, name: string): Promise<Seen[]> {
  return waitFor(() => {
    const writes = seen.get(name) ?? [];
    return writes.some((s) => ready(s.pod)) ? writes : undefined;
  }, { timeoutMs: 20_000 });
}

describe('pod status writes', () => {
  it('writes one status for a pod whose containers start: Running and Ready with every field', async () => {
    const seen = await setup(new SimRuntime()); // the daemon's default: 0–50 ms to start
    const names = ['a', 'b', 'c', 'd', 'e'];
    const twoContainers = { containers: [{ name: 'web', image: 'nginx' }, { name: 'side', image: 'busybox' }] };
    for (const name of names) await api!.client.create(PODS, pod(name, name === 'e' ? twoContainers : {}));
    await waitFor(() => names.every((n) => seen.get(n)?.some((s) => ready(s.pod))), { timeoutMs: 20_000 });
    // A pod created after them is Ready too: had the kubelet written any of them again, the watch would show it.
    await api!.client.create(PODS, pod('marker'));
    await waitFor(() => seen.get('marker')?.some((s) => ready(s.pod)), { timeoutMs: 20_000 });
    for (const name of names) {
      const writes = seen.get(name)!;
      expect(writes.map((w) => summary(w.pod)), name).toEqual(['Running PodReadyToStartContainers=True,Initialized=True,Ready=True,ContainersReady=True']);
      const s = writes[0]!.pod.status!;
      expect(s.podIP).toMatch(/^127\.244\.1\.\d+$/);
      expect(s.hostIP).toBe('127.10.0.1');
      expect(s.startTime).toMatch(/Z$/);
      expect(s.containerStatuses?.every((c) => c.ready && c.started && c.state?.running?.startedAt)).toBe(true);
      expect((await getPod(api!.client, name)).metadata?.resourceVersion).toBe(writes[0]!.pod.metadata?.resourceVersion);
    }
  });

  it('reports ContainerCreating while containers take long to start, then Running', async () => {
    const seen = await setup(new SimRuntime({ startDelayMs: 3000 }));
    await api!.client.create(PODS, pod('slow'));
    const writes = await writesUntilReady(seen, 'slow');
    expect(writes.map((w) => summary(w.pod))).toEqual([
      'Pending PodReadyToStartContainers=True,Initialized=True,Ready=False,ContainersReady=False',
      'Running PodReadyToStartContainers=True,Initialized=True,Ready=True,ContainersReady=True',
    ]);
    expect(firstWaiting(writes[0]!.pod)).toBe('ContainerCreating');
    expect(writes[0]!.pod.status?.podIP).toMatch(/^127\.244\.1\.\d+$/);
    expect(writes[1]!.at - writes[0]!.at).toBeGreaterThan(1000); // reported well before the start ended
  });

  it('reports Running, then Ready once the readiness delay is over', async () => {
    const seen = await setup(new SimRuntime());
    await api!.client.create(PODS, pod('probed', { containers: [{ name: 'web', image: 'nginx', readinessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 1 } }] }));
    const writes = await writesUntilReady(seen, 'probed');
    expect(writes.map((w) => summary(w.pod))).toEqual([
      'Running PodReadyToStartContainers=True,Initialized=True,Ready=False,ContainersReady=False',
      'Running PodReadyToStartContainers=True,Initialized=True,Ready=True,ContainersReady=True',
    ]);
  });
});

describe('PodSyncer.ownWrite: the echo of our status write needs no sync', () => {
  /** A syncer on a real API server; `duringWrite` runs when a status write has answered, before the syncer sees the answer. */
  async function syncer() {
    api = await startApi();
    const client = api.client;
    const hooks: { duringWrite?: (written: Pod & KObject) => Promise<void> } = {};
    const hooked = Object.create(client) as ApiClient;
    hooked.updateStatus = (async (...args: Parameters<ApiClient['updateStatus']>) => {
      const written = await client.updateStatus<Pod & KObject>(...args);
      await hooks.duringWrite?.(written);
      return written;
    }) as ApiClient['updateStatus'];
    const runtime = new SimRuntime({ startDelayMs: 0 });
    const recorder = new EventRecorder(client, { component: 'kubelet', host: 'node-1' });
    const requeued: string[] = [];
    const sync = new PodSyncer({
      client: hooked,
      runtime,
      hostIP: '127.10.0.1',
      ips: new IpPool('127.244.1.0/24'),
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      clock: realClock,
      limits: { baseMs: 300, maxMs: 2_000 },
      recorder,
      requeueAfter: (key) => requeued.push(key),
    });
    const close = async (): Promise<void> => {
      await runtime.close();
      await recorder.flush();
    };
    return { client, sync, hooks, requeued, close };
  }

  it('takes the informer copy of its last write, not a later change by someone else', async () => {
    const { client, sync, close } = await syncer();
    try {
      await client.create(PODS, pod('echo'));
      expect(sync.ownWrite('default/echo', await getPod(client, 'echo'))).toBe(false); // nothing written yet
      await sync.sync('default/echo', await getPod(client, 'echo'));
      const written = await getPod(client, 'echo');
      expect(written.status?.phase).toBe('Running');
      expect(sync.ownWrite('default/echo', written)).toBe(true);
      expect(sync.ownWrite('default/other', written)).toBe(false);
      const labelled = await client.patch<Pod & KObject>(PODS, 'echo', { metadata: { labels: { tier: 'web' } } }, { namespace: 'default' });
      expect(sync.ownWrite('default/echo', labelled)).toBe(false);
    } finally {
      await close();
    }
  });

  it('holds an update that comes while its write is in flight: dropped if it is that write, synced if newer', async () => {
    const { client, sync, hooks, requeued, close } = await syncer();
    try {
      await client.create(PODS, pod('ours'));
      hooks.duringWrite = async (written) => void expect(sync.ownWrite('default/ours', written)).toBe(true);
      await sync.sync('default/ours', await getPod(client, 'ours'));
      expect(requeued).toEqual([]);

      await client.create(PODS, pod('theirs'));
      hooks.duringWrite = async () => {
        const labelled = await client.patch<Pod & KObject>(PODS, 'theirs', { metadata: { labels: { tier: 'web' } } }, { namespace: 'default' });
        expect(sync.ownWrite('default/theirs', labelled)).toBe(true);
      };
      await sync.sync('default/theirs', await getPod(client, 'theirs'));
      expect(requeued).toEqual(['default/theirs']);
    } finally {
      await close();
    }
  });
});

describe('settlesWithin', () => {
  it.each([
    ['resolves in time', true, (clock: FakeClock) => clock.sleep(100)],
    ['rejects in time', true, (clock: FakeClock) => clock.sleep(100).then(() => Promise.reject(new Error('no')))],
    ['takes too long', false, (clock: FakeClock) => clock.sleep(300)],
  ])('%s → %s', async (_what, expected, work) => {
    const clock = new FakeClock(0);
    const job = work(clock);
    job.catch(() => undefined); // the rejection is the work's own business
    const verdict = settlesWithin(job, 250, clock);
    await clock.advance(400);
    await expect(verdict).resolves.toBe(expected);
  });
});
