// Pure planning: listeners from Services and EndpointSlices, LoadBalancer addresses, backend choice.
import { describe, expect, it } from 'vitest';
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { Balancer } from '../src/balancer.js';
import { parseRange, planLoadBalancers } from '../src/load-balancer.js';
import { backendsFor, desiredListeners } from '../src/plan.js';

const service = (name: string, spec: Service['spec'], status?: Service['status']): Service => ({
  metadata: { name, namespace: 'default', creationTimestamp: `2024-01-01T00:00:0${name.length}Z` },
  spec: { clusterIP: '127.96.0.5', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec },
  ...(status ? { status } : {}),
});

const slice = (svc: string, port: number, endpoints: [string, { ready?: boolean; serving?: boolean; terminating?: boolean }][], portName = 'http'): EndpointSlice => ({
  metadata: { name: `${svc}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  ports: [{ name: portName, port, protocol: 'TCP' }],
  endpoints: endpoints.map(([ip, conditions]) => ({ addresses: [ip], conditions })),
});

describe('backendsFor', () => {
  it.each([
    ['ready endpoints of the named port', [slice('web', 8080, [['127.0.0.3', { ready: true }], ['127.0.0.2', {}], ['127.0.0.4', { ready: false }]])], 'http', ['127.0.0.2:8080', '127.0.0.3:8080']],
    ['another port name: none', [slice('web', 8080, [['127.0.0.2', { ready: true }]])], 'grpc', []],
    ['none ready: serving terminating ones', [slice('web', 8080, [['127.0.0.2', { ready: false, serving: true, terminating: true }], ['127.0.0.3', { ready: false }]])], 'http', ['127.0.0.2:8080']],
    ['numeric order of addresses and ports', [slice('web', 8080, [['127.0.0.10', {}], ['127.0.0.9', {}], ['127.0.1.1', {}]])], 'http', ['127.0.0.9:8080', '127.0.0.10:8080', '127.0.1.1:8080']],
    ['the same endpoint in two slices once', [slice('web', 8080, [['127.0.0.2', {}]]), slice('web', 8080, [['127.0.0.2', {}]])], 'http', ['127.0.0.2:8080']],
  ])('%s', (_t, slices, portName, want) => expect(backendsFor(slices, portName).map((b) => `${b.ip}:${b.port}`)).toEqual(want));
});

describe('desiredListeners', () => {
  const slices = [slice('web', 8080, [['127.244.1.2', {}]])];
  const keys = (services: Service[], nodes = ['127.10.0.1', '127.10.0.2']) => desiredListeners(services, slices, nodes).map((l) => l.key).sort();
  it.each([
    ['ClusterIP: the cluster IP', service('web', { type: 'ClusterIP' }), ['127.96.0.5:80']],
    ['NodePort: also every node address and 127.0.0.1', service('web', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }), ['127.0.0.1:30080', '127.10.0.1:30080', '127.10.0.2:30080', '127.96.0.5:80']],
    [
      'LoadBalancer: also its loopback ingress IP',
      service('web', { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, nodePort: 30081 }] }, { loadBalancer: { ingress: [{ ip: '127.112.0.1' }, { ip: '10.0.0.1' }] } }),
      ['127.0.0.1:30081', '127.10.0.1:30081', '127.10.0.2:30081', '127.112.0.1:80', '127.96.0.5:80'],
    ],
    ['externalIPs on loopback only', service('web', { externalIPs: ['127.50.0.1', '192.168.1.1'] }), ['127.50.0.1:80', '127.96.0.5:80']],
    ['headless: nothing', service('web', { clusterIP: 'None' }), []],
    ['ExternalName: nothing', service('web', { type: 'ExternalName', clusterIP: undefined, externalName: 'x.example' }), []],
    ['UDP ports: nothing', service('web', { ports: [{ port: 53, protocol: 'UDP' }] }), []],
  ])('%s', (_t, svc, want) => expect(keys([svc])).toEqual(want));

  it('forwards to the endpoints of the port name and carries the affinity timeout', () => {
    const [l] = desiredListeners([service('web', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 30 } } })], slices, []);
    expect(l).toEqual({ key: '127.96.0.5:80', address: '127.96.0.5', port: 80, servicePort: 'default/web:http', backends: [{ ip: '127.244.1.2', port: 8080 }], affinityTimeoutMs: 30_000 });
  });
});

describe('planLoadBalancers', () => {
  const range = parseRange('127.112.0.0/30'); // two usable addresses
  const lb = (name: string, ingress?: string) => service(name, { type: 'LoadBalancer' }, ingress ? { loadBalancer: { ingress: [{ ip: ingress }] } } : undefined);
  const plan = (services: Service[]) => planLoadBalancers(services, range).map((c) => `${c.service.metadata!.name}=${c.ingress.map((i) => i.ip).join(',')}`);
  it.each([
    ['a new LoadBalancer gets the first free address', [lb('a', '127.112.0.1'), lb('bb')], ['bb=127.112.0.2']],
    ['already assigned: nothing to do', [lb('a', '127.112.0.2')], []],
    ['the range exhausted: stays pending', [lb('a', '127.112.0.1'), lb('bb', '127.112.0.2'), lb('ccc')], []],
    ['no longer a LoadBalancer: its address is taken back', [service('a', { type: 'ClusterIP' }, { loadBalancer: { ingress: [{ ip: '127.112.0.1' }] } })], ['a=']],
  ])('%s', (_t, services, want) => expect(plan(services)).toEqual(want));
});

describe('Balancer', () => {
  const backends = [1, 2, 3].map((n) => ({ ip: `127.0.0.${n}`, port: 80 }));
  it('goes round robin and skips backends already tried', () => {
    const b = new Balancer(undefined);
    b.update(backends, undefined);
    expect([1, 2, 3, 4].map(() => b.pick('c')?.ip)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.1']);
    expect(b.pick('c', new Set(['127.0.0.2:80', '127.0.0.3:80']))?.ip).toBe('127.0.0.1');
    expect(b.pick('c', new Set(backends.map((x) => `${x.ip}:80`)))).toBeUndefined();
  });

  it('keeps a client on its backend until idle for the affinity timeout', () => {
    let now = 0;
    const b = new Balancer(1000, () => now);
    b.update(backends, 1000);
    const first = b.pick('client-a')!.ip;
    expect(b.pick('client-b')!.ip).not.toBe(first);
    now = 900;
    expect(b.pick('client-a')!.ip).toBe(first);
    now = 2000; // idle 1100 ms since the last pick
    expect(b.pick('client-a')!.ip).not.toBe(first);
    b.update(backends.filter((x) => x.ip !== '127.0.0.3'), 1000);
    expect(b.size).toBe(2);
  });
});
