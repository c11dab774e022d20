// The update steps of prepare.ts without their former general-purpose helpers: sameJson must agree
// with util.isDeepStrictEqual on JSON values, and a /status merge must equal the stored object with
// the new status (field order included) while sharing nothing later steps could change.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findResource, type KObject } from '@mini-kube/api';
import { copyJson, isNoopUpdate, mergeForUpdate, sameJson, updateErrors, updateGeneration } from '../src/registry/prepare.js';
import { strategyFor } from '../src/strategies/index.js';

const pods = findResource('', 'v1', 'pods')!;

describe('sameJson', () => {
  const cases: [string, unknown, unknown][] = [
    ['equal scalars', 'a', 'a'],
    ['different scalars', 1, '1'],
    ['0 and -0 (as Object.is)', 0, -0],
    ['null and undefined', null, undefined],
    ['null and an object', null, {}],
    ['key order does not matter', { a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }],
    ['a field set to undefined is not an absent one', { a: 1, b: undefined }, { a: 1 }],
    ['undefined on both sides under different names', { a: undefined }, { b: undefined }],
    ['undefined on both sides under the same name', { a: undefined }, { a: undefined }],
    ['an array is not an object', [], {}],
    ['array lengths', [1, 2], [1, 2, undefined]],
    ['nested difference', { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] } }, { spec: { containers: [{ name: 'a', ports: [{ containerPort: 81 }] }] } }],
    ['empty things', { a: {}, b: [] }, { a: {}, b: [] }],
  ];
  it.each(cases)('agrees with util.isDeepStrictEqual: %s', (_what, a, b) => {
    expect(sameJson(a, b)).toBe(isDeepStrictEqual(a, b));
    expect(sameJson(b, a)).toBe(isDeepStrictEqual(b, a));
  });
});

describe('copyJson', () => {
  it('gives what parsing the text again gives: same fields, order, values, and plain fields named __proto__', () => {
    const text = '{"b":1,"a":[{"z":null,"y":-0}],"2":"two","1":"one","__proto__":{"polluted":true},"m":{"__proto__":[1]}}';
    const parsed = JSON.parse(text);
    const copied = copyJson(parsed);
    expect(JSON.stringify(copied)).toBe(JSON.stringify(JSON.parse(text)));
    expect(Object.keys(copied)).toEqual(Object.keys(JSON.parse(text)));
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(Object.is(copied.a[0].y, -0)).toBe(true);
    expect(copied.a).not.toBe(parsed.a);
    expect(sameJson(copied, JSON.parse(text))).toBe(true);
  });
});

function storedPod(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'default',
      uid: 'u',
      labels: { app: 'web' },
      managedFields: [{ manager: 'm', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:x': {} } } }],
      resourceVersion: '7',
    },
    spec: { containers: [{ name: 'web', image: 'nginx' }], nodeName: 'n1' },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
  };
}

describe('mergeForUpdate through /status', () => {
  it('is the stored object with the new status and metadata, in the stored field order, as a copy', () => {
    const old = storedPod();
    const before = structuredClone(old);
    const incoming = { ...storedPod(), spec: { containers: [] }, metadata: { ...storedPod().metadata, labels: { app: 'other' } }, status: { phase: 'Running' } };
    const merged = mergeForUpdate(pods, old, incoming, 'status');
    const expected = { ...structuredClone(old), metadata: { ...structuredClone(old).metadata, labels: { app: 'other' } }, status: { phase: 'Running' } };
    expect(JSON.stringify(merged)).toBe(JSON.stringify(expected));
    // Everything later steps may change is the merge's own; managedFields, which they only replace, is shared.
    (merged.spec as any).containers[0].image = 'changed';
    (merged.metadata.ownerReferences as any) = undefined;
    delete merged.metadata.resourceVersion;
    expect(old).toEqual(before);
    expect(merged.metadata.managedFields).toBe(old.metadata.managedFields);
  });

  it('drops the status when the write has none, and appends one the stored object lacked', () => {
    const old = storedPod();
    expect(mergeForUpdate(pods, old, { metadata: {} } as KObject, 'status')).not.toHaveProperty('status');
    const { status: _status, ...withoutStatus } = storedPod();
    const merged = mergeForUpdate(pods, withoutStatus as KObject, { metadata: {}, status: { phase: 'Running' } } as KObject, 'status');
    expect(Object.keys(merged)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  });

  // What each kind's status strategy lets a /status write change in metadata (upstream's PrepareForUpdate).
  const OWNER = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-1', controller: true }];
  const STORED_META = {
    name: 'x', namespace: 'default', uid: 'u', creationTimestamp: '2026-01-01T00:00:00Z', generation: 2,
    labels: { app: 'web' }, annotations: { a: '1' }, ownerReferences: OWNER, finalizers: ['f'], resourceVersion: '7',
  };
  const WRITTEN_META = {
    name: 'x', namespace: 'default', uid: 'forged', creationTimestamp: '2000-01-01T00:00:00Z', generation: 9,
    deletionTimestamp: '2026-02-02T00:00:00Z', labels: { app: 'new' }, annotations: { b: '2' }, ownerReferences: [], resourceVersion: '7',
  };
  const cases: [string, string, string, Record<string, unknown>][] = [
    ['Pod: all but ownerReferences', '', 'pods', { labels: { app: 'new' }, annotations: { b: '2' }, ownerReferences: OWNER }],
    ['Deployment: all but labels', 'apps', 'deployments', { labels: { app: 'web' }, annotations: { b: '2' }, ownerReferences: [] }],
    ['ReplicaSet: all', 'apps', 'replicasets', { labels: { app: 'new' }, annotations: { b: '2' }, ownerReferences: [] }],
    ['Node: all', '', 'nodes', { labels: { app: 'new' }, annotations: { b: '2' }, ownerReferences: [] }],
  ];
  it.each(cases)('%s, never identity, and no finalizer the write left out', (_what, group, plural, kept) => {
    const r = findResource(group, 'v1', plural)!;
    const old = { metadata: structuredClone(STORED_META), spec: { replicas: 1 }, status: { replicas: 0 } } as KObject;
    const merged = mergeForUpdate(r, old, { metadata: structuredClone(WRITTEN_META), spec: { replicas: 5 }, status: { replicas: 1 } } as KObject, 'status');
    const { name, namespace, uid, creationTimestamp, generation } = STORED_META;
    expect(merged.metadata).toEqual({ name, namespace, uid, creationTimestamp, generation, resourceVersion: '7', ...kept });
    expect(merged.spec).toEqual({ replicas: 1 });
    expect(merged.status).toEqual({ replicas: 1 });
    // What comes from the stored object is copied, never shared.
    if (Array.isArray(kept.ownerReferences) && kept.ownerReferences.length) expect(merged.metadata.ownerReferences).not.toBe(old.metadata.ownerReferences);
    if ((kept.labels as Record<string, string>).app === 'web') expect(merged.metadata.labels).not.toBe(old.metadata.labels);
  });

  it('keeps a deletionTimestamp and grace period being set', () => {
    const old = storedPod();
    Object.assign(old.metadata, { deletionTimestamp: '2026-03-03T00:00:00Z', deletionGracePeriodSeconds: 30 });
    const merged = mergeForUpdate(pods, old, { metadata: { name: 'p' }, status: {} } as KObject, 'status');
    expect(merged.metadata).toMatchObject({ deletionTimestamp: '2026-03-03T00:00:00Z', deletionGracePeriodSeconds: 30 });
  });
});

describe('updateErrors', () => {
  const deployments = findResource('apps', 'v1', 'deployments')!;
  const stored = (): KObject => ({ metadata: { name: 'd', namespace: 'default', uid: 'u', annotations: { 'bad key!': 'kept from before' } }, spec: {}, status: {} }) as KObject;

  it('validates the metadata of a /status write only when it changed', () => {
    const old = stored();
    expect(updateErrors(strategyFor(deployments), { ...stored(), status: { replicas: 1 } }, old, 'status')).toEqual([]);
    const relabelled = { ...stored(), metadata: { ...stored().metadata, labels: { 'bad label!': 'x' } } };
    expect(updateErrors(strategyFor(deployments), relabelled, old, 'status').map((e) => e.field)).toEqual(['metadata.labels', 'metadata.annotations']);
  });

  it('validates all of a main-resource write, and nothing of a server-internal subresource', () => {
    const old = stored();
    expect(updateErrors(strategyFor(deployments), stored(), old, undefined).length).toBeGreaterThan(0);
    expect(updateErrors(strategyFor(pods), { ...storedPod(), metadata: { name: 'BAD' } }, storedPod(), 'binding')).toEqual([]);
  });
});

describe('isNoopUpdate and updateGeneration', () => {
  it('ignore resourceVersion and managedFields, and nothing else', () => {
    const old = storedPod();
    const next = { ...storedPod(), metadata: { ...storedPod().metadata, resourceVersion: '9', managedFields: [] } };
    expect(isNoopUpdate(next, old)).toBe(true);
    expect(isNoopUpdate({ ...next, metadata: { ...next.metadata, labels: { app: 'x' } } }, old)).toBe(false);
    expect(isNoopUpdate({ ...next, status: { phase: 'Running' } }, old)).toBe(false);
    expect(isNoopUpdate({ ...next, extra: undefined } as KObject, old)).toBe(false); // as util.isDeepStrictEqual
  });

  it('bumps generation on a change of anything but metadata and status', () => {
    const old = { ...storedPod(), metadata: { ...storedPod().metadata, generation: 3 } };
    const statusOnly = { ...structuredClone(old), status: { phase: 'Running' } };
    updateGeneration(statusOnly, old);
    expect(statusOnly.metadata.generation).toBe(3);
    const specChanged = { ...structuredClone(old), spec: { containers: [] } };
    updateGeneration(specChanged, old);
    expect(specChanged.metadata.generation).toBe(4);
  });
});
