import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { calculateStatus, podFromTemplate, slowStartBatches } from '../src/replicaset/plan.js';
import { planClaims } from '../src/replicaset/claim.js';
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

describe('calculateStatus', () => {
  it('counts replicas, fully labeled, ready and available (after minReadySeconds)', () => {
    const pods = [
      pod('a', { app: 'web', tier: 'front' }, NOW - 60_000),
      pod('b', { app: 'web' }, NOW - 5_000), // ready, not yet available, not fully labeled
      pod('c', { app: 'web', tier: 'front' }),
    ];
    expect(calculateStatus(rs, pods, undefined, NOW)).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 1,
      observedGeneration: 2,
    });
  });

  it('sets ReplicaFailure on a failed create and clears it after a clean sync', () => {
    const failed = calculateStatus(rs, [], { message: 'pods "x" is forbidden: exceeded quota', creating: true }, NOW);
    expect(failed.conditions).toEqual([
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "x" is forbidden: exceeded quota', lastTransitionTime: '2024-05-01T12:00:00Z' },
    ]);
    const recovered = calculateStatus({ ...rs, status: failed }, [], undefined, NOW);
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
});
