// The local-path provisioner's pure decisions: which claims it serves, the volume it makes, binding
// and reclaiming.
import { describe, expect, it } from 'vitest';
import { boundClaimSpec, boundClaimStatus, boundVolumeStatus, isProvisionable, planReclaim, volumeFor, type ClaimObject, type VolumeObject } from '../src/localpath/plan.js';

function claim(spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): ClaimObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data-web-0', namespace: 'ns1', uid: 'u1', ...meta },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  } as ClaimObject;
}

describe('isProvisionable', () => {
  it.each([
    ['no class', claim(), true],
    ['empty class', claim({ storageClassName: '' }), true],
    ['standard', claim({ storageClassName: 'standard' }), true],
    ['local-path', claim({ storageClassName: 'local-path' }), true],
    ['another class', claim({ storageClassName: 'fast-ssd' }), false],
    ['already bound', claim({ volumeName: 'pv1' }), false],
    ['being deleted', claim({}, { deletionTimestamp: '2024-01-01T00:00:00Z' }), false],
  ])('%s', (_name, c, want) => expect(isProvisionable(c)).toBe(want));
});

describe('volumeFor', () => {
  it('is a Delete-reclaimed hostPath under <dataDir>/volumes/<ns>/<claim>, reserved for the claim', () => {
    const pv = volumeFor(claim({ storageClassName: 'standard', accessModes: ['ReadWriteOncePod'] }), '/var/mk');
    expect(pv.metadata.name).toBe('pvc-u1');
    expect(pv.spec).toMatchObject({
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOncePod'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      hostPath: { path: '/var/mk/volumes/ns1/data-web-0' },
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'ns1', name: 'data-web-0', uid: 'u1' },
    });
  });
});

describe('binding', () => {
  const pv = volumeFor(claim(), '/d');
  it('sets volumeName and the bind annotations once', () => {
    const bound = boundClaimSpec(claim(), pv)!;
    expect(bound.spec?.volumeName).toBe('pvc-u1');
    expect(bound.metadata.annotations?.['pv.kubernetes.io/bind-completed']).toBe('yes');
    expect(boundClaimSpec(bound, pv)).toBeUndefined();
  });
  it('makes the claim Bound with the volume capacity and access modes once', () => {
    const bound = boundClaimStatus(claim({ volumeName: 'pvc-u1' }), pv)!;
    expect(bound.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } });
    expect(boundClaimStatus(bound, pv)).toBeUndefined();
  });
  it('makes the volume Bound once', () => {
    const bound = boundVolumeStatus(pv)!;
    expect(bound.status?.phase).toBe('Bound');
    expect(boundVolumeStatus(bound)).toBeUndefined();
  });
});

describe('planReclaim', () => {
  const pv = volumeFor(claim(), '/d');
  const retained: VolumeObject = { ...pv, spec: { ...pv.spec, persistentVolumeReclaimPolicy: 'Retain' } };
  it.each([
    ['claim still there', pv, claim(), { action: 'none' }],
    ['claim gone', pv, undefined, { action: 'delete', removeDir: true }],
    ['a namesake claim uses the directory', pv, claim({}, { uid: 'u2' }), { action: 'delete', removeDir: false }],
    ['Retain: claim gone', retained, undefined, { action: 'release' }],
    ['Retain: already Released', { ...retained, status: { phase: 'Released' } }, undefined, { action: 'none' }],
    ['volume being deleted', { ...pv, metadata: { ...pv.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } }, undefined, { action: 'none' }],
  ])('%s', (_name, v, current, want) => expect(planReclaim(v as VolumeObject, current)).toEqual(want));
});
