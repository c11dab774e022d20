import { describe, expect, it } from 'vitest';
import { SchedulerCache } from '../src/cache.js';
import { plainFits } from '../src/filters/plain-fit.js';
import { runFilters } from '../src/filters/index.js';
import { HARD_TAINTS, NodeTable, PREFER_NO_SCHEDULE_TAINTS, UNSCHEDULABLE } from '../src/node-table.js';
import type { NodeInfo } from '../src/node-info.js';
import { SCORE_PLUGINS } from '../src/scores/index.js';
import { makeNode, makePod, nodeInfo, podInfo, type NodeSpec, type PodSpecLite } from './fixtures.js';

/** Every row of the table holds exactly what its NodeInfo says. */
function expectRowsMatch(table: NodeTable): void {
  for (let i = 0; i < table.size; i++) {
    const info = table.at(i);
    const row = {
      freePods: table.freePods[i],
      cpu: [table.allocCPU[i], table.requestedCPU[i], table.nonZeroCPU[i]],
      memory: [table.allocMemory[i], table.requestedMemory[i], table.nonZeroMemory[i]],
      ephemeral: [table.allocEphemeral[i], table.requestedEphemeral[i]],
    };
    expect(row, info.name).toEqual({
      freePods: info.allowedPodNumber - info.pods.size,
      cpu: [info.allocatable.milliCPU, info.requested.milliCPU, info.nonZeroRequested.milliCPU],
      memory: [info.allocatable.memory, info.requested.memory, info.nonZeroRequested.memory],
      ephemeral: [info.allocatable.ephemeralStorage, info.requested.ephemeralStorage],
    });
  }
}

const names = (table: NodeTable): string[] => Array.from({ length: table.size }, (_, i) => table.at(i).name);

describe('NodeTable', () => {
  it.each([
    { name: 'plain node', node: {}, flags: 0 },
    { name: 'cordoned', node: { unschedulable: true }, flags: UNSCHEDULABLE },
    { name: 'NoSchedule taint', node: { taints: [{ key: 'k', effect: 'NoSchedule' }] }, flags: HARD_TAINTS },
    { name: 'NoExecute taint', node: { taints: [{ key: 'k', effect: 'NoExecute' }] }, flags: HARD_TAINTS },
    { name: 'PreferNoSchedule taint', node: { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }, flags: PREFER_NO_SCHEDULE_TAINTS },
    {
      name: 'all of them',
      node: { unschedulable: true, taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'NoExecute' }] },
      flags: UNSCHEDULABLE | HARD_TAINTS | PREFER_NO_SCHEDULE_TAINTS,
    },
  ] satisfies { name: string; node: NodeSpec; flags: number }[])('flags: $name', ({ node, flags }) => {
    const table = new NodeTable();
    table.push(nodeInfo('n', node));
    expect(table.flags[0]).toBe(flags);
  });

  it('grows past its initial capacity and removes by moving the last row into the hole', () => {
    const table = new NodeTable();
    for (let i = 0; i < 100; i++) table.push(nodeInfo(`n${i}`, { cpu: `${i + 1}` }));
    expect(table.removeAt(99)).toBeUndefined();
    expect(table.removeAt(10)?.name).toBe('n98');
    expect(table.size).toBe(98);
    expect(table.at(10).name).toBe('n98');
    expect(table.allocCPU[10]).toBe(99_000);
    expectRowsMatch(table);
  });
});

describe('SchedulerCache keeps its table in step', () => {
  type Step = (cache: SchedulerCache) => void;
  const assume = (pod: string, node: string, s: PodSpecLite = { cpu: '1', memory: '1Gi' }): Step => (c) => c.assumePod(podInfo(pod, s), node);
  const bind = (pod: string, node: string, s: PodSpecLite = { cpu: '1', memory: '1Gi' }): Step => (c) => c.setPod(makePod(pod, { ...s, nodeName: node }));
  const forget = (pod: string): Step => (c) => c.forgetPod(`default/${pod}`);
  const remove = (pod: string): Step => (c) => c.removePod(`default/${pod}`);
  const addNode = (name: string, s: NodeSpec = {}): Step => (c) => void c.setNode(makeNode(name, s));
  const removeNode = (name: string): Step => (c) => c.removeNode(name);

  it.each([
    { name: 'assume', steps: [assume('p', 'a')], order: ['a', 'b', 'c'] },
    { name: 'assume then forget', steps: [assume('p', 'a'), forget('p')], order: ['a', 'b', 'c'] },
    { name: 'assume then the binding is seen', steps: [assume('p', 'b'), bind('p', 'b'), forget('p')], order: ['a', 'b', 'c'] },
    { name: 'a bound pod moves', steps: [bind('p', 'a'), bind('p', 'c')], order: ['a', 'b', 'c'] },
    { name: 'a pod is deleted', steps: [bind('p', 'a'), bind('q', 'a', {}), remove('p')], order: ['a', 'b', 'c'] },
    { name: 'node capacity changes', steps: [bind('p', 'a'), addNode('a', { cpu: '16', pods: '3' })], order: ['a', 'b', 'c'] },
    { name: 'a node is removed', steps: [bind('p', 'c'), removeNode('a')], order: ['c', 'b'] },
    { name: 'a pod arrives before its node', steps: [bind('p', 'd'), addNode('d')], order: ['a', 'b', 'c', 'd'] },
  ])('$name', ({ steps, order }) => {
    const cache = new SchedulerCache();
    for (const n of ['a', 'b', 'c']) cache.setNode(makeNode(n));
    for (const step of steps) step(cache);
    expect(names(cache.table)).toEqual(order);
    expectRowsMatch(cache.table);
  });
});

// Nodes and pods that cover each filter; plainFits must pass only where every filter passes, and
// must pass the plain pods wherever they fit.
const NODES: Record<string, NodeInfo> = {
  empty: nodeInfo('empty', { cpu: '2', memory: '4Gi', pods: '2' }),
  full: nodeInfo('full', { cpu: '2', memory: '4Gi', pods: '1' }, [podInfo('b0')]),
  busy: nodeInfo('busy', { cpu: '2', memory: '4Gi' }, [podInfo('b1', { cpu: '1500m', memory: '3Gi' })]),
  cordoned: nodeInfo('cordoned', { unschedulable: true }),
  tainted: nodeInfo('tainted', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }),
  preferNot: nodeInfo('preferNot', { taints: [{ key: 'slow', effect: 'PreferNoSchedule' }] }),
  labelled: nodeInfo('labelled', { labels: { disk: 'ssd' }, extra: { 'example.com/gpu': '1' } }),
  ports: nodeInfo('ports', {}, [podInfo('b2', { hostPort: 8080 })]),
};

describe('plainFits', () => {
  it.each([
    { name: 'small pod', pod: { cpu: '100m', memory: '64Mi' }, plain: ['empty', 'busy', 'preferNot', 'labelled', 'ports'] },
    { name: 'no requests', pod: {}, plain: ['empty', 'busy', 'preferNot', 'labelled', 'ports'] },
    { name: 'cpu that only empty nodes have', pod: { cpu: '1' }, plain: ['empty', 'preferNot', 'labelled', 'ports'] },
    { name: 'memory that only empty nodes have', pod: { memory: '2Gi' }, plain: ['empty', 'preferNot', 'labelled', 'ports'] },
    { name: 'more than any node', pod: { cpu: '64' }, plain: [] },
    { name: 'tolerating the taint (filters decide)', pod: { tolerations: [{ key: 'gpu', operator: 'Exists' as const }] }, plain: ['empty', 'busy', 'preferNot', 'labelled', 'ports'] },
    { name: 'node selector (filters decide)', pod: { nodeSelector: { disk: 'ssd' } }, plain: [] },
    { name: 'host port (filters decide)', pod: { hostPort: 8080 }, plain: [] },
    { name: 'extended resource (filters decide)', pod: { extra: { 'example.com/gpu': '1' } }, plain: [] },
    { name: 'preset node name (filters decide)', pod: { nodeName: 'empty' }, plain: [] },
  ] satisfies { name: string; pod: PodSpecLite; plain: string[] }[])('$name', ({ pod: spec, plain }) => {
    const table = new NodeTable();
    for (const info of Object.values(NODES)) table.push(info);
    const pod = podInfo('p', spec);
    const passed: string[] = [];
    for (let i = 0; i < table.size; i++) {
      if (!plainFits(pod, table, i)) continue;
      passed.push(table.at(i).name);
      expect(runFilters(pod, table.at(i)), table.at(i).name).toBeNull();
    }
    expect(passed).toEqual(plain);
  });
});

describe('ScorePlugin.scoreRows', () => {
  it.each([
    { name: 'small pod', pod: { cpu: '100m', memory: '64Mi' } },
    { name: 'no requests', pod: {} },
    { name: 'cpu only', pod: { cpu: '1' } },
    { name: 'tolerating PreferNoSchedule', pod: { tolerations: [{ key: 'slow', operator: 'Exists' as const }] } },
  ] satisfies { name: string; pod: PodSpecLite }[])('gives what score gives, node by node: $name', ({ pod: spec }) => {
    const table = new NodeTable();
    for (const info of Object.values(NODES)) table.push(info);
    const pod = podInfo('p', spec);
    const rows = Int32Array.from([7, 0, 5, 2, 1]);
    const out = new Float64Array(rows.length);
    const withRows = SCORE_PLUGINS.filter((p) => p.scoreRows);
    expect(withRows.map((p) => p.name).sort()).toEqual(['NodeResourcesBalancedAllocation', 'NodeResourcesFit', 'PodTopologySpread', 'TaintToleration']);
    for (const plugin of withRows) {
      plugin.scoreRows!(pod, table, rows, rows.length, out);
      expect([...out], plugin.name).toEqual([...rows].map((i) => plugin.score(pod, table.at(i), rows.length)));
    }
  });
});
