// The create fast path of managedFields must own exactly what the general diff from the zero object owns.
import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { resetFields, stripBookkeeping } from '../src/apply/bookkeeping.js';
import { createdFieldsV1 } from '../src/apply/created.js';
import { encodeFieldsV1 } from '../src/apply/fieldset.js';
import { schemaFor } from '../src/apply/schema.js';
import { compare } from '../src/apply/typed.js';

const zeroOf = (obj: KObject): KObject => {
  const zero: KObject = { metadata: {} };
  for (const name of ['spec', 'status']) if (obj[name] && typeof obj[name] === 'object') zero[name] = {};
  return zero;
};

const objects: [string, string, KObject][] = [
  ['', 'Pod', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'web' }, annotations: {} },
    spec: {
      containers: [
        { name: 'web', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }], env: [{ name: 'A', value: '1' }], resources: {} },
        { name: 'side', image: 'busybox', command: ['sh', '-c', 'sleep 1'] },
      ],
      nodeSelector: { disk: 'ssd' },
      tolerations: [{ key: 'k', operator: 'Exists' }],
      volumes: [],
      securityContext: {},
    },
    status: { phase: 'Pending' },
  }],
  ['apps', 'Deployment', {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'd', finalizers: ['a', 'b'], ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u1' }] },
    spec: { replicas: 2, selector: { matchLabels: { app: 'd' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  }],
  ['', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '' }, immutable: true }],
  ['', 'Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, name: 'https' }], selector: { app: 'x' }, clusterIPs: ['127.96.0.5'] } }],
];

describe('createdFieldsV1', () => {
  it.each(objects)('owns what the diff from the zero object owns, less bookkeeping and status (%s %s)', (group, kind, obj) => {
    const schema = schemaFor(group, kind);
    const slow = compare(zeroOf(obj), obj, schema);
    const expected = stripBookkeeping(slow.added.union(slow.modified).recursiveDifference(resetFields(undefined)));
    expect(createdFieldsV1(obj, schema, undefined)).toEqual(encodeFieldsV1(expected));
  });

  it.each([['status'], ['scale']])('through /%s resets what that subresource resets', (subresource) => {
    const [, kind, obj] = objects[0]!;
    const schema = schemaFor('', kind);
    const slow = compare(zeroOf(obj), obj, schema);
    const expected = stripBookkeeping(slow.added.union(slow.modified).recursiveDifference(resetFields(subresource)));
    const fields = createdFieldsV1(obj, schema, subresource);
    expect(fields).toEqual(encodeFieldsV1(expected));
    expect(Object.keys(fields)).toContain(subresource === 'status' ? 'f:status' : 'f:spec');
  });

  it('counts a repeated list key once and leaves out identity metadata', () => {
    const pod: KObject = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'p', uid: 'u', generation: 1, labels: { a: 'b' } },
      spec: { containers: [{ name: 'c', image: 'one' }, { name: 'c', image: 'two', args: ['x'] }] },
    };
    expect(createdFieldsV1(pod, schemaFor('', 'Pod'), undefined)).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
      'f:spec': { 'f:containers': { '.': {}, 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    });
  });

  it('owns nothing of an object that only has bookkeeping', () => {
    expect(createdFieldsV1({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd' } }, schemaFor('', 'ConfigMap'), undefined)).toEqual({});
  });
});
