import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { getControllerOf, isControlledBy, newControllerRef } from '../src/index.js';

const rs: KObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', uid: 'u-rs' } };

describe('owner references', () => {
  it('builds a controller reference and finds it again', () => {
    const ref = newControllerRef(rs);
    expect(ref).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u-rs', controller: true, blockOwnerDeletion: true });
    const pod = { metadata: { name: 'p', ownerReferences: [{ ...ref, uid: 'other', controller: false }, ref] } };
    expect(getControllerOf(pod)).toBe(ref);
    expect(isControlledBy(pod, rs)).toBe(true);
    expect(isControlledBy(pod, { metadata: { uid: 'other' } })).toBe(false);
    expect(isControlledBy({ metadata: {} }, rs)).toBe(false);
  });

  it('takes the type from the caller when the owner has none, and refuses incomplete owners', () => {
    const bare: KObject = { metadata: { name: 'd', uid: 'u-d' } };
    expect(newControllerRef(bare, { apiVersion: 'apps/v1', kind: 'Deployment' }).kind).toBe('Deployment');
    expect(() => newControllerRef(bare)).toThrow('needs apiVersion, kind');
  });
});
