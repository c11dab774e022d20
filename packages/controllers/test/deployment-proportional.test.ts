import { describe, expect, it } from 'vitest';
import { findActiveOrLatest, isScalingEvent, planScale } from '../src/deployment/proportional.js';
import { deployment, replicaSet } from './deployment-fixtures.js';

const annotated = (desired: number, max: number) => ({
  'deployment.kubernetes.io/desired-replicas': String(desired),
  'deployment.kubernetes.io/max-replicas': String(max),
});
const sizes = (steps: ReturnType<typeof planScale>) => Object.fromEntries(steps.map((s) => [s.rs.metadata!.name, s.replicas]));

describe('planScale', () => {
  it('gives the only active ReplicaSet the new size', () => {
    const newRS = replicaSet('new', 3, 3);
    expect(sizes(planScale(deployment(5), newRS, [replicaSet('old', 0, 0)]))).toEqual({ new: 5 });
  });

  it('scales the newest ReplicaSet when none is active', () => {
    const older = replicaSet('a', 0, 0, { created: '2024-01-01T00:00:00Z' });
    const newer = replicaSet('b', 0, 0, { created: '2024-01-02T00:00:00Z' });
    expect(sizes(planScale(deployment(2), undefined, [older, newer]))).toEqual({ b: 2 });
  });

  it('scales old ReplicaSets to 0 once the new one is saturated', () => {
    const newRS = replicaSet('new', 3, 3, { annotations: annotated(3, 4) });
    const old = replicaSet('old', 1, 1);
    expect(sizes(planScale(deployment(3), newRS, [old]))).toEqual({ old: 0 });
  });

  it.each([
    {
      name: 'spreads a scale-up in proportion (10 → 20 replicas, 6 old + 5 new of max 13)',
      replicas: 20,
      old: 6,
      cur: 5,
      max: 13,
      // to add 25 - 11 = 14: old 6*25/13 = 11.5 → +6, new 5*25/13 = 9.6 → +5, the 3 left go to the largest
      want: { old: 15, new: 10 },
    },
    {
      name: 'spreads a scale-down in proportion',
      replicas: 5,
      old: 6,
      cur: 6,
      max: 13,
      // to remove 12 - 7 = 5: the older of two equals first, 6*7/13 = 3.2 → -3, then the rest (-2)
      want: { old: 3, new: 4 },
    },
    {
      name: 'takes everything away when scaled to 0',
      replicas: 0,
      old: 2,
      cur: 3,
      max: 5,
      want: { old: 0, new: 0 },
    },
  ])('$name', ({ replicas, old, cur, max, want }) => {
    const d = deployment(replicas, { surge: '25%', unavailable: '25%' });
    const oldRS = replicaSet('old', old, old, { created: '2024-01-01T00:00:00Z', annotations: annotated(10, max) });
    const newRS = replicaSet('new', cur, 0, { created: '2024-01-02T00:00:00Z', annotations: annotated(10, max) });
    const planned = sizes(planScale(d, newRS, [oldRS]));
    expect(planned).toEqual(want);
    const total = Object.values(planned).reduce((a: number, b) => a + (b as number), 0);
    const allowed = replicas > 0 ? replicas + Math.ceil(replicas * 0.25) : 0;
    expect(total).toBe(allowed);
  });
});

describe('findActiveOrLatest and isScalingEvent', () => {
  it('finds no single ReplicaSet when two are active', () => {
    expect(findActiveOrLatest(replicaSet('n', 1, 0), [replicaSet('o', 2, 2)])).toBeUndefined();
  });

  it('is a scaling event only when an active ReplicaSet was sized for another replica count', () => {
    const d = deployment(4);
    expect(isScalingEvent(d, [replicaSet('a', 3, 3, { annotations: annotated(3, 4) })])).toBe(true);
    expect(isScalingEvent(d, [replicaSet('a', 3, 3, { annotations: annotated(4, 5) })])).toBe(false);
    expect(isScalingEvent(d, [replicaSet('a', 0, 0, { annotations: annotated(3, 4) })])).toBe(false);
    expect(isScalingEvent(d, [replicaSet('a', 3, 3)])).toBe(false);
  });
});
