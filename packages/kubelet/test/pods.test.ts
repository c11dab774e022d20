// Pod sync against a real API server: status as a real kubelet reports it, restarts, init
// containers and deletion.
import { waitFor } from '@mini-kube/testing';
import type { Pod } from 'kubernetes-types/core/v1';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kubelet } from '../src/index.js';
import { PODS, eventsOf, getPod, pod, startApi, testKubelet, type TestApi } from './harness.js';

let api: TestApi;
let kubelet: Kubelet;

beforeEach(async () => {
  api = await startApi();
  ({ kubelet } = await testKubelet(api.client));
});

afterEach(async () => {
  await kubelet.stop();
  await api.close();
});

const phaseIs = (name: string, phase: string) => async (): Promise<Pod | undefined> => {
  const p = await getPod(api.client, name);
  return p.status?.phase === phase ? p : undefined;
};

const condition = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type);

describe('pod sync', () => {
  it('brings a bound pod to Running and Ready with the status fields of a real kubelet', async () => {
    await api.client.create(PODS, pod('web'));
    const p = await waitFor(async () => {
      const got = await getPod(api.client, 'web');
      return condition(got, 'Ready')?.status === 'True' ? got : undefined;
    });
    const s = p.status!;
    expect(s.phase).toBe('Running');
    expect(s.hostIP).toBe('127.10.0.1');
    expect(s.hostIPs).toEqual([{ ip: '127.10.0.1' }]);
    expect(s.podIP).toMatch(/^127\.244\.1\.\d+$/);
    expect(s.podIPs).toEqual([{ ip: s.podIP }]);
    expect(s.startTime).toMatch(/Z$/);
    expect(s.qosClass).toBe('BestEffort');
    expect(s.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
    ]);
    const [c] = s.containerStatuses!;
    expect(c).toMatchObject({ name: 'web', image: 'nginx', ready: true, started: true, restartCount: 0, lastState: {} });
    expect(c!.containerID).toMatch(/^sim:\/\/[0-9a-f]{64}$/);
    expect(c!.imageID).toMatch(/^nginx@sha256:[0-9a-f]{64}$/);
    expect(c!.state?.running?.startedAt).toMatch(/Z$/);

    const reasons = await waitFor(async () => {
      const events = await eventsOf(api.client, 'web');
      return events.length >= 3 ? events : undefined;
    });
    expect(reasons.map((e) => e.reason)).toEqual(['Pulled', 'Created', 'Started']);
    expect(reasons[0]!.message).toBe('Container image "nginx" already present on machine');
    expect(reasons[1]!.message).toBe('Created container: web');
  });

  it('keeps a never-ready container Running but not Ready', async () => {
    await api.client.create(PODS, pod('lazy', {}, { 'sim.mini-kube.io/never-ready': 'true' }));
    const p = await waitFor(phaseIs('lazy', 'Running'));
    expect(condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true });
  });

  it('ends restartPolicy Never pods Succeeded or Failed by exit code', async () => {
    await api.client.create(PODS, pod('ok', { restartPolicy: 'Never' }, { 'sim.mini-kube.io/run-seconds': '0.1' }));
    await api.client.create(PODS, pod('bad', { restartPolicy: 'Never' }, { 'sim.mini-kube.io/exit-code': '3' }));
    const ok = await waitFor(phaseIs('ok', 'Succeeded'));
    expect(ok.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(condition(ok, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(condition(ok, 'PodReadyToStartContainers')?.status).toBe('False');
    const bad = await waitFor(phaseIs('bad', 'Failed'));
    expect(bad.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('restarts a crashing container with back-off: CrashLoopBackOff, restartCount, lastState', async () => {
    await api.client.create(PODS, pod('crash', {}, { 'sim.mini-kube.io/crash-after-seconds': '0' }));
    const p = await waitFor(
      async () => {
        const got = await getPod(api.client, 'crash');
        const c = got.status?.containerStatuses?.[0];
        return c?.state?.waiting?.reason === 'CrashLoopBackOff' && (c.restartCount ?? 0) >= 2 ? got : undefined;
      },
      { timeoutMs: 15_000 },
    );
    const c = p.status!.containerStatuses![0]!;
    expect(p.status?.phase).toBe('Running');
    expect(c.state?.waiting?.message).toMatch(/^back-off \d+(\.\d+)?m?s restarting failed container=web pod=crash_default\(/);
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const events = await eventsOf(api.client, 'crash');
    expect(events.find((e) => e.reason === 'BackOff')).toMatchObject({ type: 'Warning', message: expect.stringMatching(/^Back-off restarting failed container web in pod crash_default\(/) });
  });

  it('restarts OnFailure pods only on failure', async () => {
    await api.client.create(PODS, pod('once', { restartPolicy: 'OnFailure' }, { 'sim.mini-kube.io/run-seconds': '0.05' }));
    const p = await waitFor(phaseIs('once', 'Succeeded'));
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });

  it('runs init containers in order before the regular ones', async () => {
    const initContainers = [
      { name: 'first', image: 'busybox' },
      { name: 'second', image: 'busybox' },
    ];
    await api.client.create(PODS, pod('init', { initContainers }, { 'sim.mini-kube.io/run-seconds.second': '0.3' }));
    const pending = await waitFor(async () => {
      const got = await getPod(api.client, 'init');
      return got.status?.initContainerStatuses?.[1]?.state?.running ? got : undefined;
    });
    expect(pending.status?.phase).toBe('Pending');
    expect(pending.status?.initContainerStatuses?.[0]).toMatchObject({ ready: true, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(pending.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
    expect(condition(pending, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [second]' });
    const running = await waitFor(phaseIs('init', 'Running'));
    expect(condition(running, 'Initialized')?.status).toBe('True');
    const first = Date.parse(running.status!.initContainerStatuses![0]!.state!.terminated!.finishedAt!);
    const second = Date.parse(running.status!.initContainerStatuses![1]!.state!.terminated!.startedAt!);
    expect(second).toBeGreaterThanOrEqual(first);
  });

  it('fails a pod whose init container fails under restartPolicy Never', async () => {
    await api.client.create(PODS, pod('initfail', { restartPolicy: 'Never', initContainers: [{ name: 'setup', image: 'busybox' }] }, { 'sim.mini-kube.io/exit-code.setup': '2' }));
    const p = await waitFor(phaseIs('initfail', 'Failed'));
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
  });

  it('stops a gracefully deleted pod, then deletes it for good', async () => {
    await api.client.create(PODS, pod('bye'));
    await waitFor(phaseIs('bye', 'Running'));
    await api.client.delete(PODS, 'bye', { namespace: 'default', gracePeriodSeconds: 30 });
    await waitFor(async () => {
      try {
        await getPod(api.client, 'bye');
        return false;
      } catch (err) {
        return (err as { code?: number }).code === 404;
      }
    });
    const events = await eventsOf(api.client, 'bye');
    expect(events.find((e) => e.reason === 'Killing')?.message).toBe('Stopping container web');
  });

  it('rejects a pod the node cannot hold', async () => {
    const resources = { requests: { cpu: '64' } };
    await api.client.create(PODS, pod('huge', { containers: [{ name: 'web', image: 'nginx', resources }] }));
    const p = await waitFor(phaseIs('huge', 'Failed'));
    expect(p.status).toMatchObject({ reason: 'OutOfcpu', message: 'Pod was rejected: Node didn\'t have enough resource: cpu, requested: 64000, used: 0, capacity: 4000' });
  });
});
