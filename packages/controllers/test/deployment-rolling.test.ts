import { describe, expect, it } from 'vitest';
import { maxSurge, maxUnavailable, newRSNewReplicas, planOldScaleDown, resolveFenceposts } from '../src/deployment/rolling.js';
import { deployment, replicaSet } from './deployment-fixtures.js';

describe('resolveFenceposts', () => {
  it.each([
    // surge, unavailable, desired → surge rounds up, unavailable down
    ['25%', '25%', 3, 1, 0],
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 10, 3, 2],
    ['50%', '50%', 5, 3, 2],
    [0, 0, 3, 0, 1], // both zero would never progress
    ['0%', '0%', 3, 0, 1],
    [2, 1, 3, 2, 1],
    ['100%', 0, 3, 3, 0],
    ['25%', '25%', 0, 0, 1], // MaxUnavailable then caps this at the 0 replicas
  ] as const)('surge %s unavailable %s of %i → %i/%i', (s, u, desired, surge, unavailable) => {
    expect(resolveFenceposts(s, u, desired)).toEqual({ surge, unavailable });
  });

  it('caps maxUnavailable at the replicas and gives Recreate no surge', () => {
    expect(maxUnavailable(deployment(2, { unavailable: 5 }))).toBe(2);
    expect(maxUnavailable(deployment(0))).toBe(0);
    expect(maxSurge(deployment(3, { recreate: true }))).toBe(0);
    expect(maxUnavailable(deployment(3, { recreate: true }))).toBe(0);
  });
});

describe('newRSNewReplicas', () => {
  it.each([
    // desired, surge, old replicas, new replicas → new size
    { desired: 3, surge: '25%', old: 3, cur: 0, want: 1 },
    { desired: 3, surge: '25%', old: 3, cur: 1, want: 1 }, // at 4 = 3 + 1 already
    { desired: 3, surge: '25%', old: 2, cur: 1, want: 2 },
    { desired: 10, surge: '30%', old: 10, cur: 0, want: 3 },
    { desired: 3, surge: 5, old: 3, cur: 0, want: 3 }, // never past the desired count
    { desired: 3, surge: 0, old: 3, cur: 0, want: 0 },
  ])('$desired replicas, surge $surge, old $old, new $cur → $want', ({ desired, surge, old, cur, want }) => {
    const d = deployment(desired, { surge, unavailable: 1 });
    const oldRS = replicaSet('old', old, old);
    const newRS = replicaSet('new', cur, 0);
    expect(newRSNewReplicas(d, [oldRS, newRS], newRS)).toBe(want);
  });

  it('gives Recreate the full size at once', () => {
    const d = deployment(4, { recreate: true });
    const newRS = replicaSet('new', 0, 0);
    expect(newRSNewReplicas(d, [replicaSet('old', 4, 4), newRS], newRS)).toBe(4);
  });
});

describe('planOldScaleDown', () => {
  const sizes = (steps: ReturnType<typeof planOldScaleDown>) => Object.fromEntries(steps.map((s) => [s.rs.metadata!.name, s.replicas]));

  it.each([
    {
      name: 'waits while the new pods are not available and no room is left',
      d: { replicas: 3, surge: 1, unavailable: 0 },
      old: [[3, 3]],
      cur: [1, 0],
      want: {},
    },
    {
      name: 'scales down by the available surplus once new pods are available',
      d: { replicas: 3, surge: 1, unavailable: 0 },
      old: [[3, 3]],
      cur: [1, 1],
      want: { old0: 2 },
    },
    {
      name: 'may go below the desired count by maxUnavailable',
      d: { replicas: 4, surge: 1, unavailable: 1 },
      old: [[4, 4]],
      cur: [1, 0],
      want: { old0: 3 },
    },
    {
      name: 'removes unavailable old replicas first, within the budget',
      d: { replicas: 4, surge: 0, unavailable: 1 },
      old: [
        [2, 0],
        [2, 2],
      ],
      cur: [0, 0],
      want: { old0: 1 },
    },
    {
      name: 'removes all unavailable old replicas when the budget allows',
      d: { replicas: 4, surge: 0, unavailable: 2 },
      old: [
        [2, 0],
        [2, 2],
      ],
      cur: [0, 0],
      want: { old0: 0 },
    },
    {
      name: 'spreads the surplus over the old sets from the oldest',
      d: { replicas: 4, surge: 2, unavailable: 0 },
      old: [
        [1, 1],
        [3, 3],
      ],
      cur: [2, 2],
      want: { old0: 0, old1: 2 },
    },
  ])('$name', ({ d, old, cur, want }) => {
    const dep = deployment(d.replicas, { surge: d.surge, unavailable: d.unavailable });
    const olds = old.map(([r, a], i) => replicaSet(`old${i}`, r!, a!, { created: `2024-01-01T00:00:0${i}Z` }));
    const newRS = replicaSet('new', cur[0]!, cur[1]!, { created: '2024-01-02T00:00:00Z' });
    expect(sizes(planOldScaleDown(dep, [...olds, newRS], olds, newRS))).toEqual(want);
  });

  it('plans nothing without old replicas', () => {
    const newRS = replicaSet('new', 3, 3);
    expect(planOldScaleDown(deployment(3), [newRS], [], newRS)).toEqual([]);
  });
});
