// scanPods must decide exactly as planClaimsFrom over the active pods plus countPods over the
// owned ones, whatever it has memoized from earlier scans.
import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { selectorFromLabelSelector } from '@mini-kube/machinery';
import { planClaimsFrom } from '../src/replicaset/claim.js';
import { countPods } from '../src/replicaset/plan.js';
import { isPodActive } from '../src/replicaset/pods.js';
import { scanPods } from '../src/replicaset/pod-scan.js';
import type { PodObject } from '../src/replicaset/types.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const UID = 'rs-uid';

function replicaSet(opts: { selector?: Record<string, string>; template?: Record<string, string>; minReadySeconds?: number; deleting?: boolean } = {}): ReplicaSet {
  return {
    metadata: { name: 'web', namespace: 'default', uid: UID, ...(opts.deleting ? { deletionTimestamp: '2024-05-01T11:00:00Z' } : {}) },
    spec: {
      replicas: 3,
      minReadySeconds: opts.minReadySeconds ?? 0,
      selector: { matchLabels: opts.selector ?? { app: 'web' } },
      template: { metadata: { labels: opts.template ?? { app: 'web', tier: 'front' } } },
    },
  };
}

interface PodOpts {
  labels?: Record<string, string>;
  owner?: string;
  namespace?: string;
  phase?: string;
  ready?: 'True' | 'False';
  readyAt?: number | null;
  deleting?: boolean;
}

function pod(name: string, o: PodOpts = {}): PodObject {
  const ownerReferences = o.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: o.owner, controller: true }] : undefined;
  const conditions = o.ready ? [{ type: 'Ready', status: o.ready, ...(o.readyAt === null ? {} : { lastTransitionTime: new Date(o.readyAt ?? NOW - 60_000).toISOString() }) }] : undefined;
  return {
    metadata: { name, namespace: o.namespace ?? 'default', labels: o.labels ?? { app: 'web', tier: 'front' }, ownerReferences, ...(o.deleting ? { deletionTimestamp: '2024-05-01T11:59:00Z' } : {}) },
    status: { phase: o.phase ?? 'Running', conditions },
  } as PodObject;
}

const PODS: PodObject[] = [
  pod('owned-ready', { owner: UID, ready: 'True' }),
  pod('owned-recently-ready', { owner: UID, ready: 'True', readyAt: NOW - 5_000 }),
  pod('owned-ready-no-time', { owner: UID, ready: 'True', readyAt: null }),
  pod('owned-not-ready', { owner: UID, ready: 'False' }),
  pod('owned-pending', { owner: UID, phase: 'Pending' }),
  pod('owned-partly-labeled', { owner: UID, labels: { app: 'web' }, ready: 'True' }),
  pod('owned-succeeded', { owner: UID, phase: 'Succeeded' }),
  pod('owned-terminating', { owner: UID, ready: 'True', deleting: true }),
  pod('owned-moved-away', { owner: UID, labels: { app: 'db' } }),
  pod('someone-elses', { owner: 'other', ready: 'True' }),
  pod('orphan', { ready: 'True' }),
  pod('orphan-other-labels', { labels: { app: 'db' } }),
  pod('orphan-other-namespace', { namespace: 'kube-system' }),
  pod('orphan-failed', { phase: 'Failed' }),
];

const names = (pods: readonly PodObject[]) => pods.map((p) => p.metadata.name);

/** What the plain functions decide, for comparison. */
function reference(rs: ReplicaSet, lists: PodObject[][]) {
  const selector = selectorFromLabelSelector(rs.spec!.selector);
  const plan = planClaimsFrom(rs as ReplicaSet & PodObject, selector, lists.map((l) => l.filter(isPodActive)));
  return { owned: names(plan.owned), adopt: names(plan.adopt), release: names(plan.release), counts: countPods(rs, plan.owned, NOW) };
}

function scanned(rs: ReplicaSet, lists: PodObject[][]) {
  const { plan, counts } = scanPods(rs, selectorFromLabelSelector(rs.spec!.selector), lists, NOW);
  return { owned: names(plan.owned), adopt: names(plan.adopt), release: names(plan.release), counts };
}

describe('scanPods', () => {
  it.each([
    ['a plain ReplicaSet', replicaSet()],
    ['minReadySeconds', replicaSet({ minReadySeconds: 10 })],
    ['a two-label selector', replicaSet({ selector: { app: 'web', tier: 'front' } })],
    ['a template with fewer labels', replicaSet({ template: { app: 'web' } })],
    ['an owner being deleted', replicaSet({ deleting: true })],
  ])('decides and counts as planClaimsFrom and countPods for %s', (_name, rs) => {
    const lists = [PODS.filter((p) => p.metadata.ownerReferences), PODS.filter((p) => !p.metadata.ownerReferences)];
    const expected = reference(rs, lists);
    expect(scanned(rs, lists)).toEqual(expected);
    expect(scanned(rs, lists)).toEqual(expected); // again, from the memo
  });

  it('gives the expected numbers for the shared pods', () => {
    const rs = replicaSet({ minReadySeconds: 10 });
    const result = scanned(rs, [PODS]);
    expect(result.owned).toEqual(['owned-ready', 'owned-recently-ready', 'owned-ready-no-time', 'owned-not-ready', 'owned-pending', 'owned-partly-labeled']);
    expect(result.adopt).toEqual(['orphan']);
    expect(result.release).toEqual(['owned-moved-away']);
    expect(result.counts).toEqual({ replicas: 6, fullyLabeled: 5, ready: 4, available: 2 });
  });

  it('answers for the selector and template asked, whatever it memoized for others', () => {
    const lists = [PODS];
    for (const rs of [replicaSet(), replicaSet({ template: { app: 'web' } }), replicaSet({ selector: { app: 'db' } }), replicaSet({ template: { tier: 'back' } }), replicaSet()]) {
      expect(scanned(rs, lists)).toEqual(reference(rs, lists));
    }
  });

  it('keeps "everything" and "nothing" apart', () => {
    const lists = [PODS];
    const everything = { ...replicaSet(), spec: { ...replicaSet().spec!, selector: {} } };
    const nothing = { ...replicaSet(), spec: { ...replicaSet().spec!, selector: undefined } } as unknown as ReplicaSet;
    const all = scanPods(everything, selectorFromLabelSelector({}), lists, NOW);
    const none = scanPods(nothing, selectorFromLabelSelector(undefined), lists, NOW);
    expect(all.plan.owned.length).toBeGreaterThan(0);
    expect(none.plan.owned).toEqual([]);
    expect(scanPods(everything, selectorFromLabelSelector({}), lists, NOW).plan.owned.length).toBe(all.plan.owned.length);
  });

  it('reads a replaced pod object afresh', () => {
    const rs = replicaSet();
    const before = pod('p', { owner: UID, ready: 'False' });
    expect(scanned(rs, [[before]]).counts).toMatchObject({ ready: 0 });
    const after = pod('p', { owner: UID, ready: 'True' });
    expect(scanned(rs, [[after]]).counts).toMatchObject({ ready: 1, available: 1 });
  });
});
