import { describe, expect, it } from 'vitest';
import { Algorithm, numFeasibleNodesToFind, selectBest } from '../src/algorithm.js';
import { SchedulerCache } from '../src/cache.js';
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
