// Pure planning of EndpointSlices: endpoints from pods, mirroring, and the create/update/delete plan.
import { describe, expect, it } from 'vitest';
import type { EndpointSliceObject } from '../src/endpoints/types.js';
import { desiredGroups } from '../src/endpointslice/endpoints.js';
import { mirroredGroups, serviceSliceMeta } from '../src/endpointslice/meta.js';
import { planSlices } from '../src/endpointslice/plan.js';
import { pod, svc } from './endpoints-fixtures.js';

const stored = (name: string, obj: EndpointSliceObject, rv = '1'): EndpointSliceObject => ({ ...obj, metadata: { ...obj.metadata, name, resourceVersion: rv } });

describe('desiredGroups', () => {
  it('gives ready, serving and terminating conditions like Kubernetes', () => {
    const groups = desiredGroups(svc(), [pod('a', '127.0.0.2'), pod('b', '127.0.0.3', { ready: false }), pod('c', '127.0.0.4', { terminating: true }), pod('d', undefined)]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(groups[0]!.endpoints.map((e) => [e.addresses[0], e.conditions])).toEqual([
      ['127.0.0.2', { ready: true, serving: true, terminating: false }],
      ['127.0.0.3', { ready: false, serving: false, terminating: false }],
      ['127.0.0.4', { ready: false, serving: true, terminating: true }],
    ]);
    expect(groups[0]!.endpoints[0]).toMatchObject({ nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'a', uid: 'uid-a' } });
  });

  it('publishNotReadyAddresses makes every endpoint ready', () => {
    const [group] = desiredGroups(svc({ publishNotReadyAddresses: true }), [pod('b', '127.0.0.3', { ready: false })]);
    expect(group!.endpoints[0]!.conditions).toEqual({ ready: true, serving: false, terminating: false });
  });
});

describe('mirroredGroups', () => {
  it('turns subsets into groups: addresses ready, notReadyAddresses not', () => {
    const groups = mirroredGroups({
      metadata: { name: 'ext', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '127.1.0.1' }], notReadyAddresses: [{ ip: '127.1.0.2' }], ports: [{ port: 9000 }] }],
    });
    expect(groups).toEqual([
      {
        ports: [{ name: '', port: 9000, protocol: 'TCP' }],
        endpoints: [
          { addresses: ['127.1.0.1'], conditions: { ready: true, serving: true, terminating: false } },
          { addresses: ['127.1.0.2'], conditions: { ready: false, serving: false, terminating: false } },
        ],
      },
    ]);
  });
});

describe('planSlices', () => {
  const meta = serviceSliceMeta(svc({}, { team: 'a' }));
  const groups = (n: number, port = 8080) => [
    { ports: [{ name: 'http', port, protocol: 'TCP' }], endpoints: Array.from({ length: n }, (_, i) => ({ addresses: [`127.0.0.${i + 2}`], conditions: { ready: true } })) },
  ];

  it('creates one labelled, owned slice; a second plan over what was stored changes nothing', () => {
    const plan = planSlices(groups(2), [], meta);
    expect(plan.update).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.create).toHaveLength(1);
    const slice = plan.create[0]!;
    expect(slice.metadata).toMatchObject({
      generateName: 'web-',
      labels: { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
      ownerReferences: [{ kind: 'Service', name: 'web', uid: 'svc-uid', controller: true }],
    });
    expect(slice.addressType).toBe('IPv4');
    expect(planSlices(groups(2), [stored('web-abcde', slice)], meta)).toEqual({ create: [], update: [], delete: [] });
  });

  it.each([
    ['no endpoints: one empty placeholder', 0, 0, { create: 1, update: 0, delete: 0 }],
    ['250 endpoints: three slices of at most 100', 250, 0, { create: 3, update: 0, delete: 0 }],
    ['fewer endpoints: the extra slice is deleted, the other updated', 50, 2, { create: 0, update: 1, delete: 1 }],
  ])('%s', (_t, endpoints, existingCount, want) => {
    const existing = planSlices(groups(150), [], meta).create.slice(0, existingCount).map((s, i) => stored(`web-${i}`, s));
    const plan = planSlices(groups(endpoints), existing, meta);
    expect({ create: plan.create.length, update: plan.update.length, delete: plan.delete.length }).toEqual(want);
    for (const s of [...plan.create, ...plan.update]) expect(s.endpoints.length).toBeLessThanOrEqual(100);
  });

  it('reuses a slice whose ports changed instead of creating another', () => {
    const old = stored('web-x', planSlices(groups(1, 8080), [], meta).create[0]!);
    const plan = planSlices(groups(1, 9090), [old], meta);
    expect(plan.create).toEqual([]);
    expect(plan.update.map((s) => [s.metadata.name, s.ports?.[0]?.port])).toEqual([['web-x', 9090]]);
  });

  it('without a placeholder, no endpoints means no slices', () => {
    const old = stored('web-x', planSlices(groups(1), [], meta).create[0]!);
    expect(planSlices([], [old], meta, { placeholder: false })).toEqual({ create: [], update: [], delete: [old] });
  });
});
