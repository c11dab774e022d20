import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { managerFromUserAgent, updateManagedFields } from '../src/apply/index.js';
import { T0, T1, T2, deployment, entryOf, nginxSpec, updateDeployment } from './apply-fixtures.js';

const configMap = (data: Record<string, string>, metadata: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'default', ...metadata },
  data,
});
const updateConfigMap = { group: '', kind: 'ConfigMap', apiVersion: 'v1', operation: 'Update' } as const;

/** `updated` with the managedFields an update by `manager` gives it. */
function write(old: KObject | undefined, updated: KObject, manager: string, time: string, subresource?: string): KObject {
  const managedFields = updateManagedFields({
    old,
    updated,
    manager,
    time,
    ...(subresource ? { subresource } : {}),
    ...updateDeployment,
  });
  return { ...updated, metadata: { ...updated.metadata, managedFields } };
}

describe('updateManagedFields', () => {
  it('on create gives the creator every field it set, new maps included, identity excluded', () => {
    const entries = updateManagedFields({
      old: undefined,
      updated: configMap({ k: 'v' }, { labels: { app: 'web' }, uid: 'u1', resourceVersion: '7' }),
      manager: 'kubectl-create',
      time: T0,
      ...updateConfigMap,
    });
    expect(entries).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:k': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
      },
    ]);
  });

  it('does not make the creator own spec itself, which the zero object already has', () => {
    const created = write(undefined, deployment({ replicas: 1 }), 'kubectl-create', T0);
    expect(entryOf(created, 'kubectl-create').fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });

  it('moves changed fields to the writer, and drops managers left with none', () => {
    const created = write(undefined, deployment(nginxSpec({ replicas: 1 })), 'creator', T0);
    const scaled = write(created, { ...created, spec: { ...(created.spec as object), replicas: 3 } }, 'scaler', T1);
    expect(entryOf(scaled, 'scaler').fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(entryOf(scaled, 'creator').fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
    expect(entryOf(scaled, 'creator').time).toBe(T0);

    const onlyReplicas = write(undefined, deployment({ replicas: 1 }), 'creator', T0);
    const takenOver = write(onlyReplicas, deployment({ replicas: 2 }), 'scaler', T1);
    expect(takenOver.metadata.managedFields?.map((e) => e.manager)).toEqual(['scaler']);
  });

  it('folds a later write into the writer’s entry and moves its time; a no-op changes nothing', () => {
    const created = write(undefined, deployment({ replicas: 1 }), 'editor', T0);
    const labelled = write(created, { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } }, 'editor', T1);
    expect(labelled.metadata.managedFields).toHaveLength(1);
    expect(entryOf(labelled, 'editor')).toMatchObject({
      time: T1,
      fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { 'f:replicas': {} } },
    });
    const same = write(labelled, labelled, 'someone-else', T2);
    expect(same.metadata.managedFields).toEqual(labelled.metadata.managedFields);
  });

  it('removing a field takes it from its owner', () => {
    const created = write(undefined, deployment({ replicas: 1, paused: true }), 'creator', T0);
    const unpaused = write(created, { ...created, spec: { replicas: 1 } }, 'editor', T1);
    expect(entryOf(unpaused, 'creator').fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(unpaused.metadata.managedFields).toHaveLength(1);
  });

  it('records a status write as the status subresource, ignoring status through the main resource', () => {
    const created = write(undefined, deployment({ replicas: 1 }), 'creator', T0);
    const viaMain = write(created, { ...created, status: { replicas: 1 } }, 'sneaky', T1);
    expect(viaMain.metadata.managedFields?.map((e) => e.manager)).toEqual(['creator']);
    const viaStatus = write(created, { ...created, status: { replicas: 1 } }, 'deployment-controller', T1, 'status');
    expect(entryOf(viaStatus, 'deployment-controller')).toMatchObject({
      subresource: 'status',
      fieldsV1: { 'f:status': { '.': {}, 'f:replicas': {} } },
    });
  });

  it('starts from managedFields sent in the body; a single empty entry resets them', () => {
    const created = write(undefined, deployment({ replicas: 1 }), 'creator', T0);
    const reset = write(created, { ...created, metadata: { ...created.metadata, managedFields: [{}] } }, 'editor', T1);
    expect(reset.metadata.managedFields).toEqual([]);
  });

  it('keeps at most ten Update entries, folding the oldest into ancient-changes', () => {
    let obj = write(undefined, deployment({}), 'seed', T0);
    for (let i = 0; i < 12; i++) {
      const time = new Date(Date.parse(T1) + i * 1000).toISOString().replace('.000', '');
      obj = write(obj, { ...obj, metadata: { ...obj.metadata, labels: { ...obj.metadata.labels, [`l${i}`]: 'x' } } }, `writer-${i}`, time);
    }
    const managers = obj.metadata.managedFields?.map((e) => e.manager) ?? [];
    expect(managers).toHaveLength(10);
    expect(managers[0]).toBe('ancient-changes');
    expect(Object.keys((entryOf(obj, 'ancient-changes').fieldsV1 as any)['f:metadata']['f:labels'])).toEqual(['.', 'f:l0', 'f:l1', 'f:l2']);
  });
});

describe('managerFromUserAgent', () => {
  it.each([
    ['kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07', 'kubectl'],
    ['kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:x', 'kube-controller-manager'],
    ['Go-http-client/1.1', 'Go-http-client'],
    ['curl', 'curl'],
    ['tab\there/1', 'tabhere'],
    [undefined, ''],
    ['x'.repeat(200), 'x'.repeat(128)],
  ])('%s → %s', (ua, manager) => {
    expect(managerFromUserAgent(ua)).toBe(manager);
  });
});
