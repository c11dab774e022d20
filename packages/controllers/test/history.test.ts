// ControllerRevision planning: which revision stands for the current template, and which old ones go.
import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { newRevision, planCurrentRevision, revisionMatches, revisionTemplate, revisionsToPrune, templatePatch } from '../src/history/index.js';

const tpl = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image }] } });
const rev = (name: string, revision: number, image: string): ControllerRevision => ({ metadata: { name }, revision, data: templatePatch(tpl(image)) });

describe('revisions', () => {
  it('stores the template as the strategic patch kubectl rollout undo applies', () => {
    expect(templatePatch(tpl('v1'))).toEqual({ spec: { template: { ...tpl('v1'), $patch: 'replace' } } });
    expect(revisionTemplate(rev('r', 1, 'v1'))).toEqual(tpl('v1'));
  });

  it('matches templates regardless of key order and empty members', () => {
    const reordered: PodTemplateSpec = { spec: { containers: [{ image: 'v1', name: 'c', env: [] }] }, metadata: { labels: { app: 'a' }, annotations: {} } };
    expect(revisionMatches(rev('r', 1, 'v1'), reordered)).toBe(true);
    expect(revisionMatches(rev('r', 1, 'v1'), tpl('v2'))).toBe(false);
  });

  it('names a revision after its owner and hash, labelled with the hash', () => {
    const owner = { metadata: { name: 'ds', namespace: 'ns', annotations: { 'kubernetes.io/change-cause': 'why' } }, spec: { template: tpl('v1') } };
    const r = newRevision(owner, { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u', controller: true }, 3);
    const hash = r.metadata.labels!['controller-revision-hash']!;
    expect(r.metadata.name).toBe(`ds-${hash}`);
    expect(r.metadata.labels!.app).toBe('a');
    expect(r.metadata.annotations).toEqual({ 'kubernetes.io/change-cause': 'why' });
    expect(r.revision).toBe(3);
    expect(newRevision(owner, r.metadata.ownerReferences![0]!, 3, 1).metadata.name).not.toBe(r.metadata.name);
  });

  it.each([
    { case: 'no history', revs: [], image: 'v1', want: { action: 'create', number: 1 } },
    { case: 'new template', revs: [rev('a', 1, 'v1')], image: 'v2', want: { action: 'create', number: 2 } },
    { case: 'unchanged', revs: [rev('a', 1, 'v1'), rev('b', 2, 'v2')], image: 'v2', want: { action: 'use', name: 'b' } },
    { case: 'rollback renumbers', revs: [rev('a', 1, 'v1'), rev('b', 2, 'v2')], image: 'v1', want: { action: 'renumber', name: 'a', to: 3 } },
  ])('plans the current revision: $case', ({ revs, image, want }) => {
    const plan = planCurrentRevision(tpl(image), revs);
    expect(plan.action).toBe(want.action);
    if (plan.action === 'create') expect(plan.number).toBe(want.number);
    if (plan.action !== 'create') expect(plan.revision.metadata?.name).toBe(want.name);
    if (plan.action === 'renumber') expect(plan.to).toBe(want.to);
  });

  it.each([
    { limit: 10, live: [], want: [] },
    { limit: 1, live: [], want: ['a', 'b'] },
    { limit: 1, live: ['a'], want: ['b'] },
    { limit: 0, live: ['c'], want: ['a', 'b'] },
  ])('prunes the oldest non-live revisions beyond limit $limit (live $live)', ({ limit, live, want }) => {
    const revs = [rev('c', 3, 'v3'), rev('a', 1, 'v1'), rev('b', 2, 'v2')];
    expect(revisionsToPrune(revs, new Set(live), limit).map((r) => r.metadata?.name)).toEqual(want);
  });
});
