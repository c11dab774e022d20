// ControllerRevisions (pkg/controller/history, daemon/update.go): the snapshots of a pod template
// that DaemonSets and StatefulSets keep so `kubectl rollout history|undo` can show and restore
// them. A revision's data is the strategic merge patch kubectl applies on undo:
// {"spec":{"template":{...,"$patch":"replace"}}}.
import type { KObject, OwnerReference } from '@mini-kube/api';
import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { canonical, computeHash } from '../deployment/hash.js';

export type RevisionObject = ControllerRevision & KObject;

/** Label on revisions (and DaemonSet/StatefulSet pods) naming the revision's hash. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** The revision data that restores `template` (getPatch in the controllers and in kubectl). */
export function templatePatch(template: PodTemplateSpec | undefined): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

/** The template a revision restores. */
export function revisionTemplate(rev: ControllerRevision): PodTemplateSpec {
  const data = rev.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined;
  const { $patch: _directive, ...template } = data?.spec?.template ?? {};
  return template;
}

/** True when the revision restores exactly `template` (Match / EqualRevision, ignoring key order and empties). */
export function revisionMatches(rev: ControllerRevision, template: PodTemplateSpec | undefined): boolean {
  return JSON.stringify(canonical(revisionTemplate(rev))) === JSON.stringify(canonical(template ?? {}));
}

/** Oldest first: by revision number, then creation time, then name (SortControllerRevisions). */
export function sortRevisions<T extends ControllerRevision>(revisions: readonly T[]): T[] {
  return [...revisions].sort(
    (a, b) =>
      a.revision - b.revision ||
      (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') ||
      (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
  );
}

export const maxRevision = (revisions: readonly ControllerRevision[]): number => Math.max(0, ...revisions.map((r) => r.revision));

export interface RevisionOwner {
  metadata: KObject['metadata'];
  spec?: { template?: PodTemplateSpec };
}

/**
 * The revision of `owner`'s current template (NewControllerRevision / snapshot): named
 * `<owner>-<hash>`, labelled with the template labels and the hash, carrying the owner's
 * annotations (so kubernetes.io/change-cause shows in `rollout history`).
 */
export function newRevision(owner: RevisionOwner, controllerRef: OwnerReference, revision: number, collisionCount?: number): RevisionObject {
  const template = owner.spec?.template;
  const hash = computeHash(template, collisionCount);
  const annotations = owner.metadata.annotations;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${owner.metadata.name}-${hash}`,
      namespace: owner.metadata.namespace,
      labels: { ...(template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
      ownerReferences: [controllerRef],
    },
    data: templatePatch(template),
    revision,
  };
}

/**
 * The non-live revisions to delete so at most `limit` remain (cleanupHistory / truncateHistory):
 * the oldest first. `live` holds the names of revisions in use (current, update, or a pod's).
 */
export function revisionsToPrune<T extends ControllerRevision>(revisions: readonly T[], live: ReadonlySet<string>, limit: number): T[] {
  const history = sortRevisions(revisions).filter((r) => !live.has(r.metadata?.name ?? ''));
  return history.slice(0, Math.max(0, history.length - limit));
}
