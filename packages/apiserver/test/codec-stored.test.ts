// The stored text of an object: apiVersion, kind and metadata first, managedFields last in
// metadata, and where they lie in it — kept exact through the resourceVersion filled in on read.
import { findResource, type KObject } from '@mini-kube/api';
import { describe, expect, it } from 'vitest';
import { encodeStored, knownJsonWithoutManagedFields, rememberJson, withResourceVersion } from '../src/registry/codec.js';

const PODS = findResource('', 'v1', 'pods')!;
const MANAGED = [{ manager: 'm', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:x': {} } } }];

const pod = (metadata: Record<string, unknown>): KObject => ({
  metadata: metadata as KObject['metadata'],
  spec: { containers: [{ name: 'c', image: 'i' }] },
  status: { phase: 'Pending' },
});

const kvOf = (text: string, modRevision = 7) => ({ key: '/pods/default/p', value: text, createRevision: 1, modRevision, version: 1 });

describe('encodeStored', () => {
  it('writes managedFields last in metadata, and says where they are', () => {
    const obj = pod({ managedFields: MANAGED, name: 'p', namespace: 'default', labels: { a: 'b' }, resourceVersion: '3' });
    const { text, managedFields } = encodeStored(PODS, obj);
    expect(Object.keys(JSON.parse(text).metadata)).toEqual(['name', 'namespace', 'labels', 'managedFields']);
    expect(JSON.parse(text)).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { a: 'b' }, managedFields: MANAGED }, spec: obj.spec, status: obj.status });
    expect(text.slice(...managedFields!)).toBe(`,"managedFields":${JSON.stringify(MANAGED)}`);
    const cut = JSON.parse(text.slice(0, managedFields![0]) + text.slice(managedFields![1]));
    expect(cut.metadata).toEqual({ name: 'p', namespace: 'default', labels: { a: 'b' } });
  });

  it('has no range without managedFields, or when they are all of metadata', () => {
    expect(encodeStored(PODS, pod({ name: 'p' })).managedFields).toBeUndefined();
    const alone = encodeStored(PODS, pod({ managedFields: MANAGED }));
    expect(alone.managedFields).toBeUndefined();
    expect(JSON.parse(alone.text).metadata).toEqual({ managedFields: MANAGED });
    expect(JSON.parse(encodeStored(PODS, { metadata: {} }).text)).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: {} });
  });
});

describe('withResourceVersion', () => {
  it('moves the range past the resourceVersion it fills in', () => {
    const stored = encodeStored(PODS, pod({ name: 'p', managedFields: MANAGED }));
    const { json, managedFields } = withResourceVersion(PODS, kvOf(stored.text, 42), stored.managedFields);
    expect(JSON.parse(json).metadata.resourceVersion).toBe('42');
    expect(json.slice(...managedFields!)).toBe(`,"managedFields":${JSON.stringify(MANAGED)}`);
    const obj = {};
    rememberJson(obj, json, managedFields);
    expect(JSON.parse(knownJsonWithoutManagedFields(obj)!).metadata).toEqual({ resourceVersion: '42', name: 'p' });
  });

  it('gives no range for text it had to decode, nor for an object recorded without one', () => {
    expect(withResourceVersion(PODS, kvOf('{"metadata":{"name":"p"},"kind":"Pod"}'), [10, 20]).managedFields).toBeUndefined();
    const obj = {};
    rememberJson(obj, '{"metadata":{}}');
    expect(knownJsonWithoutManagedFields(obj)).toBeUndefined();
  });
});
