import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { calculateStatus, countPods, podFromTemplate, slowStartBatches } from '../src/replicaset/plan.js';
import { planClaims, planClaimsFrom } from '../src/replicaset/claim.js';
import { labelMatcher } from '../src/replicaset/label-matcher.js';
import { selectorFromLabelSelector } from '@mini-kube/machinery';
import type { KObject } from '@mini-kube/api';

const NOW = Date.parse('2024-05-01T12:00:00Z');

const rs: ReplicaSet = {
  metadata: { name: 'web-abc', namespace: 'default', uid: 'rs-uid', generation: 2 },
  spec: {
    replicas: 3,
    minReadySeconds: 10,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web', tier: 'front' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
};

function pod(name: string, labels: Record<string, string>, readySince?: number): Pod {
  return {
    metadata: { name, namespace: 'default', labels },
    status: readySince === undefined ? { phase: 'Pending' } : { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(readySince).toISOString() }] },
  };
}

describe('slowStartBatches', () => {
  it.each([
    [0, []],
    [1, [1]],
    [3, [1, 2]],
    [10, [1, 2, 4, 3]],
    [500, [1, 2, 4, 8, 16, 32, 64, 128, 245]],
  ])('%i creations → %j', (count, batches) => {
    expect(slowStartBatches(count)).toEqual(batches);
  });
});

describe('podFromTemplate', () => {
  it('copies template metadata and spec, names by generateName and sets the controller ref', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-uid', controller: true, blockOwnerDeletion: true };
    const p = podFromTemplate(rs, ref);
    expect(p.metadata).toEqual({ generateName: 'web-abc-', namespace: 'default', labels: { app: 'web', tier: 'front' }, annotations: { a: 'b' }, ownerReferences: [ref] });
    expect(p.spec?.containers[0]?.image).toBe('nginx');
    expect(p.spec).not.toBe(rs.spec?.template?.spec);
  });
});

const NONE = { replicas: 0, fullyLabeled: 0, ready: 0, available: 0 };

describe('countPods', () => {
  const notReady = (p: Pod, lastTransitionTime?: string): Pod => ({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime }] } });
  const readyWithout = (p: Pod): Pod => ({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
  it.each([
    ['no pods', [], NONE],
    ['ready long enough', [pod('a', { app: 'web', tier: 'front' }, NOW - 60_000)], { replicas: 1, fullyLabeled: 1, ready: 1, available: 1 }],
    ['ready too recently', [pod('a', { app: 'web', tier: 'front' }, NOW - 5_000)], { replicas: 1, fullyLabeled: 1, ready: 1, available: 0 }],
    ['ready exactly minReadySeconds', [pod('a', { app: 'web', tier: 'front' }, NOW - 10_000)], { replicas: 1, fullyLabeled: 1, ready: 1, available: 0 }],
    ['ready without a transition time', [readyWithout(pod('a', { app: 'web', tier: 'front' }))], { replicas: 1, fullyLabeled: 1, ready: 1, available: 0 }],
    ['not ready', [notReady(pod('a', { app: 'web' }), new Date(NOW - 60_000).toISOString())], { replicas: 1, fullyLabeled: 0, ready: 0, available: 0 }],
    ['pending, missing a template label', [pod('a', { app: 'web' })], { replicas: 1, fullyLabeled: 0, ready: 0, available: 0 }],
    ['extra labels still fully labeled', [pod('a', { app: 'web', tier: 'front', x: 'y' })], { replicas: 1, fullyLabeled: 1, ready: 0, available: 0 }],
  ])('%s', (_name, pods, counts) => {
    expect(countPods(rs, pods, NOW)).toEqual(counts);
  });

  it('without minReadySeconds every ready pod is available', () => {
    const quick = { ...rs, spec: { ...rs.spec!, minReadySeconds: 0 } };
    expect(countPods(quick, [readyWithout(pod('a', {})), pod('b', {}, NOW)], NOW)).toMatchObject({ ready: 2, available: 2 });
  });
});

describe('calculateStatus', () => {
  it('counts replicas, fully labeled, ready and available (after minReadySeconds)', () => {
    const pods = [
      pod('a', { app: 'web', tier: 'front' }, NOW - 60_000),
      pod('b', { app: 'web' }, NOW - 5_000), // ready, not yet available, not fully labeled
      pod('c', { app: 'web', tier: 'front' }),
    ];
    expect(calculateStatus(rs, countPods(rs, pods, NOW), undefined, NOW)).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 1,
      observedGeneration: 2,
    });
  });

  it('sets ReplicaFailure on a failed create and clears it after a clean sync', () => {
    const failed = calculateStatus(rs, NONE, { message: 'pods "x" is forbidden: exceeded quota', creating: true }, NOW);
    expect(failed.conditions).toEqual([
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "x" is forbidden: exceeded quota', lastTransitionTime: '2024-05-01T12:00:00Z' },
    ]);
    const recovered = calculateStatus({ ...rs, status: failed }, NONE, undefined, NOW);
    expect(recovered.conditions).toBeUndefined();
  });
});

describe('planClaims', () => {
  const owner = rs as ReplicaSet & KObject;
  const sel = selectorFromLabelSelector(rs.spec!.selector);
  const ref = (uid: string) => [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid, controller: true }];
  const obj = (name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) =>
    ({ metadata: { name, namespace: 'default', labels, ...extra } }) as KObject;

  it('keeps its own, adopts matching orphans, releases what no longer matches, ignores others', () => {
    const plan = planClaims(owner, sel, [
      obj('mine', { app: 'web' }, { ownerReferences: ref('rs-uid') }),
      obj('orphan', { app: 'web' }),
      obj('orphan-other-labels', { app: 'db' }),
      obj('orphan-terminating', { app: 'web' }, { deletionTimestamp: '2024-01-01T00:00:00Z' }),
      obj('orphan-other-ns', { app: 'web' }, { namespace: 'kube-system' }),
      obj('moved-away', { app: 'db' }, { ownerReferences: ref('rs-uid') }),
      obj('someone-elses', { app: 'web' }, { ownerReferences: ref('other') }),
    ]);
    const names = (l: KObject[]) => l.map((o) => o.metadata.name);
    expect(names(plan.owned)).toEqual(['mine']);
    expect(names(plan.adopt)).toEqual(['orphan']);
    expect(names(plan.release)).toEqual(['moved-away']);
  });

  it('neither adopts nor releases while the owner is being deleted', () => {
    const deleting = { ...owner, metadata: { ...owner.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    const plan = planClaims(deleting, sel, [obj('orphan', { app: 'web' }), obj('moved-away', { app: 'db' }, { ownerReferences: ref('rs-uid') })]);
    expect(plan.adopt).toEqual([]);
    expect(plan.release).toEqual([]);
  });

  it('planClaimsFrom reads several lists in order', () => {
    const plan = planClaimsFrom(owner, sel, [[obj('mine', { app: 'web' }, { ownerReferences: ref('rs-uid') })], [obj('orphan', { app: 'web' }), obj('moved-away', { app: 'db' }, { ownerReferences: ref('rs-uid') })]]);
    expect(plan.owned.map((o) => o.metadata.name)).toEqual(['mine']);
    expect(plan.adopt.map((o) => o.metadata.name)).toEqual(['orphan']);
    expect(plan.release.map((o) => o.metadata.name)).toEqual(['moved-away']);
  });
});

describe('labelMatcher', () => {
  const labels: (Record<string, string> | undefined)[] = [undefined, {}, { app: 'web' }, { app: 'web', tier: 'front' }, { app: 'db', tier: 'front' }, { tier: 'front' }, { app: 'web', tier: 'back', x: '1' }, { constructor: 'x', app: 'web' }];
  it.each([
    [{ matchLabels: { app: 'web' } }],
    [{ matchLabels: { app: 'web', tier: 'front' } }],
    [{ matchLabels: { constructor: 'x' } }],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] }],
    [{ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }],
    [{}],
  ])('matches exactly what %j matches', (labelSelector) => {
    const selector = selectorFromLabelSelector(labelSelector);
    const matcher = labelMatcher(selector);
    for (const l of labels) expect(matcher.matches(l), JSON.stringify(l)).toBe(selector.matches(l));
  });

  it('compiles plain equalities and leaves other selectors to themselves', () => {
    const plain = selectorFromLabelSelector({ matchLabels: { app: 'web' } });
    const expression = selectorFromLabelSelector({ matchExpressions: [{ key: 'x', operator: 'Exists' }] });
    expect(labelMatcher(plain)).not.toBe(plain);
    expect(labelMatcher(expression)).toBe(expression);
    expect(labelMatcher(selectorFromLabelSelector(undefined)).matches({ app: 'web' })).toBe(false);
  });
});
