// Creates of the same shape share one FieldsV1; whatever changes the owned fields changes the shape.
import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { cachedCreatedFieldsV1, sameShape } from '../src/apply/created-shape.js';
import { createdFieldsV1 } from '../src/apply/created.js';
import { schemaFor } from '../src/apply/schema.js';

const pod = (overrides: { labels?: Record<string, string>; containers?: unknown[]; extra?: Record<string, unknown> } = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `p-${Math.random()}`, namespace: 'default', uid: 'u', labels: overrides.labels ?? { app: 'web' } },
  spec: {
    containers: overrides.containers ?? [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], args: ['a', 'b'] }],
    nodeSelector: { disk: 'ssd' },
    ...overrides.extra,
  },
  status: { phase: 'Pending' },
});

const schema = schemaFor('', 'Pod');
const fieldsOf = (obj: KObject, subresource?: string) => cachedCreatedFieldsV1(obj, schema, '/Pod', subresource);

describe('cachedCreatedFieldsV1', () => {
  it('shares one frozen result among objects that differ only in values', () => {
    const a = fieldsOf(pod({ containers: [{ name: 'web', image: 'one', ports: [{ containerPort: 80 }], args: ['x'] }] }));
    const b = fieldsOf(pod({ containers: [{ name: 'web', image: 'two', ports: [{ containerPort: 80 }], args: ['y', 'z'] }] }));
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen((a['f:spec'] as Record<string, unknown>)['f:containers'])).toBe(true);
  });

  // Each variant changes what the creator owns: the cache must give each its own answer.
  const variants: [string, KObject][] = [
    ['a label key', pod({ labels: { app: 'web', tier: 'x' } })],
    ['a list key value', pod({ containers: [{ name: 'api', image: 'nginx', ports: [{ containerPort: 80 }] }] })],
    ['a port key', pod({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 81, protocol: 'UDP' }] }] })],
    ['a leaf turned map', pod({ extra: { securityContext: { runAsUser: 1 } } })],
    ['an empty map', pod({ extra: { securityContext: {} } })],
    ['a repeated list key', pod({ containers: [{ name: 'web', image: 'a' }, { name: 'web', image: 'b', args: ['x'] }] })],
    ['an atomic map with keys', pod({ extra: { nodeSelector: { disk: 'ssd', zone: 'a' } } })],
    ['an undefined field', pod({ extra: { hostname: undefined } })],
    ['a key as a number or a string', pod({ containers: [{ name: 'web', ports: [{ containerPort: '80' }, { containerPort: 80 }] }] })],
    ['a key missing', pod({ containers: [{ image: 'x' }, { name: 'web' }] })],
  ];
  it.each(variants)('equals the uncached builder (%s)', (_what, obj) => {
    expect(fieldsOf(obj)).toEqual(createdFieldsV1(obj, schema, undefined));
    expect(fieldsOf(obj, 'status')).toEqual(createdFieldsV1(obj, schema, 'status'));
  });

  const shapePairs: [string, Record<string, unknown>, Record<string, unknown>, boolean][] = [
    ['other values', { metadata: { name: 'a', labels: { x: '1' } } }, { metadata: { name: 'b', labels: { x: '2' } } }, true],
    ['other label keys', { metadata: { labels: { ab: 'x', c: 'y' } } }, { metadata: { labels: { a: 'x', bc: 'y' } } }, false],
    ['a field more', { spec: { hostname: 'h' } }, { spec: { hostname: 'h', subdomain: 's' } }, false],
    ['an undefined field less', { spec: { hostname: 'h', subdomain: undefined } }, { spec: { hostname: 'h' } }, true],
    ['an atomic list of another length', { spec: { containers: [{ name: 'c', args: ['a'] }] } }, { spec: { containers: [{ name: 'c', args: ['a', 'b'] }] } }, true],
    ['keyed items in another order', { spec: { containers: [{ name: 'a' }, { name: 'b' }] } }, { spec: { containers: [{ name: 'b' }, { name: 'a' }] } }, false],
    ['a port protocol spelled out as its default', { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } }, { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } }, false],
    ['a leaf and a map', { spec: { securityContext: 'x' } }, { spec: { securityContext: {} } }, false],
    ['an atomic map with other keys', { spec: { nodeSelector: { a: '1' } } }, { spec: { nodeSelector: { b: '1' } } }, true],
    ['status, which a create resets', { status: { phase: 'A' } }, { status: { phase: 'A', reason: 'B' } }, true],
  ];
  it.each(shapePairs)('compares shapes: %s', (_what, a, b, same) => {
    expect(sameShape(a, b, schema, 'status')).toBe(same);
    expect(sameShape(b, a, schema, 'status')).toBe(same);
    if (same) expect(createdFieldsV1(a, schema, undefined)).toEqual(createdFieldsV1(b, schema, undefined));
  });

  it('keeps kinds apart', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } as KObject;
    const asConfigMap = cachedCreatedFieldsV1(cm, schemaFor('', 'ConfigMap'), '/ConfigMap', undefined);
    expect(cachedCreatedFieldsV1(cm, schema, '/Pod', undefined)).not.toBe(asConfigMap);
  });

  it('does not change when the object it was computed from changes', () => {
    const obj = pod({ labels: { only: 'here' } });
    const before = structuredClone(fieldsOf(obj));
    (obj.metadata.labels as Record<string, string>).more = 'x';
    expect(fieldsOf(pod({ labels: { only: 'here' } }))).toEqual(before);
    expect(fieldsOf(obj)).toEqual(createdFieldsV1(obj, schema, undefined));
  });

  it('gives the objects a controller creates (with owner references) their own owners, the rest shared', () => {
    const owned = (uid: string, metadata: Record<string, unknown> = {}): KObject => {
      const obj = pod();
      Object.assign(obj.metadata, metadata, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid, controller: true, blockOwnerDeletion: true }] });
      return obj;
    };
    const objects = [owned('u1'), owned('u2'), owned('u3', { annotations: { a: 'b' } }), owned('u4', { labels: undefined, annotations: undefined })];
    for (const obj of objects) {
      // The same fields in the same order as without the cache (FieldsV1 is stored as written).
      expect(JSON.stringify(fieldsOf(obj))).toBe(JSON.stringify(createdFieldsV1(obj, schema, undefined)));
      const fields = fieldsOf(obj);
      expect(Object.isFrozen(fields)).toBe(true);
      expect(Object.isFrozen((fields['f:metadata'] as Record<string, unknown>)['f:ownerReferences'])).toBe(true);
    }
    expect(JSON.stringify(fieldsOf(objects[0]!))).toContain('k:{\\"uid\\":\\"u1\\"}');
    expect(fieldsOf(objects[1]!)['f:spec']).toBe(fieldsOf(objects[0]!)['f:spec']);
  });

  it('keeps what a subresource resets apart', () => {
    const obj = pod();
    expect(fieldsOf(obj, 'status')).not.toEqual(fieldsOf(obj));
    expect(Object.keys(fieldsOf(obj, 'status'))).toContain('f:status');
    expect(Object.keys(fieldsOf(obj))).not.toContain('f:status');
  });
});
