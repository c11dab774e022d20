import { describe, expect, it } from 'vitest';
import { Algorithm, numFeasibleNodesToFind, selectBest } from '../src/algorithm.js';
import { SchedulerCache } from '../src/cache.js';
import { newPodInfo } from '../src/pod-info.js';
import type { ScorePlugin } from '../src/scores/index.js';
import { makeNode, makePod, podInfo } from './fixtures.js';

describe('numFeasibleNodesToFind', () => {
  it.each([
    { nodes: 50, pct: 0, want: 50 },
    { nodes: 100, pct: 0, want: 100 },
    { nodes: 1000, pct: 0, want: 420 },
    { nodes: 5000, pct: 0, want: 500 },
    { nodes: 10000, pct: 0, want: 500 },
    { nodes: 1000, pct: 5, want: 100 },
    { nodes: 1000, pct: 100, want: 1000 },
  ])('$nodes nodes, percentage $pct → $want', ({ nodes, pct, want }) => {
    expect(numFeasibleNodesToFind(nodes, pct)).toBe(want);
  });
});

describe('selectBest', () => {
  it('picks the highest, ties at random', () => {
    const totals = Float64Array.from([1, 5, 3, 5]);
    expect(selectBest(totals, 4, () => 0.99)).toBe(1);
    expect(selectBest(totals, 4, () => 0)).toBe(3);
  });
});

const cacheWith = (n: number, cpu = '4'): SchedulerCache => {
  const cache = new SchedulerCache();
  for (let i = 0; i < n; i++) cache.setNode(makeNode(`node-${i}`, { cpu }));
  return cache;
};

describe('Algorithm', () => {
  it('never overcommits: assumed pods count at once', () => {
    const cache = cacheWith(3, '2');
    const algo = new Algorithm();
    const placed: string[] = [];
    for (let i = 0; i < 7; i++) {
      const pod = podInfo(`p${i}`, { cpu: '1' });
      const r = algo.schedule(pod, cache);
      if (r.kind !== 'fit') {
        expect(r.rejections.flatMap((x) => x.reasons)).toEqual(['Insufficient cpu', 'Insufficient cpu', 'Insufficient cpu']);
        continue;
      }
      cache.assumePod(pod, r.node.name);
      placed.push(r.node.name);
    }
    expect(placed.sort()).toEqual(['node-0', 'node-0', 'node-1', 'node-1', 'node-2', 'node-2']);
  });

  it('spreads the pods of one owner across nodes', () => {
    const cache = cacheWith(4, '64');
    const algo = new Algorithm();
    const counts = new Map<string, number>();
    for (let i = 0; i < 8; i++) {
      const pod = podInfo(`p${i}`, { cpu: '10m', owner: 'rs' });
      const r = algo.schedule(pod, cache);
      if (r.kind !== 'fit') throw new Error('expected a fit');
      cache.assumePod(pod, r.node.name);
      counts.set(r.node.name, (counts.get(r.node.name) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([2, 2, 2, 2]);
  });

  it('prefers the least allocated node', () => {
    const cache = cacheWith(2);
    cache.setPod(makePod('busy', { cpu: '3', nodeName: 'node-0' }));
    const r = new Algorithm().schedule(podInfo('p', { cpu: '100m' }), cache);
    expect(r.kind === 'fit' && r.node.name).toBe('node-1');
  });

  it('evaluates only a share of a large cluster, walking round-robin', () => {
    const cache = cacheWith(1000);
    const algo = new Algorithm();
    const first = algo.schedule(podInfo('a'), cache);
    expect(first.kind === 'fit' && first.evaluated).toBe(420);
    expect(first.kind === 'fit' && first.feasible).toBe(420);
  });

  // random() = 0.99 keeps the first of equal nodes in walk order, so the chosen node shows where
  // each decision started: where the previous one stopped.
  it.each([
    { name: 'small cluster: every node each time, so the start stays', nodes: 3, full: [], pods: 3, want: ['node-0', 'node-0', 'node-0'], evaluated: [3, 3, 3] },
    { name: '1,000 nodes: 420 per decision, wrapping around', nodes: 1000, full: [], pods: 4, want: ['node-0', 'node-420', 'node-840', 'node-260'], evaluated: [420, 420, 420, 420] },
    { name: 'rejected nodes count as walked', nodes: 1000, full: [0, 1, 2], pods: 2, want: ['node-3', 'node-423'], evaluated: [423, 420] },
    {
      name: 'nothing fits: every node is walked',
      nodes: 200,
      full: Array.from({ length: 200 }, (_, i) => i),
      pods: 2,
      want: [undefined, undefined],
      evaluated: [200, 200],
    },
  ])('rotation: $name', ({ nodes, full, pods, want, evaluated }) => {
    const cache = new SchedulerCache();
    for (let i = 0; i < nodes; i++) cache.setNode(makeNode(`node-${i}`, { cpu: full.includes(i) ? '0' : '64' }));
    const algo = new Algorithm({ random: () => 0.99 });
    const got: (string | undefined)[] = [];
    const walked: number[] = [];
    for (let i = 0; i < pods; i++) {
      const r = algo.schedule(podInfo(`p${i}`, { cpu: '10m' }), cache);
      got.push(r.kind === 'fit' ? r.node.name : undefined);
      walked.push(r.kind === 'fit' ? r.evaluated : r.rejections.length);
    }
    expect(got).toEqual(want);
    expect(walked).toEqual(evaluated);
  });

  it('skips a score plugin whose raw scores are all equal, and normalizes the others', () => {
    const normalized: string[] = [];
    const plugin = (name: string, score: (node: string) => number): ScorePlugin => ({
      name,
      weight: 1,
      applies: () => true,
      score: (_pod, node) => score(node.name),
      normalize: () => void normalized.push(name),
    });
    const algo = new Algorithm({ plugins: [plugin('flat', () => 7), plugin('prefers-node-2', (n) => (n === 'node-2' ? 1 : 0))] });
    const r = algo.schedule(podInfo('p'), cacheWith(3));
    expect(r.kind === 'fit' && r.node.name).toBe('node-2');
    expect(normalized).toEqual(['prefers-node-2']);
  });

  it('reports the number of nodes when none fits', () => {
    const r = new Algorithm().schedule(podInfo('p', { cpu: '100' }), cacheWith(2));
    expect(r.kind === 'unschedulable' && r.numNodes).toBe(2);
  });
});

describe('SchedulerCache', () => {
  it('confirms an assumed pod when the informer reports it bound, and forgets a failed one', () => {
    const cache = cacheWith(1);
    const pod = podInfo('p', { cpu: '1' });
    cache.assumePod(pod, 'node-0');
    expect(cache.getNode('node-0')!.requested.milliCPU).toBe(1000);
    cache.setPod(makePod('p', { cpu: '1', nodeName: 'node-0' }));
    expect(cache.isAssumed('default/p')).toBe(false);
    cache.forgetPod('default/p'); // no effect once confirmed
    expect(cache.getNode('node-0')!.requested.milliCPU).toBe(1000);
    const other = podInfo('q', { cpu: '1' });
    cache.assumePod(other, 'node-0');
    cache.forgetPod('default/q');
    expect(cache.getNode('node-0')!.requested.milliCPU).toBe(1000);
  });

  it('counts new versions of a pod once, and no longer spreads for it once it terminates', () => {
    const cache = cacheWith(1);
    cache.assumePod(podInfo('p', { cpu: '1', owner: 'rs' }), 'node-0');
    const bound = makePod('p', { cpu: '1', owner: 'rs', nodeName: 'node-0' });
    cache.setPod(bound);
    cache.setPod(bound);
    const node = cache.getNode('node-0')!;
    expect([node.requested.milliCPU, node.pods.size, node.ownerCounts.get('rs')]).toEqual([1000, 1, 1]);
    expect(cache.table.ownerPods.get('rs')).toBe(1);
    cache.setPod({ ...bound, metadata: { ...bound.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
    expect([node.requested.milliCPU, node.pods.size, node.ownerCounts.get('rs')]).toEqual([1000, 1, undefined]);
    expect(cache.table.ownerPods.has('rs')).toBe(false);
    cache.removePod('default/p');
    expect([node.requested.milliCPU, node.pods.size, node.ownerCounts.size, cache.table.ownerPods.size]).toEqual([0, 0, 0, 0]);
  });

  it('keeps pods seen before their node, and counts them once the node arrives', () => {
    const cache = new SchedulerCache();
    cache.setPod(makePod('early', { cpu: '1', nodeName: 'late' }));
    expect(cache.nodeCount).toBe(0);
    cache.setNode(makeNode('late'));
    expect(cache.getNode('late')!.requested.milliCPU).toBe(1000);
    cache.removeNode('late');
    expect(cache.nodeCount).toBe(0);
  });
});

describe('newPodInfo', () => {
  it('reuses the requests of an earlier version of the same pod, not of another pod of that name', () => {
    const first = newPodInfo(makePod('p', { cpu: '1', hostPort: 80 }));
    const bound = newPodInfo(makePod('p', { cpu: '1', hostPort: 80, nodeName: 'n' }), first);
    expect(bound.requests).toBe(first.requests);
    expect(bound.hostPorts).toBe(first.hostPorts);
    expect(bound.plain).toBe(false);
    const recreated = makePod('p', { cpu: '2' });
    const other = newPodInfo({ ...recreated, metadata: { ...recreated.metadata, uid: 'another-uid' } }, first);
    expect(other.requests.milliCPU).toBe(2000);
    expect(other.hostPorts).toEqual([]);
  });
});
