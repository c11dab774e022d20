// StatefulSet planning: ordered creation and deletion, Parallel, rolling update with partition,
// claims and their retention owner references, status.
import type { PersistentVolumeClaim, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import type { ClaimObject, StatefulSetObject } from '../src/statefulset/identity.js';
import { planStatefulSet, type StatefulAction, type StatefulSetSnapshot } from '../src/statefulset/plan.js';
import { claimOwnerReferences } from '../src/statefulset/retention.js';
import { finalStatus } from '../src/statefulset/status.js';
import type { PodObject } from '../src/replicaset/types.js';

const NOW = Date.parse('2024-01-01T00:10:00Z');
const tpl = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

function sts(replicas: number, opts: { parallel?: boolean; partition?: number; onDelete?: boolean; retention?: [string, string] } = {}): StatefulSetObject {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'set-uid', generation: 1 },
    spec: {
      replicas,
      serviceName: 'web-svc',
      podManagementPolicy: opts.parallel ? 'Parallel' : 'OrderedReady',
      selector: { matchLabels: { app: 'web' } },
      updateStrategy: opts.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { partition: opts.partition ?? 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: opts.retention?.[0] ?? 'Retain', whenScaled: opts.retention?.[1] ?? 'Retain' },
      template: tpl('v2'),
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }],
    },
  };
}

function pod(ordinal: number, revision = 'rev-2', state: 'ready' | 'pending' | 'failed' | 'terminating' = 'ready'): PodObject {
  const name = `web-${ordinal}`;
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: { app: 'web', 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(ordinal) },
      ...(state === 'terminating' ? { deletionTimestamp: '2024-01-01T00:09:00Z' } : {}),
    },
    spec: { containers: [] },
    status: {
      phase: state === 'pending' ? 'Pending' : state === 'failed' ? 'Failed' : 'Running',
      conditions: [{ type: 'Ready', status: state === 'ready' ? 'True' : 'False', lastTransitionTime: '2024-01-01T00:00:00Z' }],
    },
  };
}

const claim = (name: string): ClaimObject => ({ metadata: { name, namespace: 'default' }, spec: {} });

function snapshot(set: StatefulSetObject, pods: PodObject[], claims: string[] = []): StatefulSetSnapshot {
  const byName = new Map(claims.map((c) => [c, claim(c)]));
  return { set, current: { name: 'rev-1', template: tpl('v1') }, update: { name: 'rev-2', template: tpl('v2') }, pods, claim: (n) => byName.get(n), now: NOW };
}

const describeActions = (phases: StatefulAction[][][]): string[] =>
  phases.flat(2).map((a) => {
    if (a.type === 'updateClaim') return `updateClaim ${a.claim.metadata.name}`;
    if (a.type === 'deletePod') return `delete ${a.pod.metadata.name} (${a.reason})`;
    const claims = 'claims' in a && a.claims.length ? ` +${a.claims.map((c) => c.metadata.name).join(',')}` : '';
    return `${a.type} ${a.pod.metadata.name}${claims}`;
  });

describe('planStatefulSet', () => {
  it.each([
    { case: 'creates -0 first, with its claim', set: sts(3), pods: [], want: ['createPod web-0 +data-web-0'] },
    { case: 'waits for -0 to be ready', set: sts(3), pods: [pod(0, 'rev-2', 'pending')], claims: ['data-web-0'], want: [] },
    { case: 'then creates -1', set: sts(3), pods: [pod(0)], claims: ['data-web-0'], want: ['createPod web-1 +data-web-1'] },
    { case: 'Parallel creates all at once', set: sts(3, { parallel: true }), pods: [], want: ['createPod web-0 +data-web-0', 'createPod web-1 +data-web-1', 'createPod web-2 +data-web-2'] },
    { case: 'scale down removes the highest ordinal first', set: sts(1), pods: [pod(0), pod(1), pod(2)], want: ['delete web-2 (scaleDown)'] },
    { case: 'scale down waits for a terminating pod', set: sts(1), pods: [pod(0), pod(1), pod(2, 'rev-2', 'terminating')], want: [] },
    { case: 'Parallel scale down removes all extra pods', set: sts(1, { parallel: true }), pods: [pod(0), pod(1), pod(2)], want: ['delete web-2 (scaleDown)', 'delete web-1 (scaleDown)'] },
    { case: 'recreates a failed pod', set: sts(1), pods: [pod(0, 'rev-2', 'failed')], claims: ['data-web-0'], want: ['delete web-0 (failed)', 'createPod web-0'] },
    { case: 'rolling update deletes the highest old pod', set: sts(3), pods: [pod(0, 'rev-1'), pod(1, 'rev-1'), pod(2, 'rev-1')], want: ['delete web-2 (update)'] },
    { case: 'rolling update waits for an unhealthy updated pod', set: sts(3), pods: [pod(0, 'rev-1'), pod(1, 'rev-1'), pod(2, 'rev-2', 'terminating')], want: [] },
    { case: 'partition keeps low ordinals', set: sts(3, { partition: 2 }), pods: [pod(0, 'rev-1'), pod(1, 'rev-1'), pod(2)], want: [] },
    { case: 'OnDelete never deletes for an update', set: sts(2, { onDelete: true }), pods: [pod(0, 'rev-1'), pod(1, 'rev-1')], want: [] },
  ])('$case', ({ set, pods, claims, want }) => {
    expect(describeActions(planStatefulSet(snapshot(set, pods, claims)).phases)).toEqual(want);
  });

  it('gives new pods their identity, storage and revision; below the partition the current revision', () => {
    const plan = planStatefulSet(snapshot(sts(3, { partition: 1, parallel: true }), []));
    const created = plan.phases.flat(2).filter((a) => a.type === 'createPod').map((a) => a.pod);
    expect(created.map((p) => p.metadata.labels!['controller-revision-hash'])).toEqual(['rev-1', 'rev-2', 'rev-2']);
    expect(created.map((p) => p.spec!.containers[0]!.image)).toEqual(['v1', 'v2', 'v2']);
    const p1 = created[1]!;
    expect(p1.metadata.name).toBe('web-1');
    expect(p1.spec!.hostname).toBe('web-1');
    expect(p1.spec!.subdomain).toBe('web-svc');
    expect(p1.metadata.labels!['statefulset.kubernetes.io/pod-name']).toBe('web-1');
    expect(p1.metadata.labels!['apps.kubernetes.io/pod-index']).toBe('1');
    expect(p1.spec!.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } }]);
    expect(p1.metadata.ownerReferences![0]).toMatchObject({ kind: 'StatefulSet', name: 'web', controller: true });
  });

  it('counts status and completes a finished rolling update', () => {
    const set = sts(2);
    const plan = planStatefulSet(snapshot(set, [pod(0), pod(1, 'rev-2', 'pending')], ['data-web-0', 'data-web-1']));
    expect(plan.status).toMatchObject({ replicas: 2, readyReplicas: 1, updatedReplicas: 2, currentReplicas: 0, currentRevision: 'rev-1', updateRevision: 'rev-2' });
    const done = planStatefulSet(snapshot(set, [pod(0), pod(1)], ['data-web-0', 'data-web-1']));
    expect(finalStatus(set, done.status, 0)).toMatchObject({ replicas: 2, readyReplicas: 2, currentReplicas: 2, currentRevision: 'rev-2', observedGeneration: 1 });
  });

  it('gives the claims of scaled-down pods to their pods under whenScaled=Delete', () => {
    const set = sts(1, { retention: ['Retain', 'Delete'] });
    const actions = describeActions(planStatefulSet(snapshot(set, [pod(0), pod(1)], ['data-web-0', 'data-web-1'])).phases);
    expect(actions).toEqual(['updateClaim data-web-1', 'delete web-1 (scaleDown)']);
  });
});

describe('claimOwnerReferences', () => {
  const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid' };
  const podRef = { apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: 'uid-web-1' };
  const withRefs = (refs: object[]): PersistentVolumeClaim => ({ metadata: { name: 'data-web-1', ownerReferences: refs as never } });
  it.each([
    { policy: ['Retain', 'Retain'], scaledDown: false, refs: [setRef], want: [] },
    { policy: ['Delete', 'Retain'], scaledDown: false, refs: [], want: [setRef] },
    { policy: ['Retain', 'Delete'], scaledDown: true, refs: [], want: [podRef] },
    { policy: ['Retain', 'Delete'], scaledDown: false, refs: [], want: undefined },
    { policy: ['Delete', 'Delete'], scaledDown: true, refs: [setRef], want: [podRef] },
    { policy: ['Delete', 'Delete'], scaledDown: false, refs: [setRef], want: undefined },
    { policy: ['Delete', 'Retain'], scaledDown: false, refs: [{ ...setRef, uid: 'older-set' }], want: undefined },
  ])('whenDeleted/whenScaled $policy, scaled down $scaledDown', ({ policy, scaledDown, refs, want }) => {
    const set = sts(1, { retention: policy as [string, string] });
    expect(claimOwnerReferences(withRefs(refs), set, pod(1) as Pod, scaledDown)).toEqual(want);
  });
});
