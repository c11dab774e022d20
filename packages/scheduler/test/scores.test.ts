import { describe, expect, it } from 'vitest';
import {
  balancedAllocationScore,
  defaultNormalize,
  intolerablePreferNoScheduleCount,
  leastAllocatedScore,
  normalizeSpread,
  ownerSpreadRows,
  ownerSpreadScore,
  preferredAffinityScore,
} from '../src/scores/index.js';
import { SchedulerCache } from '../src/cache.js';
import { makeNode, makePod, nodeInfo, podInfo } from './fixtures.js';

const normalized = (raw: number[], fn: (s: Float64Array, n: number) => void): number[] => {
  const s = Float64Array.from(raw);
  fn(s, raw.length);
  return [...s];
};

describe('LeastAllocated', () => {
  it.each([
    { name: 'empty node, pod takes a quarter', pod: { cpu: '1', memory: '2Gi' }, node: { cpu: '4', memory: '8Gi' }, bound: [], want: 75 },
    { name: 'half used', pod: { cpu: '1', memory: '2Gi' }, node: { cpu: '4', memory: '8Gi' }, bound: [{ cpu: '1', memory: '2Gi' }], want: 50 },
    { name: 'unbalanced', pod: { cpu: '2', memory: '0' }, node: { cpu: '4', memory: '8Gi' }, bound: [], want: 75 },
    { name: 'no requests count the defaults (100m, 200Mi)', pod: {}, node: { cpu: '1', memory: '1000Mi' }, bound: [], want: 85 },
  ])('$name', ({ pod, node, bound, want }) => {
    const n = nodeInfo('n', node, bound.map((b, i) => podInfo(`b${i}`, b)));
    expect(leastAllocatedScore(podInfo('p', pod), n)).toBe(want);
  });
});

describe('BalancedAllocation', () => {
  it.each([
    { name: 'equal fractions', pod: { cpu: '1', memory: '2Gi' }, want: 100 },
    { name: 'cpu only', pod: { cpu: '2' }, want: 75 },
    { name: 'capped at one', pod: { cpu: '8' }, want: 50 },
  ])('$name', ({ pod, want }) => {
    expect(balancedAllocationScore(podInfo('p', pod), nodeInfo('n', { cpu: '4', memory: '8Gi' }))).toBe(want);
  });
});

describe('owner spread', () => {
  it('counts only pods of the same owner', () => {
    const node = nodeInfo('n', {}, [podInfo('a', { owner: 'rs1' }), podInfo('b', { owner: 'rs1' }), podInfo('c', { owner: 'rs2' })]);
    const pod = podInfo('p', { owner: 'rs1' });
    // 2 × ln(3 + 2) + 2 = 5.2 → 5
    expect(ownerSpreadScore(pod, node, 3)).toBe(5);
    expect(ownerSpreadScore(pod, nodeInfo('m'), 3)).toBe(2);
  });

  it('scores rows as node by node, and every row the same while the owner has no pod anywhere', () => {
    const cache = new SchedulerCache();
    for (const name of ['n0', 'n1', 'n2']) cache.setNode(makeNode(name));
    cache.setPod(makePod('a', { owner: 'rs1', nodeName: 'n1' }));
    cache.setPod(makePod('b', { owner: 'rs1', nodeName: 'n1' }));
    cache.setPod(makePod('c', { owner: 'rs2', nodeName: 'n2' }));
    cache.setPod(makePod('d', { owner: 'rs3', nodeName: 'gone' })); // a node not (or no longer) in the table
    const rows = Int32Array.from([0, 1, 2]);
    const rowScores = (owner?: string): number[] => {
      const out = new Float64Array(3);
      ownerSpreadRows(podInfo('p', { owner }), cache.table, rows, 3, out);
      return [...out];
    };
    const nodeScores = (owner?: string): number[] => [...rows].map((r) => ownerSpreadScore(podInfo('p', { owner }), cache.nodeAt(r), 3));
    expect(rowScores('rs1')).toEqual([2, 5, 2]);
    for (const owner of ['rs1', 'rs2', 'rs3', 'new-rs', undefined]) expect(rowScores(owner)).toEqual(nodeScores(owner));
    cache.removePod('default/c');
    expect(cache.table.ownerPods.has('rs2')).toBe(false);
    expect(rowScores('rs2')).toEqual([2, 2, 2]);
  });

  it.each([
    { raw: [2, 2, 2], want: [100, 100, 100] },
    { raw: [2, 5, 8], want: [100, 62, 25] },
    { raw: [0, 0], want: [100, 100] },
  ])('normalizes $raw to $want', ({ raw, want }) => {
    expect(normalized(raw, normalizeSpread)).toEqual(want);
  });
});

describe('preferred node affinity', () => {
  const affinity = {
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
        { weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
      ],
    },
  };
  it.each<{ labels: Record<string, string>; want: number }>([
    { labels: { disk: 'ssd', zone: 'a' }, want: 15 },
    { labels: { disk: 'hdd', zone: 'a' }, want: 5 },
    { labels: {}, want: 0 },
  ])('labels $labels score $want', ({ labels, want }) => {
    expect(preferredAffinityScore(podInfo('p', { affinity }), nodeInfo('n', { labels }))).toBe(want);
  });

  it.each([
    { raw: [15, 5, 0], reverse: false, want: [100, 33, 0] },
    { raw: [0, 0], reverse: false, want: [0, 0] },
    { raw: [2, 1, 0], reverse: true, want: [0, 50, 100] },
    { raw: [0, 0], reverse: true, want: [100, 100] },
  ])('default normalize $raw reverse=$reverse', ({ raw, reverse, want }) => {
    expect(normalized(raw, (s, n) => defaultNormalize(s, n, reverse))).toEqual(want);
  });
});

describe('TaintToleration score', () => {
  const taints = [
    { key: 'a', effect: 'PreferNoSchedule' },
    { key: 'b', value: 'x', effect: 'PreferNoSchedule' },
    { key: 'c', effect: 'NoSchedule' },
  ];
  it.each([
    { tolerations: [], want: 2 },
    { tolerations: [{ key: 'a', operator: 'Exists' }], want: 1 },
    { tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }], want: 2 },
    { tolerations: [{ operator: 'Exists', effect: 'PreferNoSchedule' }], want: 0 },
  ])('tolerations $tolerations → $want', ({ tolerations, want }) => {
    expect(intolerablePreferNoScheduleCount(podInfo('p', { tolerations }), nodeInfo('n', { taints }))).toBe(want);
  });
});
