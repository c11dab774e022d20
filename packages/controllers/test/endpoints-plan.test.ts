// Pure planning of Endpoints and EndpointSlices from a Service and its pods.
import { describe, expect, it } from 'vitest';
import { findPort, shouldPodBeInEndpoints } from '../src/endpoints/pods.js';
import { desiredSubsets, planEndpoints } from '../src/endpoints/plan.js';
import type { EndpointsObject } from '../src/endpoints/types.js';
import { pod, svc } from './endpoints-fixtures.js';

const ref = (name: string) => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });

describe('findPort', () => {
  const p = pod('a', '127.244.1.2', { port: 9000 });
  it.each([
    ['a number', { port: 80, targetPort: 8081 }, 8081],
    ['a numeric string', { port: 80, targetPort: '8082' }, 8082],
    ['no targetPort: the port', { port: 80 }, 80],
    ['a named port', { port: 80, targetPort: 'http' }, 9000],
    ['a named port of another protocol', { port: 80, targetPort: 'http', protocol: 'UDP' }, undefined],
    ['an unknown name', { port: 80, targetPort: 'grpc' }, undefined],
  ])('%s', (_t, sp, want) => expect(findPort(p, sp)).toBe(want));
});

describe('shouldPodBeInEndpoints', () => {
  it.each([
    ['running with an IP', pod('a', '127.0.0.2'), false, true],
    ['no IP yet', pod('a', undefined), false, false],
    ['succeeded', pod('a', '127.0.0.2', { phase: 'Succeeded' }), true, false],
    ['terminating, not tolerated', pod('a', '127.0.0.2', { terminating: true }), false, false],
    ['terminating, tolerated', pod('a', '127.0.0.2', { terminating: true }), true, true],
  ])('%s', (_t, p, includeTerminating, want) => expect(shouldPodBeInEndpoints(p, includeTerminating)).toBe(want));
});

describe('desiredSubsets', () => {
  it('splits ready and not-ready addresses, resolving named ports per pod and sorting by IP', () => {
    const pods = [pod('b', '127.244.1.10'), pod('a', '127.244.1.9', { ready: false }), pod('c', '127.244.1.2', { node: 'node-2' })];
    expect(desiredSubsets(svc(), pods)).toEqual([
      {
        addresses: [
          { ip: '127.244.1.2', nodeName: 'node-2', targetRef: ref('c') },
          { ip: '127.244.1.10', nodeName: 'node-1', targetRef: ref('b') },
        ],
        notReadyAddresses: [{ ip: '127.244.1.9', nodeName: 'node-1', targetRef: ref('a') }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('puts pods serving a named port on different numbers into different subsets; skips pods without it', () => {
    const other = pod('b', '127.244.1.3', { port: 9090 });
    const none = pod('c', '127.244.1.4');
    none.spec!.containers[0]!.ports = [];
    const subsets = desiredSubsets(svc(), [pod('a', '127.244.1.2'), other, none]);
    expect(subsets.map((s) => [s.addresses?.map((a) => a.ip), s.ports?.[0]?.port])).toEqual([
      [['127.244.1.2'], 8080],
      [['127.244.1.3'], 9090],
    ]);
  });

  it('publishNotReadyAddresses lists unready and terminating pods as ready', () => {
    const s = svc({ publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080 }] });
    const subsets = desiredSubsets(s, [pod('a', '127.0.0.2', { ready: false }), pod('b', '127.0.0.3', { terminating: true })]);
    expect(subsets).toHaveLength(1);
    expect(subsets[0]!.addresses?.map((a) => a.ip)).toEqual(['127.0.0.2', '127.0.0.3']);
    expect(subsets[0]!.notReadyAddresses).toBeUndefined();
  });

  it('a headless Service without ports lists addresses without ports', () => {
    expect(desiredSubsets(svc({ clusterIP: 'None', ports: [] }), [pod('a', '127.0.0.2')])).toEqual([
      { addresses: [{ ip: '127.0.0.2', nodeName: 'node-1', targetRef: ref('a') }] },
    ]);
  });

  it('publishes a pod hostname when its subdomain is the Service', () => {
    const p = pod('a', '127.0.0.2');
    p.spec = { ...p.spec!, hostname: 'web-0', subdomain: 'web' };
    expect(desiredSubsets(svc(), [p])[0]!.addresses![0]!.hostname).toBe('web-0');
  });
});

describe('planEndpoints', () => {
  it('creates with the Service labels (plus the headless label when headless), then finds nothing to change', () => {
    const s = svc({ clusterIP: 'None' }, { team: 'a' });
    const created = planEndpoints(s, [pod('a', '127.0.0.2')], undefined)!;
    expect(created.metadata).toEqual({ name: 'web', namespace: 'default', labels: { team: 'a', 'service.kubernetes.io/headless': '' } });
    const stored: EndpointsObject = { ...created, metadata: { ...created.metadata, resourceVersion: '5' } };
    expect(planEndpoints(s, [pod('a', '127.0.0.2')], stored)).toBeUndefined();
    const updated = planEndpoints(s, [], stored)!;
    expect(updated.metadata.resourceVersion).toBe('5');
    expect(updated.subsets).toBeUndefined();
  });
});
