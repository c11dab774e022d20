import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { compareForDeletion, podsToDelete } from '../src/replicaset/rank.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

interface Spec {
  node?: string;
  phase?: string;
  readyFor?: number;
  cost?: number;
  restarts?: number;
  age?: number;
  uid?: string;
}

function pod(s: Spec): Pod {
  return {
    metadata: {
      name: 'p',
      uid: s.uid ?? 'u',
      creationTimestamp: s.age === undefined ? undefined : ago(s.age),
      annotations: s.cost === undefined ? undefined : { 'controller.kubernetes.io/pod-deletion-cost': String(s.cost) },
    },
    spec: { nodeName: s.node, containers: [] },
    status: {
      phase: s.phase ?? 'Running',
      conditions: s.readyFor === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(s.readyFor) }],
      containerStatuses: [{ name: 'c', restartCount: s.restarts ?? 0, ready: true, image: '', imageID: '' }],
    },
  };
}

describe('compareForDeletion', () => {
  it.each<[string, Spec, Spec]>([
    ['unscheduled before scheduled', { phase: 'Pending' }, { node: 'n1', phase: 'Pending' }],
    ['pending before unknown', { node: 'n1', phase: 'Pending' }, { node: 'n1', phase: 'Unknown' }],
    ['unknown before running', { node: 'n1', phase: 'Unknown' }, { node: 'n1', phase: 'Running' }],
    ['not ready before ready', { node: 'n1' }, { node: 'n1', readyFor: 1000 }],
    ['lower deletion cost first', { node: 'n1', readyFor: 1000, cost: -5 }, { node: 'n1', readyFor: 1000, cost: 10 }],
    ['ready for less time first (other log2 bucket)', { node: 'n1', readyFor: 1_000 }, { node: 'n1', readyFor: 3_600_000 }],
    ['more restarts first', { node: 'n1', readyFor: 1000, restarts: 5 }, { node: 'n1', readyFor: 1000, restarts: 1 }],
    ['newer first', { node: 'n1', readyFor: 1000, age: 60_000 }, { node: 'n1', readyFor: 1000, age: 86_400_000 }],
    ['no creation time first', { node: 'n1', readyFor: 1000 }, { node: 'n1', readyFor: 1000, age: 60_000 }],
  ])('%s', (_name, first, second) => {
    const a = { pod: pod(first), rank: 0 };
    const b = { pod: pod(second), rank: 0 };
    expect(compareForDeletion(a, b, NOW)).toBeLessThan(0);
    expect(compareForDeletion(b, a, NOW)).toBeGreaterThan(0);
  });

  it('ties ages in one log2 bucket and breaks the tie by uid', () => {
    const a = { pod: pod({ node: 'n1', readyFor: 1000, age: 40_000, uid: 'b' }), rank: 0 };
    const b = { pod: pod({ node: 'n1', readyFor: 1000, age: 41_000, uid: 'a' }), rank: 0 };
    expect(compareForDeletion(b, a, NOW)).toBeLessThan(0);
  });
});

describe('podsToDelete', () => {
  it('prefers pods on crowded nodes among otherwise equal ones', () => {
    const onBusy = { ...pod({ node: 'busy', readyFor: 5000, age: 5000 }), metadata: { name: 'busy-1', uid: '1' } };
    const onQuiet = { ...pod({ node: 'quiet', readyFor: 5000, age: 5000 }), metadata: { name: 'quiet-1', uid: '2' } };
    const related = [onBusy, onQuiet, pod({ node: 'busy' }), pod({ node: 'busy' })];
    expect(podsToDelete([onQuiet, onBusy], related, 1, NOW).map((p) => p.metadata?.name)).toEqual(['busy-1']);
  });

  it('returns everything when asked for as many as there are', () => {
    const pods = [pod({}), pod({})];
    expect(podsToDelete(pods, [], 5, NOW)).toHaveLength(2);
  });
});
