// Which revision stands for an owner's current template (constructHistory in the DaemonSet
// controller, getStatefulSetRevisions in the StatefulSet one): the newest revision with that
// template when there is one — renumbered to come last if it is not already last, which is what
// makes `rollout undo` show up as a new revision — or else a new revision numbered max + 1.
import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { maxRevision, revisionMatches, sortRevisions } from './revisions.js';

export type RevisionPlan<T extends ControllerRevision> =
  | { action: 'use'; revision: T; old: T[] }
  | { action: 'renumber'; revision: T; to: number; old: T[] }
  | { action: 'create'; number: number; old: T[] };

export function planCurrentRevision<T extends ControllerRevision>(template: PodTemplateSpec | undefined, revisions: readonly T[]): RevisionPlan<T> {
  const sorted = sortRevisions(revisions);
  const matching = sorted.filter((r) => revisionMatches(r, template));
  const current = matching[matching.length - 1];
  const old = sorted.filter((r) => r !== current);
  if (!current) return { action: 'create', number: maxRevision(sorted) + 1, old };
  const next = maxRevision(old) + 1;
  if (current.revision < next) return { action: 'renumber', revision: current, to: next, old };
  return { action: 'use', revision: current, old };
}
