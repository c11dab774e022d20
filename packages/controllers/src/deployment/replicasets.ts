// Reading a Deployment's ReplicaSets: which one is new (its template matches), which are old,
// their counts and revisions, and the orders the real controller sorts them in.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import { equalIgnoreHash } from './hash.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

export const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;
export const deploymentReplicas = (d: Deployment): number => d.spec?.replicas ?? 1;

/** Sum of spec.replicas (GetReplicaCountForReplicaSets). */
export const replicaCount = (rss: readonly ReplicaSet[]): number => rss.reduce((n, rs) => n + specReplicas(rs), 0);
/** Sum of status.replicas (GetActualReplicaCountForReplicaSets). */
export const actualReplicaCount = (rss: readonly ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
export const readyReplicaCount = (rss: readonly ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
export const availableReplicaCount = (rss: readonly ReplicaSet[]): number =>
  rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);

/** The ReplicaSets with spec.replicas > 0. */
export const filterActive = (rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] =>
  rss.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);

/** The revision annotation as a number (0 when absent or unparsable). */
export function revisionOf(rs: ReplicaSet): number {
  const n = Number(rs.metadata?.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export const maxRevision = (rss: readonly ReplicaSet[]): number => rss.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);

/** An integer annotation, or undefined when absent or not an integer. */
export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const raw = rs.metadata?.annotations?.[key];
  if (raw === undefined || raw === '' || !/^-?\d+$/.test(raw)) return undefined;
  return Number(raw);
}

const created = (rs: ReplicaSet): number => Date.parse(rs.metadata?.creationTimestamp ?? '') || 0;

/** Oldest first, then by name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return created(a) - created(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** Lowest revision first, by creation when equal (ReplicaSetsByRevision). */
export const byRevision = (a: ReplicaSet, b: ReplicaSet): number => revisionOf(a) - revisionOf(b) || byCreation(a, b);

/** Largest first; among equals the newer first (ReplicaSetsBySizeNewer). */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet): number => specReplicas(b) - specReplicas(a) || byCreation(b, a);

/** Largest first; among equals the older first (ReplicaSetsBySizeOlder). */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet): number => specReplicas(b) - specReplicas(a) || byCreation(a, b);

/** The oldest ReplicaSet whose template equals the deployment's (FindNewReplicaSet). */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every ReplicaSet but the new one, and those of them that still have replicas (FindOldReplicaSets). */
export function findOldReplicaSets(d: Deployment, rss: readonly ReplicaSet[]): { all: ReplicaSet[]; withReplicas: ReplicaSet[] } {
  const newUid = findNewReplicaSet(d, rss)?.metadata?.uid;
  const all = rss.filter((rs) => newUid === undefined || rs.metadata?.uid !== newUid);
  return { all, withReplicas: all.filter((rs) => specReplicas(rs) !== 0) };
}
