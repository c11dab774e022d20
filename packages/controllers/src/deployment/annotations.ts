// The annotations a Deployment keeps on its ReplicaSets (util/deployment_util.go): the revision
// (and the history of revisions a reused ReplicaSet had), desired-replicas and max-replicas, and
// a copy of the deployment's own annotations such as kubernetes.io/change-cause. Functions change
// the ReplicaSet they are given (a copy made by the caller) and say whether anything changed.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import {
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
} from './replicasets.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';

/** Deployment annotations that are not copied to ReplicaSets. */
const NOT_COPIED = new Set([
  LAST_APPLIED,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  ROLLBACK_TO,
]);

/** revision-history keeps at most this many characters (--deployment-controller-max-revision-history-length default). */
const MAX_REVISION_HISTORY_CHARS = 2000;

type Annotated = { metadata?: { annotations?: Record<string, string> } };

function annotations(obj: Annotated): Record<string, string> {
  const meta = (obj.metadata ??= {});
  return (meta.annotations ??= {});
}

function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata?.annotations ?? {})) {
    if (NOT_COPIED.has(key) || rs.metadata?.annotations?.[key] === value) continue;
    annotations(rs)[key] = value;
    changed = true;
  }
  return changed;
}

/** Sets desired-replicas and max-replicas; true when they changed (SetReplicasAnnotations). */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  const a = annotations(rs);
  a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
  a[MAX_REPLICAS_ANNOTATION] = String(max);
  return true;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

function appendHistory(history: string | undefined, revision: string): string {
  let list = history ? `${history},${revision}` : revision;
  while (list.length > MAX_REVISION_HISTORY_CHARS && list.includes(',')) list = list.slice(list.indexOf(',') + 1);
  return list;
}

/**
 * Brings the new ReplicaSet's annotations up to date (SetNewReplicaSetAnnotations): the copied
 * deployment annotations, the revision (raised to `newRevision`, never lowered, with the old value
 * kept in revision-history), and for a ReplicaSet being created the replicas annotations.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
  replicas: { desired: number; max: number },
): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const oldRevision = rs.metadata?.annotations?.[REVISION_ANNOTATION];
  const oldNumber = oldRevision ? Number(oldRevision) : 0;
  if (!Number.isInteger(oldNumber)) return changed;
  if (oldNumber < newRevision) {
    const a = annotations(rs);
    a[REVISION_ANNOTATION] = String(newRevision);
    if (oldRevision) a[REVISION_HISTORY_ANNOTATION] = appendHistory(a[REVISION_HISTORY_ANNOTATION], oldRevision);
    changed = true;
  }
  if (!exists && setReplicasAnnotations(rs, replicas.desired, replicas.max)) changed = true;
  return changed;
}

/** The deployment's revision annotation follows its new ReplicaSet; true when it changed. */
export function setDeploymentRevision(d: Deployment, revision: string | undefined): boolean {
  if (revision === undefined || d.metadata?.annotations?.[REVISION_ANNOTATION] === revision) return false;
  annotations(d)[REVISION_ANNOTATION] = revision;
  return true;
}
