import type { Pod } from '@mini-kube/api';
import { describe, expect, it } from 'vitest';
import { podUpdateMatters } from '../src/pod-state.js';
import { makePod } from './fixtures.js';

const base = makePod('p', { cpu: '1' });
const withMeta = (metadata: Pod['metadata']): Pod => ({ ...base, metadata: { ...base.metadata, ...metadata } });

describe('podUpdateMatters', () => {
  it.each([
    { name: 'nothing changed', pod: base, want: false },
    { name: 'status only (the scheduler’s own PodScheduled=False patch)', pod: { ...base, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } }, want: false },
    { name: 'resourceVersion and managedFields', pod: withMeta({ resourceVersion: '42', managedFields: [{ manager: 'x' }] }), want: false },
    { name: 'finalizers', pod: withMeta({ finalizers: ['example.com/f'] }), want: false },
    { name: 'labels', pod: withMeta({ labels: { app: 'web' } }), want: true },
    { name: 'owner references', pod: withMeta({ ownerReferences: [] }), want: true },
    { name: 'a toleration added', pod: { ...base, spec: { ...base.spec!, tolerations: [{ key: 'k', operator: 'Exists' }] } }, want: true },
    { name: 'scheduling gates removed', pod: { ...base, spec: { ...base.spec!, schedulingGates: [] } }, want: true },
  ] satisfies { name: string; pod: Pod; want: boolean }[])('$name → $want', ({ pod, want }) => {
    expect(podUpdateMatters(base, pod)).toBe(want);
  });
});
