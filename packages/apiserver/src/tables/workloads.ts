// Printers of the apps/v1 kinds: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision.
import { translateTimestampSince } from '@mini-kube/machinery';
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import { ageColumn, column, convertor, nameColumn, templateColumns } from './columns.js';
import { containerCells, formatLabelSelector, formatLabels, selectorString } from './format.js';

// Stored objects are defaulted; the fallbacks only guard against objects that were not.
const DEFAULT_REPLICAS = 1;

export const deploymentConvertor = convertor<Deployment>(
  [
    nameColumn(),
    column('Ready', { description: 'Number of the pod with ready state' }),
    column('Up-to-date', { description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.' }),
    column('Available', { description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.' }),
    ageColumn(),
    ...templateColumns(),
  ],
  (d, now) => [
    d.metadata?.name ?? '',
    `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? DEFAULT_REPLICAS}`,
    d.status?.updatedReplicas ?? 0,
    d.status?.availableReplicas ?? 0,
    translateTimestampSince(d.metadata?.creationTimestamp, now),
    ...containerCells(d.spec?.template?.spec?.containers),
    // The deployment printer uses the plain selector string (no `<none>`), unlike its siblings.
    selectorString(d.spec?.selector),
  ],
);

export const replicaSetConvertor = convertor<ReplicaSet>(
  [
    nameColumn(),
    column('Desired', { type: 'integer' }),
    column('Current', { type: 'integer' }),
    column('Ready', { type: 'integer' }),
    ageColumn(),
    ...templateColumns(),
  ],
  (rs, now) => [
    rs.metadata?.name ?? '',
    rs.spec?.replicas ?? DEFAULT_REPLICAS,
    rs.status?.replicas ?? 0,
    rs.status?.readyReplicas ?? 0,
    translateTimestampSince(rs.metadata?.creationTimestamp, now),
    ...containerCells(rs.spec?.template?.spec?.containers),
    formatLabelSelector(rs.spec?.selector),
  ],
);

export const statefulSetConvertor = convertor<StatefulSet>(
  [nameColumn(), column('Ready', { description: 'Number of the pod with ready state' }), ageColumn(), ...templateColumns(false)],
  (sts, now) => [
    sts.metadata?.name ?? '',
    `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? DEFAULT_REPLICAS}`,
    translateTimestampSince(sts.metadata?.creationTimestamp, now),
    ...containerCells(sts.spec?.template?.spec?.containers),
  ],
);

export const daemonSetConvertor = convertor<DaemonSet>(
  [
    nameColumn(),
    column('Desired', { type: 'integer' }),
    column('Current', { type: 'integer' }),
    column('Ready', { type: 'integer' }),
    column('Up-to-date', { type: 'integer' }),
    column('Available', { type: 'integer' }),
    column('Node Selector'),
    ageColumn(),
    ...templateColumns(),
  ],
  (ds, now) => [
    ds.metadata?.name ?? '',
    ds.status?.desiredNumberScheduled ?? 0,
    ds.status?.currentNumberScheduled ?? 0,
    ds.status?.numberReady ?? 0,
    ds.status?.updatedNumberScheduled ?? 0,
    ds.status?.numberAvailable ?? 0,
    formatLabels(ds.spec?.template?.spec?.nodeSelector),
    translateTimestampSince(ds.metadata?.creationTimestamp, now),
    ...containerCells(ds.spec?.template?.spec?.containers),
    formatLabelSelector(ds.spec?.selector),
  ],
);

/** `kind.group/name` of the controlling owner, lower-cased the way kubectl names resources. */
function controllerName(cr: ControllerRevision): string {
  const owner = cr.metadata?.ownerReferences?.find((ref) => ref.controller);
  if (!owner) return '<none>';
  const slash = owner.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : owner.apiVersion.slice(0, slash);
  const groupKind = group ? `${owner.kind}.${group}` : owner.kind;
  return groupKind ? `${groupKind.toLowerCase()}/${owner.name}` : owner.name;
}

export const controllerRevisionConvertor = convertor<ControllerRevision>(
  [
    nameColumn(),
    column('Controller', { description: 'Controller of the object' }),
    column('Revision', { description: 'Revision indicates the revision of the state represented by Data.' }),
    ageColumn(),
  ],
  (cr, now) => [
    cr.metadata?.name ?? '',
    controllerName(cr),
    cr.revision ?? 0,
    translateTimestampSince(cr.metadata?.creationTimestamp, now),
  ],
);
