import type { NodeCondition, Taint, Toleration } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { evictionTime, tolerates } from '../src/nodelifecycle/eviction.js';
import { HeartbeatTracker, heartbeatSignal, unknownConditions } from '../src/nodelifecycle/health.js';
import { shouldForceDelete, type NodeHealth } from '../src/nodelifecycle/podgc.js';
import { desiredTaints, reconcileTaints } from '../src/nodelifecycle/taints.js';

const NOW = '2024-01-01T00:10:00Z';
const cond = (type: string, status: string, extra: Partial<NodeCondition> = {}): NodeCondition => ({
  type,
  status,
  lastHeartbeatTime: '2024-01-01T00:00:00Z',
  lastTransitionTime: '2024-01-01T00:00:00Z',
  ...extra,
});

describe('unknownConditions', () => {
  it('turns every watched condition Unknown, keeping heartbeats, and adds missing ones', () => {
    const result = unknownConditions([cond('Ready', 'True'), cond('MemoryPressure', 'False'), cond('NetworkUnavailable', 'False')], NOW, '2023-12-31T00:00:00Z');
    const byType = new Map(result!.map((c) => [c.type, c]));
    expect(byType.get('Ready')).toEqual({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: '2024-01-01T00:00:00Z',
      lastTransitionTime: NOW,
    });
    expect(byType.get('DiskPressure')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', lastHeartbeatTime: '2023-12-31T00:00:00Z' });
    expect(byType.get('PIDPressure')?.status).toBe('Unknown');
    expect(byType.get('NetworkUnavailable')?.status).toBe('False'); // not the controller's to judge
  });

  it('answers "no change" once everything is Unknown', () => {
    const all = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((t) => cond(t, 'Unknown'));
    expect(unknownConditions(all, NOW, undefined)).toBeUndefined();
  });
});

describe('HeartbeatTracker', () => {
  it('dates a heartbeat from when it changed, not from when it was seen again', () => {
    const tracker = new HeartbeatTracker();
    expect(tracker.observe('n1', heartbeatSignal('t1', undefined), 1000)).toBe(1000);
    expect(tracker.observe('n1', heartbeatSignal('t1', undefined), 5000)).toBe(1000);
    expect(tracker.observe('n1', heartbeatSignal('t2', undefined), 6000)).toBe(6000);
    expect(tracker.observe('n1', heartbeatSignal('t2', [cond('Ready', 'True', { lastHeartbeatTime: 'h2' })]), 7000)).toBe(7000);
    tracker.retain(new Set());
    expect(tracker.observe('n1', heartbeatSignal('t2', undefined), 9000)).toBe(9000);
  });
});

describe('desiredTaints', () => {
  const cases: [string, NodeCondition[], boolean, string[]][] = [
    ['ready node', [cond('Ready', 'True')], false, []],
    ['not ready', [cond('Ready', 'False')], false, ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']],
    ['unreachable', [cond('Ready', 'Unknown')], false, ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']],
    ['memory pressure', [cond('Ready', 'True'), cond('MemoryPressure', 'True')], false, ['node.kubernetes.io/memory-pressure:NoSchedule']],
    ['cordoned', [cond('Ready', 'True')], true, ['node.kubernetes.io/unschedulable:NoSchedule']],
  ];
  it.each(cases)('%s', (_name, conditions, unschedulable, expected) => {
    const taints = desiredTaints({ spec: { unschedulable }, status: { conditions } });
    expect(taints.map((t) => `${t.key}:${t.effect}`)).toEqual(expected);
  });
});

describe('reconcileTaints', () => {
  const user: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-01-01T00:00:00Z' };

  it('adds wanted taints with timeAdded and keeps the taints of others', () => {
    expect(reconcileTaints([user], [{ key: unreachable.key, effect: 'NoExecute' }], NOW)).toEqual([user, { ...unreachable, timeAdded: NOW }]);
  });
  it('keeps the timeAdded of a taint already there, and reports no change', () => {
    expect(reconcileTaints([user, unreachable], [{ key: unreachable.key, effect: 'NoExecute' }], NOW)).toBeUndefined();
  });
  it('removes managed taints no longer wanted', () => {
    expect(reconcileTaints([unreachable, user], [], NOW)).toEqual([user]);
  });
});

describe('evictionTime', () => {
  const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const other: Taint = { key: 'maintenance', effect: 'NoExecute' };
  const tol = (seconds?: number, key = unreachable.key): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  const added = new Map<string | undefined, number>([
    [unreachable.key, 10_000],
    [other.key, 50_000],
  ]);
  const addedAt = (t: Taint): number => added.get(t.key)!;
  const cases: [string, Toleration[], Taint[], number | undefined][] = [
    ['no NoExecute taint', [], [{ key: 'x', effect: 'NoSchedule' }], undefined],
    ['not tolerated: at once', [], [unreachable], Number.NEGATIVE_INFINITY],
    ['tolerated for 30 s', [tol(30)], [unreachable], 40_000],
    ['tolerated forever', [tol()], [unreachable], undefined],
    ['bounded toleration wins over an unbounded one', [tol(), tol(30)], [unreachable], 40_000],
    ['negative seconds mean at once', [tol(-5)], [unreachable], 10_000],
    ['the earliest of several taints', [tol(100), tol(5, 'maintenance')], [unreachable, other], 55_000],
    ['one taint untolerated', [tol(100)], [unreachable, other], Number.NEGATIVE_INFINITY],
    ['Exists without key tolerates all', [{ operator: 'Exists' }], [unreachable, other], undefined],
  ];
  it.each(cases)('%s', (_name, tolerations, taints, expected) => {
    expect(evictionTime(tolerations, taints, addedAt)).toBe(expected);
  });

  it('tolerates compares values with Equal and effects when given', () => {
    const taint: Taint = { key: 'k', value: 'v', effect: 'NoExecute' };
    expect(tolerates({ key: 'k', operator: 'Equal', value: 'v' }, taint)).toBe(true);
    expect(tolerates({ key: 'k', value: 'w' }, taint)).toBe(false);
    expect(tolerates({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }, taint)).toBe(false);
    expect(tolerates({ value: 'v' }, taint)).toBe(false);
  });
});

describe('shouldForceDelete', () => {
  const pod = (nodeName?: string, terminating = false) => ({ spec: { nodeName, containers: [] }, metadata: terminating ? { deletionTimestamp: NOW } : {} });
  const cases: [string, ReturnType<typeof pod>, NodeHealth, boolean][] = [
    ['unbound pod', pod(undefined), 'absent', false],
    ['pod of a vanished node', pod('n1'), 'absent', true],
    ['running pod of a not-ready node', pod('n1'), 'not-ready', false],
    ['terminating pod of a not-ready node', pod('n1', true), 'not-ready', true],
    ['terminating pod of a ready node', pod('n1', true), 'ready', false],
  ];
  it.each(cases)('%s', (_name, p, health, expected) => {
    expect(shouldForceDelete(p, health)).toBe(expected);
  });
});
