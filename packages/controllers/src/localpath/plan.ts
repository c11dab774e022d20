// The local-path provisioner's decisions, as pure functions: which claims it provisions, the
// PersistentVolume it makes for one (a directory under the daemon's data dir), the claim and volume
// as they look once bound, and what becomes of a volume whose claim is gone.
import { join } from 'node:path';
import type { KObject } from '@mini-kube/api';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';

export type ClaimObject = PersistentVolumeClaim & KObject;
export type VolumeObject = PersistentVolume & KObject;

export const PROVISIONER = 'mini-kube.io/local-path';
/** The classes served: none (no default StorageClass here), kind's `standard` and rancher's `local-path`. */
const CLASSES = new Set(['', 'standard', 'local-path']);

const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';

/** The directory of a claim: the process runtime uses the same one for an unbound claim. */
export const claimPath = (dataDir: string, namespace: string, claimName: string): string => join(dataDir, 'volumes', namespace, claimName);

export const volumeNameFor = (claim: ClaimObject): string => `pvc-${claim.metadata.uid}`;

/** A pending claim of a served class, not being deleted. */
export function isProvisionable(claim: ClaimObject): boolean {
  if (claim.metadata.deletionTimestamp || claim.spec?.volumeName) return false;
  return CLASSES.has(claim.spec?.storageClassName ?? '');
}

export const isProvisionedHere = (pv: VolumeObject): boolean => pv.metadata.annotations?.[PROVISIONED_BY] === PROVISIONER;

/** The volume provisioned for `claim`: pre-bound to it (claimRef), reclaimed by deletion. */
export function volumeFor(claim: ClaimObject, dataDir: string): VolumeObject {
  const namespace = claim.metadata.namespace ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volumeNameFor(claim), annotations: { [PROVISIONED_BY]: PROVISIONER } },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: claim.spec?.storageClassName ?? '',
      hostPath: { path: claimPath(dataDir, namespace, claim.metadata.name!), type: 'DirectoryOrCreate' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name: claim.metadata.name, uid: claim.metadata.uid },
    },
  };
}

/** Whether `pv` is reserved for exactly this claim (same uid, so not a deleted namesake's volume). */
export const reservedFor = (pv: VolumeObject, claim: ClaimObject): boolean =>
  pv.spec?.claimRef?.uid === claim.metadata.uid && pv.spec?.claimRef?.name === claim.metadata.name && pv.spec?.claimRef?.namespace === claim.metadata.namespace;

/** The claim's spec and annotations once bound to `pv` (what the PV controller writes), or undefined if already so. */
export function boundClaimSpec(claim: ClaimObject, pv: VolumeObject): ClaimObject | undefined {
  const annotations = claim.metadata.annotations ?? {};
  const wanted = { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.kubernetes.io/storage-provisioner': PROVISIONER };
  const annotated = Object.entries(wanted).every(([k, v]) => annotations[k] === v);
  if (claim.spec?.volumeName === pv.metadata.name && annotated) return undefined;
  return { ...claim, metadata: { ...claim.metadata, annotations: { ...annotations, ...wanted } }, spec: { ...claim.spec, volumeName: pv.metadata.name } };
}

/** The claim's status once bound, or undefined if already so. */
export function boundClaimStatus(claim: ClaimObject, pv: VolumeObject): ClaimObject | undefined {
  const status = claim.status ?? {};
  const capacity = pv.spec?.capacity?.storage;
  if (status.phase === 'Bound' && status.capacity?.storage === capacity) return undefined;
  return { ...claim, status: { ...status, phase: 'Bound', accessModes: pv.spec?.accessModes, capacity: { ...status.capacity, storage: capacity! } } };
}

/** The volume's status once bound, or undefined if already so. */
export function boundVolumeStatus(pv: VolumeObject): VolumeObject | undefined {
  if (pv.status?.phase === 'Bound') return undefined;
  return { ...pv, status: { ...pv.status, phase: 'Bound' } };
}

export type Reclaim =
  | { action: 'none' }
  /** Delete the volume; its directory too when no claim of that name exists now (a namesake may be using it). */
  | { action: 'delete'; removeDir: boolean }
  | { action: 'release' };

/**
 * What to do with a volume this provisioner made, given the claim now found under its claimRef's
 * name (undefined: none). A volume whose claim is gone is deleted (reclaim Delete) or Released (Retain).
 */
export function planReclaim(pv: VolumeObject, current: ClaimObject | undefined): Reclaim {
  const ref = pv.spec?.claimRef;
  if (!ref || pv.metadata.deletionTimestamp) return { action: 'none' };
  if (current && current.metadata.uid === ref.uid) return { action: 'none' };
  if (pv.spec?.persistentVolumeReclaimPolicy === 'Delete') return { action: 'delete', removeDir: current === undefined };
  return pv.status?.phase === 'Released' ? { action: 'none' } : { action: 'release' };
}
