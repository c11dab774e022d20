// The create fast path of managedFields must own exactly what the general diff from the zero object owns.
import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { encodeFieldsV1 } from '../src/apply/fieldset.js';
import { schemaFor } from '../src/apply/schema.js';
import { compare, createdFields } from '../src/apply/typed.js';

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

describe('createdFields', () => {
  it.each(objects)('owns what the diff from the zero object owns (%s %s)', (group, kind, obj) => {
    const schema = schemaFor(group, kind);
    const slow = compare(zeroOf(obj), obj, schema);
    const expected = slow.added.union(slow.modified);
    expect(encodeFieldsV1(createdFields(obj, schema))).toEqual(encodeFieldsV1(expected));
  });
});
