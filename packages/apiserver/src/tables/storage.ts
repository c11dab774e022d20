// Printers of PersistentVolume and PersistentVolumeClaim.
import { translateTimestampSince } from '@mini-kube/machinery';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { ageColumn, column, convertor, nameColumn, wide } from './columns.js';

const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

const ACCESS_MODE_ABBREVIATIONS: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** `RWO,RWX`: abbreviated modes in a fixed order, whatever order the object lists them in. */
export function accessModes(modes: string[] | undefined): string {
  const present = new Set(modes ?? []);
  return ACCESS_MODE_ABBREVIATIONS.filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}

function storageClass(meta: { annotations?: Record<string, string> } | undefined, className: string | undefined): string {
  return meta?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? className ?? '';
}

export const persistentVolumeConvertor = convertor<PersistentVolume>(
  [
    nameColumn(),
    column('Capacity'),
    column('Access Modes'),
    column('Reclaim Policy'),
    column('Status'),
    column('Claim'),
    column('StorageClass', { description: 'StorageClass of the pv' }),
    column('VolumeAttributesClass', { description: 'VolumeAttributesClass of the pv' }),
    column('Reason'),
    ageColumn(),
    wide('VolumeMode'),
  ],
  (pv, now) => {
    const claim = pv.spec?.claimRef;
    return [
      pv.metadata?.name ?? '',
      pv.spec?.capacity?.storage ?? '0',
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? ''),
      claim ? `${claim.namespace ?? ''}/${claim.name ?? ''}` : '',
      storageClass(pv.metadata, pv.spec?.storageClassName),
      pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      translateTimestampSince(pv.metadata?.creationTimestamp, now),
      pv.spec?.volumeMode ?? '<unset>',
    ];
  },
);

export const persistentVolumeClaimConvertor = convertor<PersistentVolumeClaim>(
  [
    nameColumn(),
    column('Status'),
    column('Volume'),
    column('Capacity'),
    column('Access Modes'),
    column('StorageClass', { description: 'StorageClass of the pvc' }),
    column('VolumeAttributesClass', { description: 'VolumeAttributesClass of the pvc' }),
    ageColumn(),
    wide('VolumeMode'),
  ],
  (pvc, now) => {
    // Capacity and modes are only meaningful once the claim is bound to a volume.
    const bound = !!pvc.spec?.volumeName;
    return [
      pvc.metadata?.name ?? '',
      pvc.metadata?.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
      pvc.spec?.volumeName ?? '',
      bound ? (pvc.status?.capacity?.storage ?? '0') : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClass(pvc.metadata, pvc.spec?.storageClassName),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      translateTimestampSince(pvc.metadata?.creationTimestamp, now),
      pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
);
