// PersistentVolume and PersistentVolumeClaim defaults and validation.
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec } from 'kubernetes-types/core/v1';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { equal, fill, oneOf } from './fields.js';
import { kindRules } from './kind.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const PV_SOURCES = ['hostPath', 'local', 'nfs', 'csi', 'iscsi', 'fc', 'cephfs', 'rbd', 'awsElasticBlockStore', 'gcePersistentDisk', 'azureDisk', 'azureFile', 'cinder', 'flexVolume', 'glusterfs', 'portworxVolume', 'quobyte', 'scaleIO', 'storageos', 'vsphereVolume', 'photonPersistentDisk', 'flocker'];

function validateAccessModes(modes: string[] | undefined, path: string): FieldError[] {
  if ((modes ?? []).length === 0) return [fieldErrors.required(path, 'at least 1 access mode is required')];
  const errs = (modes ?? []).flatMap((m) => oneOf(m, ACCESS_MODES, path));
  if (modes!.includes('ReadWriteOncePod') && modes!.length > 1) {
    errs.push(fieldErrors.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

const withStatusPhase = (obj: object, phase: string): void => {
  const status = ((obj as { status?: { phase?: string } }).status ??= {});
  status.phase ??= phase;
};

export const pvcRules = kindRules<PersistentVolumeClaim>({
  defaults(pvc) {
    fill((pvc.spec ??= {}), 'volumeMode', 'Filesystem');
    withStatusPhase(pvc, 'Pending');
  },
  validate(pvc) {
    const spec = pvc.spec ?? {};
    const errs = [...validateAccessModes(spec.accessModes, 'spec.accessModes'), ...oneOf(spec.volumeMode, VOLUME_MODES, 'spec.volumeMode')];
    if (!spec.resources?.requests?.storage) errs.push(fieldErrors.required('spec.resources[storage]'));
    return errs;
  },
  validateUpdate(pvc, old) {
    // Only resources.requests may change (to resize); volumeName may be filled in once by binding.
    const strip = (spec: PersistentVolumeClaimSpec | undefined, volumeName?: string): PersistentVolumeClaimSpec => ({
      ...spec,
      resources: { ...spec?.resources, requests: undefined },
      volumeName: volumeName ?? spec?.volumeName,
    });
    const bindsNow = !old.spec?.volumeName ? pvc.spec?.volumeName : undefined;
    if (equal(strip(pvc.spec), strip(old.spec, bindsNow))) return [];
    return [fieldErrors.forbidden('spec', 'spec is immutable after creation except resources.requests for bound claims')];
  },
});

export const pvRules = kindRules<PersistentVolume>({
  defaults(pv) {
    const spec = (pv.spec ??= {});
    fill(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    fill(spec, 'volumeMode', 'Filesystem');
    withStatusPhase(pv, 'Pending');
  },
  validate(pv) {
    const spec = pv.spec ?? {};
    const errs = [
      ...validateAccessModes(spec.accessModes, 'spec.accessModes'),
      ...oneOf(spec.persistentVolumeReclaimPolicy, RECLAIM_POLICIES, 'spec.persistentVolumeReclaimPolicy'),
      ...oneOf(spec.volumeMode, VOLUME_MODES, 'spec.volumeMode'),
    ];
    if (!spec.capacity?.storage) errs.push(fieldErrors.required('spec.capacity'));
    const sources = PV_SOURCES.filter((s) => (spec as Record<string, unknown>)[s]);
    if (sources.length === 0) errs.push(fieldErrors.required('spec', 'must specify a volume type'));
    for (const extra of sources.slice(1)) errs.push(fieldErrors.forbidden(`spec.${extra}`, 'may not specify more than 1 volume type'));
    if (spec.hostPath && !spec.hostPath.path) errs.push(fieldErrors.required('spec.hostPath.path'));
    return errs;
  },
  validateUpdate: (pv, old) =>
    old.spec?.volumeMode && pv.spec?.volumeMode !== old.spec.volumeMode
      ? [fieldErrors.invalid('spec.volumeMode', pv.spec?.volumeMode ?? null, 'field is immutable')]
      : [],
});

