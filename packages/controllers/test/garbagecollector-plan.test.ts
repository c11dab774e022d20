import type { KObject, OwnerReference } from '@mini-kube/api';
import { describe, expect, it } from 'vitest';
import {
  blockingDependents,
  ownershipChanged,
  pendingGcFinalizer,
  planDependent,
  unblockedOwnerRefs,
  withoutOwnerRefs,
  type DependentFacts,
  type DependentPlan,
  type OwnerState,
} from '../src/garbagecollector/plan.js';
import { gcKey, parseGcKey, resolveOwnerResource } from '../src/garbagecollector/resources.js';

const ref = (uid: string, block = false): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${uid}`, uid, blockOwnerDeletion: block });

function facts(owners: Record<string, OwnerState>, extra: Partial<DependentFacts> = {}): DependentFacts {
  return {
    ownerRefs: Object.keys(owners).map((uid) => ref(uid)),
    owners: new Map(Object.entries(owners)),
    finalizers: [],
    hasDependents: false,
    aDependentIsDeletingDependents: false,
    ...extra,
  };
}

describe('planDependent', () => {
  const cases: [string, DependentFacts, DependentPlan][] = [
    ['one solid owner: keep', facts({ a: 'solid' }), { action: 'none' }],
    ['solid and dangling: drop the dangling reference', facts({ a: 'solid', b: 'dangling' }), { action: 'removeOwnerRefs', uids: ['b'] }],
    ['solid and waiting: drop the waiting reference', facts({ a: 'solid', b: 'waiting' }), { action: 'removeOwnerRefs', uids: ['b'] }],
    ['all owners gone: delete in the background', facts({ a: 'dangling', b: 'dangling' }), { action: 'delete', policy: 'Background', unblockFirst: false }],
    ['owner waiting, no dependents of its own: background', facts({ a: 'waiting' }), { action: 'delete', policy: 'Background', unblockFirst: false }],
    ['owner waiting, has dependents: foreground', facts({ a: 'waiting' }, { hasDependents: true }), { action: 'delete', policy: 'Foreground', unblockFirst: false }],
    [
      'owner waiting, a dependent deleting its own: unblock then foreground',
      facts({ a: 'waiting' }, { hasDependents: true, aDependentIsDeletingDependents: true }),
      { action: 'delete', policy: 'Foreground', unblockFirst: true },
    ],
    ['orphan finalizer chosen ahead of time', facts({ a: 'dangling' }, { finalizers: ['orphan'] }), { action: 'delete', policy: 'Orphan', unblockFirst: false }],
    ['foreground finalizer chosen ahead of time', facts({ a: 'dangling' }, { finalizers: ['foregroundDeletion'] }), { action: 'delete', policy: 'Foreground', unblockFirst: false }],
    ['an unresolvable owner counts as solid', { ...facts({ a: 'dangling' }), ownerRefs: [ref('a'), ref('x')] }, { action: 'removeOwnerRefs', uids: ['a'] }],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(planDependent(input)).toEqual(expected);
  });
});

describe('owner helpers', () => {
  const obj = (meta: Partial<KObject['metadata']>): KObject => ({ metadata: { name: 'x', ...meta } });

  it('pendingGcFinalizer needs a deletionTimestamp and prefers orphan', () => {
    expect(pendingGcFinalizer(obj({ finalizers: ['orphan'] }))).toBeUndefined();
    expect(pendingGcFinalizer(obj({ deletionTimestamp: 'now', finalizers: ['foregroundDeletion', 'orphan'] }))).toBe('orphan');
    expect(pendingGcFinalizer(obj({ deletionTimestamp: 'now', finalizers: ['foregroundDeletion'] }))).toBe('foregroundDeletion');
    expect(pendingGcFinalizer(obj({ deletionTimestamp: 'now', finalizers: ['example.com/x'] }))).toBeUndefined();
  });

  it('blockingDependents keeps those whose reference to the owner blocks', () => {
    const blocking = obj({ name: 'b', ownerReferences: [ref('o', true)] });
    const other = obj({ name: 'c', ownerReferences: [ref('o', false), ref('p', true)] });
    expect(blockingDependents('o', [blocking, other])).toEqual([blocking]);
  });

  it('withoutOwnerRefs and unblockedOwnerRefs report "no change" as undefined', () => {
    expect(withoutOwnerRefs([ref('a'), ref('b')], ['b'])).toEqual([ref('a')]);
    expect(withoutOwnerRefs([ref('a')], ['z'])).toBeUndefined();
    expect(unblockedOwnerRefs([ref('a', true), ref('b')])).toEqual([ref('a', false), ref('b')]);
    expect(unblockedOwnerRefs([ref('a')])).toBeUndefined();
  });

  it('keys round-trip and owner kinds resolve by group and kind', () => {
    const rs = resolveOwnerResource('apps/v1beta2', 'ReplicaSet')!;
    expect(rs.plural).toBe('replicasets');
    expect(parseGcKey(gcKey(rs, 'default', 'web'))).toEqual({ resourceId: 'apps/replicasets', namespace: 'default', name: 'web' });
    expect(parseGcKey(gcKey(resolveOwnerResource('v1', 'Node')!, undefined, 'n1'))).toEqual({ resourceId: '/nodes', namespace: undefined, name: 'n1' });
    expect(resolveOwnerResource('v1', 'Event')).toBeUndefined();
  });
});

describe('ownershipChanged', () => {
  const pod = (metadata: Partial<KObject['metadata']>): KObject => ({ metadata: { name: 'p', uid: 'u1', ...metadata }, status: { phase: 'Running' } }) as KObject;
  const owned = { ownerReferences: [ref('a')] };
  it.each([
    ['a status update', pod(owned), { ...pod(owned), status: { phase: 'Succeeded' } }, false],
    ['the same object (resync)', pod(owned), pod(owned), false],
    ['an owner added', pod(owned), pod({ ownerReferences: [ref('a'), ref('b')] }), true],
    ['an owner removed', pod(owned), pod({}), true],
    ['blockOwnerDeletion set', pod(owned), pod({ ownerReferences: [ref('a', true)] }), true],
    ['deletion started', pod(owned), pod({ ...owned, deletionTimestamp: '2026-01-01T00:00:00Z' }), true],
    ['a finalizer added', pod(owned), pod({ ...owned, finalizers: ['foregroundDeletion'] }), true],
  ])('%s', (_what, before, after, changed) => {
    expect(ownershipChanged(before, after as KObject)).toBe(changed);
  });
});
