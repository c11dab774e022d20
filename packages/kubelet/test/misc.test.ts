// Small pure parts: addresses, back-off, admission, sim annotations, node objects.
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { IpPool, nodeAddress, podCIDR } from '../src/addresses.js';
import { admitPod, podRequests } from '../src/admission.js';
import { backoffUntil, goDuration, nextBackoff } from '../src/backoff.js';
import { nodeStatus, nodeStatusChanged, reconcileExistingNode, type NodeConfig } from '../src/node-object.js';
import { simBehaviour } from '../src/sim/annotations.js';

describe('addresses', () => {
  it.each([
    [1, '127.10.0.1', '127.244.1.0/24'],
    [255, '127.10.0.255', '127.244.255.0/24'],
    [256, '127.10.1.0', '127.245.0.0/24'],
    [1000, '127.10.3.232', '127.247.232.0/24'],
  ])('node %i is at %s with pods in %s', (n, address, cidr) => {
    expect(nodeAddress(n)).toBe(address);
    expect(podCIDR(n)).toBe(cidr);
  });

  it('refuses indexes outside 1..3071', () => {
    expect(() => nodeAddress(0)).toThrow(RangeError);
    expect(() => podCIDR(3072)).toThrow(RangeError);
  });

  it('hands out .2-.254, honours a free preferred address, and runs out', () => {
    const pool = new IpPool('127.244.3.0/24');
    expect(pool.allocate()).toBe('127.244.3.2');
    expect(pool.allocate('127.244.3.77')).toBe('127.244.3.77');
    expect(pool.allocate('127.244.3.77')).toBe('127.244.3.78'); // taken: the next free one
    expect(pool.allocate('10.0.0.1')).toBe('127.244.3.79'); // not ours
    pool.release('127.244.3.2');
    for (let i = 0; i < 250; i++) expect(pool.allocate()).toBeDefined();
    expect(pool.allocate()).toBeUndefined();
    expect(pool.size).toBe(253);
  });
});

describe('back-off', () => {
  const limits = { baseMs: 10_000, maxMs: 40_000 };
  it('doubles up to the cap and resets after a quiet spell', () => {
    let e = nextBackoff(undefined, 0, limits);
    const delays = [e.delayMs];
    for (let t = 1; t <= 4; t++) delays.push((e = nextBackoff(e, t, limits)).delayMs);
    expect(delays).toEqual([10_000, 20_000, 40_000, 40_000, 40_000]);
    expect(nextBackoff(e, 4 + 80_001, limits).delayMs).toBe(10_000);
  });

  it.each([
    [undefined, 0, 5, undefined],
    [{ delayMs: 10, lastRestart: 0 }, 100, 105, 110],
    [{ delayMs: 10, lastRestart: 0 }, 100, 110, undefined],
  ])('%j finished at %i, now %i: wait until %s', (entry, finishedAt, now, until) => {
    expect(backoffUntil(entry, finishedAt, now)).toBe(until);
  });

  it.each([
    [300, '300ms'],
    [1500, '1.5s'],
    [10_000, '10s'],
    [80_000, '1m20s'],
    [300_000, '5m0s'],
  ])('prints %i ms as %s', (ms, text) => expect(goDuration(ms)).toBe(text));
});

describe('admitPod', () => {
  const withCpu = (cpu: string, memory?: string): Pod => ({
    spec: { containers: [{ name: 'c', resources: { requests: { cpu, ...(memory ? { memory } : {}) } } }] },
  });
  const allocatable = { cpu: '2', memory: '1Gi', pods: '3' };
  it.each([
    ['fits', withCpu('500m'), [withCpu('1')], undefined],
    ['too much cpu', withCpu('1500m'), [withCpu('1')], 'OutOfcpu'],
    ['too much memory', withCpu('1m', '2Gi'), [], 'OutOfmemory'],
    ['too many pods', withCpu('1m'), [withCpu('1m'), withCpu('1m'), withCpu('1m')], 'OutOfpods'],
  ])('%s', (_name, pod, admitted, reason) => {
    expect(admitPod(podRequests(pod), admitted.map(podRequests), allocatable)?.reason).toBe(reason);
  });

  it('counts the largest init container when it asks for more than the containers', () => {
    const pod: Pod = { spec: { initContainers: [{ name: 'i', resources: { requests: { cpu: '3' } } }], containers: [{ name: 'c' }] } };
    expect(admitPod(podRequests(pod), [], allocatable)?.message).toBe("Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 0, capacity: 2000");
  });
});

describe('simBehaviour', () => {
  const pod = (annotations: Record<string, string>, job = false): Pod => ({
    metadata: { annotations, ...(job ? { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'x', controller: true }] } : {}) },
  });
  const web = { name: 'web' };
  it.each([
    ['runs forever by default', pod({}), false, { runSeconds: undefined, exitCode: 0 }],
    ['exits after run-seconds', pod({ 'sim.mini-kube.io/run-seconds': '5' }), false, { runSeconds: 5, exitCode: 0 }],
    ['exits at once with a bare exit-code', pod({ 'sim.mini-kube.io/exit-code': '4' }), false, { runSeconds: 0, exitCode: 4 }],
    ['crashes with 1', pod({ 'sim.mini-kube.io/crash-after-seconds': '2' }), false, { runSeconds: 2, exitCode: 1 }],
    ['a container-specific key wins', pod({ 'sim.mini-kube.io/exit-code': '4', 'sim.mini-kube.io/exit-code.web': '9' }), false, { runSeconds: 0, exitCode: 9 }],
    ['a key for another container is ignored', pod({ 'sim.mini-kube.io/exit-code.db': '9' }), false, { runSeconds: undefined, exitCode: 0 }],
    ['an init container completes', pod({}), true, { runSeconds: 0, exitCode: 0 }],
    ['a Job pod completes after a second', pod({}, true), false, { runSeconds: 1, exitCode: 0 }],
    ['nonsense is ignored', pod({ 'sim.mini-kube.io/run-seconds': 'soon' }), false, { runSeconds: undefined, exitCode: 0 }],
  ])('%s', (_name, p, init, expected) => {
    const { runSeconds, exitCode } = simBehaviour(p, web, init);
    expect({ runSeconds, exitCode }).toEqual(expected);
  });

  it('reads readiness, stop time and declared usage', () => {
    const p = pod({ 'sim.mini-kube.io/never-ready': 'true', 'sim.mini-kube.io/stop-seconds': '3', 'sim.mini-kube.io/usage-cpu': '250m' });
    expect(simBehaviour(p, { name: 'web', readinessProbe: { initialDelaySeconds: 7 } }, false)).toMatchObject({
      neverReady: true,
      readyAfterSeconds: 7,
      stopSeconds: 3,
      usage: { cpu: '250m' },
    });
  });
});

describe('node objects', () => {
  const cfg: NodeConfig = {
    name: 'n1',
    address: '127.10.0.1',
    podCIDR: '127.244.1.0/24',
    capacity: { cpu: '4', pods: '110' },
    nodeInfo: { architecture: 'amd64', bootID: '', containerRuntimeVersion: 'sim://1.0', kernelVersion: '', kubeProxyVersion: '', kubeletVersion: 'v1.32.4', machineID: '', operatingSystem: 'linux', osImage: '', systemUUID: '' },
  };

  it('keeps lastTransitionTime while a condition holds, and moves it on a change', () => {
    const first = nodeStatus(cfg, Date.UTC(2025, 0, 1));
    const later = nodeStatus(cfg, Date.UTC(2025, 0, 2), first);
    const ready = later.conditions!.find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ lastTransitionTime: '2025-01-01T00:00:00Z', lastHeartbeatTime: '2025-01-02T00:00:00Z' });
    expect(nodeStatusChanged(later, first)).toBe(false);
    const unknown = { ...first, conditions: first.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown' } : c)) };
    const back = nodeStatus(cfg, Date.UTC(2025, 0, 3), unknown);
    expect(back.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime).toBe('2025-01-03T00:00:00Z');
    expect(nodeStatusChanged(back, unknown)).toBe(true);
  });

  it('updates an existing Node only when our labels or pod CIDR are missing', () => {
    const existing = { metadata: { name: 'n1', labels: { x: 'y' } }, spec: { podCIDR: '10.0.0.0/24' } };
    const updated = reconcileExistingNode(existing, cfg)!;
    expect(updated.metadata.labels).toMatchObject({ x: 'y', 'kubernetes.io/hostname': 'n1' });
    expect(updated.spec?.podCIDR).toBe('10.0.0.0/24');
    expect(reconcileExistingNode(updated, cfg)).toBeUndefined();
  });
});
