// computePodStatus and its parts: container statuses, phase, conditions.
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { containerStatus } from '../src/container-status.js';
import { computePodStatus, type PodStatusInput } from '../src/pod-status.js';
import type { RuntimeContainer } from '../src/types.js';

const T0 = Date.UTC(2025, 0, 1);
const at = (s: number): string => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');

function c(name: string, state: RuntimeContainer['state'], extra: Partial<RuntimeContainer> = {}): RuntimeContainer {
  return { id: `sim://${name}${extra.attempt ?? 0}`, podUid: 'u', name, attempt: 0, image: 'img', imageID: 'img@sha256:1', state, createdAt: T0, startedAt: T0 + 1000, ...extra };
}

const exited = (name: string, exitCode: number, attempt = 0): RuntimeContainer => c(name, 'exited', { exitCode, attempt, finishedAt: T0 + 2000 });

function pod(restartPolicy: string, init: string[] = [], status?: Pod['status']): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { restartPolicy, initContainers: init.map((name) => ({ name, image: 'img' })), containers: [{ name: 'web', image: 'img' }] },
    status: status ?? { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: at(0) }] },
  };
}

function status(p: Pod, containers: RuntimeContainer[], extra: Partial<PodStatusInput> = {}) {
  return computePodStatus({ pod: p, containers, waiting: new Map(), sandboxReady: true, podIP: '127.244.1.2', hostIP: '127.10.0.1', terminal: false, now: T0 + 5000, ...extra });
}

const conditions = (s: ReturnType<typeof status>): string[] => (s.conditions ?? []).map((x) => `${x.type}=${x.status}${x.reason ? `(${x.reason})` : ''}`);

describe('podPhase', () => {
  const cases: [string, Pod, RuntimeContainer[], string, boolean?][] = [
    ['nothing started yet', pod('Always'), [], 'Pending'],
    ['creating', pod('Always'), [c('web', 'created')], 'Pending'],
    ['running', pod('Always'), [c('web', 'running')], 'Running'],
    ['Always, exited 0: still Running (it restarts)', pod('Always'), [exited('web', 0)], 'Running'],
    ['Never, exited 0', pod('Never'), [exited('web', 0)], 'Succeeded'],
    ['Never, exited 1', pod('Never'), [exited('web', 1)], 'Failed'],
    ['OnFailure, exited 0', pod('OnFailure'), [exited('web', 0)], 'Succeeded'],
    ['OnFailure, exited 1: Running (it restarts)', pod('OnFailure'), [exited('web', 1)], 'Running'],
    ['initializing', pod('Always', ['i']), [c('i', 'running')], 'Pending'],
    ['init failed under Never', pod('Never', ['i']), [exited('i', 1)], 'Failed'],
    ['init failed under Always: Pending while it restarts', pod('Always', ['i']), [exited('i', 1)], 'Pending'],
    ['deleted after all exited 0', pod('Always'), [exited('web', 0)], 'Succeeded', true],
    ['deleted after a failure', pod('Always'), [exited('web', 137)], 'Failed', true],
  ];
  it.each(cases)('%s → %s', (_name, p, containers, phase, terminal = false) => {
    expect(status(p, containers, { terminal }).phase).toBe(phase);
  });
});

describe('computePodStatus', () => {
  it('reports a running pod as a real kubelet does', () => {
    const s = status(pod('Always'), [c('web', 'running', { ready: true })]);
    expect(s).toMatchObject({
      phase: 'Running',
      hostIP: '127.10.0.1',
      hostIPs: [{ ip: '127.10.0.1' }],
      podIP: '127.244.1.2',
      podIPs: [{ ip: '127.244.1.2' }],
      startTime: at(5),
      qosClass: 'BestEffort',
    });
    expect(conditions(s)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    expect(s.conditions![0]).toEqual({ type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: at(5) });
    expect(s.containerStatuses).toEqual([
      {
        name: 'web',
        image: 'img',
        imageID: 'img@sha256:1',
        containerID: 'sim://web0',
        lastState: {},
        ready: true,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: at(1) } },
      },
    ]);
  });

  it('keeps lastTransitionTime of unchanged conditions and startTime', () => {
    const first = status(pod('Always'), [c('web', 'running')]);
    const again = status({ ...pod('Always'), status: first }, [c('web', 'running', { ready: false })], { now: T0 + 60_000 });
    const byType = Object.fromEntries(again.conditions!.map((x) => [x.type, x.lastTransitionTime]));
    expect(byType).toMatchObject({ Initialized: at(5), Ready: at(60), ContainersReady: at(60), PodScheduled: at(0) });
    expect(again.startTime).toBe(at(5));
  });

  it('shows a crash loop: waiting CrashLoopBackOff, the crash as lastState', () => {
    const waiting = new Map([['web', { until: T0 + 9000, message: 'back-off 10s restarting failed container=web pod=p_default(u)' }]]);
    const s = status(pod('Always'), [exited('web', 1, 0), exited('web', 1, 1)], { waiting });
    expect(s.containerStatuses![0]).toMatchObject({
      restartCount: 1,
      ready: false,
      started: false,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=web pod=p_default(u)' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', containerID: 'sim://web1', startedAt: at(1), finishedAt: at(2) } },
    });
    expect(conditions(s)).toContain('Ready=False(ContainersNotReady)');
  });

  it('shows the previous instance as lastState of a restarted container', () => {
    const s = status(pod('Always'), [exited('web', 2, 0), c('web', 'running', { attempt: 1 })]);
    expect(s.containerStatuses![0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 2, containerID: 'sim://web0' } }, state: { running: {} } });
  });

  it('reports initialization in progress', () => {
    const s = status(pod('Always', ['a', 'b']), [exited('a', 0), c('b', 'running')]);
    expect(s.initContainerStatuses!.map((x) => [x.name, x.ready, Object.keys(x.state!)[0]])).toEqual([
      ['a', true, 'terminated'],
      ['b', false, 'running'],
    ]);
    expect(s.containerStatuses![0]!.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(s.conditions!.find((x) => x.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [b]' });
  });

  it('says ContainerCreating before a container exists and PodReadyToStartContainers False without a sandbox', () => {
    const s = status(pod('Always'), [], { sandboxReady: false, podIP: undefined });
    expect(s.containerStatuses![0]!.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(conditions(s)[0]).toBe('PodReadyToStartContainers=False');
    expect(s.podIP).toBeUndefined();
  });

  it('marks a Succeeded pod PodCompleted', () => {
    const s = status(pod('Never'), [exited('web', 0)], { sandboxReady: false });
    expect(conditions(s)).toEqual([
      'PodReadyToStartContainers=False',
      'Initialized=True(PodCompleted)',
      'Ready=False(PodCompleted)',
      'ContainersReady=False(PodCompleted)',
      'PodScheduled=True',
    ]);
  });

  it('holds Ready False until readiness gates are True', () => {
    const p: Pod = { ...pod('Always'), spec: { ...pod('Always').spec!, readinessGates: [{ conditionType: 'example.com/lb' }] } };
    const s = status(p, [c('web', 'running')]);
    expect(s.conditions!.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady' });
    expect(s.conditions!.find((x) => x.type === 'ContainersReady')?.status).toBe('True');
  });
});

describe('containerStatus', () => {
  it('counts a completed init container as ready, a sidecar by its readiness', () => {
    const init = containerStatus({ spec: { name: 'i' }, instances: [exited('i', 0)], waiting: undefined, defaultWaiting: 'PodInitializing', init: true });
    expect(init).toMatchObject({ ready: true, started: false });
    const sidecar = containerStatus({ spec: { name: 's', restartPolicy: 'Always' }, instances: [c('s', 'running')], waiting: undefined, defaultWaiting: 'PodInitializing', init: true });
    expect(sidecar).toMatchObject({ ready: true, started: true });
  });
});
