// DaemonSet planning: node eligibility, the manage loop, rolling-update steps and status.
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { planManage } from '../src/daemonset/plan.js';
import { newDaemonPod, podsByNode, type DaemonSetObject } from '../src/daemonset/pods.js';
import { nodeShouldRunDaemonPod, targetNodeName, withDaemonTolerations } from '../src/daemonset/predicates.js';
import { planRollingUpdate } from '../src/daemonset/rolling.js';
import { daemonSetStatus } from '../src/daemonset/status.js';

const NOW = Date.parse('2024-01-01T00:10:00Z');
const node = (name: string, opts: { labels?: Record<string, string>; taints?: Taint[] } = {}): Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
  spec: { taints: opts.taints },
});
function ds(spec: { nodeSelector?: Record<string, string>; surge?: number | string; unavailable?: number | string; tolerations?: Toleration[] } = {}): DaemonSetObject {
  return {
    metadata: { name: 'agent', namespace: 'default', uid: 'ds-uid', generation: 2 },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: spec.surge ?? 0, maxUnavailable: spec.unavailable ?? 1 } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'c', image: 'img' }], nodeSelector: spec.nodeSelector, tolerations: spec.tolerations },
      },
    },
  };
}
let seq = 0;
function pod(nodeName: string, hash: string, opts: { ready?: boolean; phase?: string; deleting?: boolean; created?: string } = {}): Pod {
  seq++;
  const ready = opts.ready ?? true;
  return {
    metadata: {
      name: `agent-${seq}`,
      labels: { app: 'agent', 'controller-revision-hash': hash },
      creationTimestamp: opts.created ?? `2024-01-01T00:00:${String(seq % 60).padStart(2, '0')}Z`,
      ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:09:00Z' } : {}),
    },
    spec: { nodeName, containers: [] },
    status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2024-01-01T00:01:00Z' }] },
  };
}
const names = (pods: Pod[]) => pods.map((p) => p.metadata!.name);

describe('nodeShouldRunDaemonPod', () => {
  it.each([
    { case: 'plain node', n: node('n1'), d: ds(), want: { shouldRun: true, shouldContinueRunning: true } },
    { case: 'nodeSelector mismatch', n: node('n1'), d: ds({ nodeSelector: { disk: 'ssd' } }), want: { shouldRun: false, shouldContinueRunning: false } },
    { case: 'nodeSelector match', n: node('n1', { labels: { disk: 'ssd' } }), d: ds({ nodeSelector: { disk: 'ssd' } }), want: { shouldRun: true, shouldContinueRunning: true } },
    { case: 'NoSchedule taint', n: node('n1', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }), d: ds(), want: { shouldRun: false, shouldContinueRunning: true } },
    { case: 'NoExecute taint', n: node('n1', { taints: [{ key: 'gpu', effect: 'NoExecute' }] }), d: ds(), want: { shouldRun: false, shouldContinueRunning: false } },
    {
      case: 'tolerated taint',
      n: node('n1', { taints: [{ key: 'gpu', value: 'x', effect: 'NoSchedule' }] }),
      d: ds({ tolerations: [{ key: 'gpu', operator: 'Equal', value: 'x', effect: 'NoSchedule' }] }),
      want: { shouldRun: true, shouldContinueRunning: true },
    },
    { case: 'unschedulable taint is tolerated by default', n: node('n1', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), d: ds(), want: { shouldRun: true, shouldContinueRunning: true } },
    { case: 'not-ready taint is tolerated by default', n: node('n1', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), d: ds(), want: { shouldRun: true, shouldContinueRunning: true } },
  ])('$case', ({ n, d, want }) => {
    expect(nodeShouldRunDaemonPod(n, d)).toEqual(want);
  });

  it('adds the daemon tolerations without tolerationSeconds, replacing a matching one', () => {
    const tolerations = withDaemonTolerations({ containers: [], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] });
    const unreachable = tolerations.filter((t) => t.key === 'node.kubernetes.io/unreachable');
    expect(unreachable).toEqual([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
    expect(tolerations.map((t) => t.key)).toContain('node.kubernetes.io/unschedulable');
  });
});

describe('newDaemonPod', () => {
  it('pins the pod to its node with matchFields and labels it with the hash', () => {
    const d = ds();
    const p = newDaemonPod(d, 'n2', 'h1', { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true });
    expect(p.metadata.generateName).toBe('agent-');
    expect(p.metadata.labels).toEqual({ app: 'agent', 'controller-revision-hash': 'h1' });
    expect(p.spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms).toEqual([
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] },
    ]);
    expect(targetNodeName(p)).toBe('n2');
  });
});

describe('planManage', () => {
  it('creates on nodes without a pod, deletes from ineligible nodes, extra and finished pods', () => {
    const d = ds({ nodeSelector: { role: 'worker' } });
    const nodes = [node('a', { labels: { role: 'worker' } }), node('b', { labels: { role: 'worker' } }), node('c'), node('d', { labels: { role: 'worker' } })];
    const onC = pod('c', 'h');
    const old = pod('b', 'h', { created: '2024-01-01T00:00:00Z' });
    const extra = pod('b', 'h', { created: '2024-01-01T00:05:00Z' });
    const done = pod('d', 'h', { phase: 'Succeeded' });
    const failed = pod('a', 'h', { phase: 'Failed' });
    const plan = planManage(d, nodes, podsByNode([onC, old, extra, done, failed]), 'h', NOW);
    expect(plan.nodesNeedingPods).toEqual([]);
    expect(names(plan.podsToDelete).sort()).toEqual(names([onC, extra, done]).sort());
    expect(plan.failedPods.map((f) => f.node)).toEqual(['a']);
    expect(planManage(d, nodes, podsByNode([old]), 'h', NOW).nodesNeedingPods).toEqual(['a', 'd']);
  });

  it('with surge keeps an old pod beside a new one until the new one is available', () => {
    const d = ds({ surge: 1, unavailable: 0 });
    const oldPod = pod('a', 'old');
    const notReady = planManage(d, [node('a')], podsByNode([oldPod, pod('a', 'new', { ready: false })]), 'new', NOW);
    expect(notReady.podsToDelete).toEqual([]);
    const ready = planManage(d, [node('a')], podsByNode([oldPod, pod('a', 'new')]), 'new', NOW);
    expect(names(ready.podsToDelete)).toEqual(names([oldPod]));
  });
});

describe('planRollingUpdate', () => {
  const nodes = ['a', 'b', 'c', 'd'].map((n) => node(n));
  it.each([
    { unavailable: 1, pods: [pod('a', 'old'), pod('b', 'old'), pod('c', 'old'), pod('d', 'old')], deletes: 1 },
    { unavailable: 2, pods: [pod('a', 'old'), pod('b', 'old'), pod('c', 'old'), pod('d', 'old')], deletes: 2 },
    { unavailable: 1, pods: [pod('a', 'new', { ready: false }), pod('b', 'old'), pod('c', 'old'), pod('d', 'old')], deletes: 0 },
    { unavailable: 1, pods: [pod('a', 'new'), pod('b', 'old', { ready: false }), pod('c', 'old'), pod('d', 'old')], deletes: 1 },
    { unavailable: '50%', pods: [pod('a', 'new'), pod('b', 'old'), pod('c', 'old'), pod('d', 'old')], deletes: 2 },
  ])('without surge, maxUnavailable $unavailable deletes $deletes old pods', ({ unavailable, pods, deletes }) => {
    const plan = planRollingUpdate(ds({ unavailable }), nodes, podsByNode(pods), 'new', NOW);
    expect(plan.podsToDelete).toHaveLength(deletes);
    expect(plan.podsToDelete.every((p) => p.metadata!.labels!['controller-revision-hash'] === 'old')).toBe(true);
    expect(plan.nodesToCreate).toEqual([]);
  });

  it('with surge creates up to maxSurge new pods and deletes old ones whose replacement is available', () => {
    const pods = [pod('a', 'old'), pod('a', 'new'), pod('b', 'old'), pod('c', 'old'), pod('d', 'old')];
    const plan = planRollingUpdate(ds({ surge: 2, unavailable: 0 }), nodes, podsByNode(pods), 'new', NOW);
    expect(names(plan.podsToDelete)).toEqual([pods[0]!.metadata!.name]);
    expect(plan.nodesToCreate).toEqual(['b', 'c']);
  });
});

describe('daemonSetStatus', () => {
  it('counts desired, scheduled, ready, updated and misscheduled pods', () => {
    const d = ds({ nodeSelector: { role: 'worker' } });
    const nodes = [node('a', { labels: { role: 'worker' } }), node('b', { labels: { role: 'worker' } }), node('c', { labels: { role: 'worker' } }), node('x')];
    const pods = [pod('a', 'new'), pod('b', 'old', { ready: false }), pod('x', 'new')];
    expect(daemonSetStatus(d, nodes, podsByNode(pods), 'new', NOW, true, 0)).toEqual({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 2,
      numberMisscheduled: 1,
      numberReady: 1,
      numberAvailable: 1,
      numberUnavailable: 2,
      updatedNumberScheduled: 1,
      observedGeneration: 2,
    });
    expect(daemonSetStatus(d, nodes, podsByNode(pods), 'new', NOW, false, 0).observedGeneration).toBeUndefined();
  });
});
