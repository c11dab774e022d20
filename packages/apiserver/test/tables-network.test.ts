// Rows of Service, Endpoints, EndpointSlice, Ingress and IngressClass.
import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { tableConvertorFor } from '../src/tables/index.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const cells = (group: string, kind: string, obj: object) => tableConvertorFor(group, kind).cells(obj as KObject, NOW);

describe('services', () => {
  it('has the real columns', () => {
    expect(tableConvertorFor('', 'Service').columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0], ['Type', 0], ['Cluster-IP', 0], ['External-IP', 0], ['Port(s)', 0], ['Age', 0], ['Selector', 1],
    ]);
  });

  const svc = (spec: object, status: object = {}) => ({ metadata: { name: 'web', creationTimestamp: ago(120) }, spec, status });

  it.each<[string, object, object, unknown[]]>([
    ['a ClusterIP service', { type: 'ClusterIP', clusterIP: '127.96.0.10', clusterIPs: ['127.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } }, {},
      ['web', 'ClusterIP', '127.96.0.10', '<none>', '80/TCP', '2m', 'app=web']],
    ['a NodePort service with two ports', { type: 'NodePort', clusterIPs: ['127.96.0.11'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, nodePort: 30053, protocol: 'UDP' }] }, {},
      ['web', 'NodePort', '127.96.0.11', '<none>', '80:30080/TCP,53:30053/UDP', '2m', '<none>']],
    ['a LoadBalancer still waiting for an address', { type: 'LoadBalancer', clusterIPs: ['127.96.0.12'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }, {},
      ['web', 'LoadBalancer', '127.96.0.12', '<pending>', '443:31443/TCP', '2m', '<none>']],
    ['a LoadBalancer with ingress points and external IPs', { type: 'LoadBalancer', clusterIPs: ['127.96.0.12'], externalIPs: ['80.11.12.10'], ports: [{ port: 80, protocol: 'TCP' }] },
      { loadBalancer: { ingress: [{ ip: '127.200.0.2' }, { hostname: 'lb.example.com' }, { ip: '127.200.0.1' }] } },
      ['web', 'LoadBalancer', '127.96.0.12', '127.200.0.1,127.200.0.2,lb.example.com,80.11.12.10', '80/TCP', '2m', '<none>']],
    ['a ClusterIP service with external IPs', { type: 'ClusterIP', clusterIPs: ['127.96.0.13'], externalIPs: ['80.11.12.10', '80.11.12.11'], ports: [{ port: 8080, protocol: 'TCP' }] }, {},
      ['web', 'ClusterIP', '127.96.0.13', '80.11.12.10,80.11.12.11', '8080/TCP', '2m', '<none>']],
    ['a headless service without ports', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] }, {},
      ['web', 'ClusterIP', 'None', '<none>', '<none>', '2m', '<none>']],
    ['an ExternalName service', { type: 'ExternalName', externalName: 'db.example.com' }, {},
      ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '2m', '<none>']],
  ])('%s', (_, spec, status, expected) => {
    expect(cells('', 'Service', svc(spec, status))).toEqual(expected);
  });
});

describe('endpoints', () => {
  const ep = (subsets: object[] | undefined) => ({ metadata: { name: 'web', creationTimestamp: ago(5) }, subsets });

  it('prints <none> without subsets', () => {
    expect(cells('', 'Endpoints', ep(undefined))).toEqual(['web', '<none>', '5s']);
  });

  it('prints ip:port pairs', () => {
    const subsets = [{ addresses: [{ ip: '127.244.0.5' }, { ip: '127.244.1.7' }], ports: [{ port: 8080, protocol: 'TCP' }] }];
    expect(cells('', 'Endpoints', ep(subsets))[1]).toBe('127.244.0.5:8080,127.244.1.7:8080');
  });

  it('prints the first three, then how many more', () => {
    const subsets = [
      { addresses: [{ ip: '1.1.1.1' }, { ip: '2.2.2.2' }], ports: [{ port: 80 }, { port: 443 }] },
      { addresses: [{ ip: '3.3.3.3' }], ports: [{ port: 80 }] },
    ];
    expect(cells('', 'Endpoints', ep(subsets))[1]).toBe('1.1.1.1:80,2.2.2.2:80,1.1.1.1:443 + 2 more...');
  });

  it('prints bare IPs for a subset without ports, brackets IPv6', () => {
    expect(cells('', 'Endpoints', ep([{ addresses: [{ ip: '10.0.0.1' }] }]))[1]).toBe('10.0.0.1');
    expect(cells('', 'Endpoints', ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }]))[1]).toBe('[fd00::1]:80');
  });
});

describe('endpoint slices', () => {
  it('prints address type, ports and addresses', () => {
    const slice = {
      metadata: { name: 'web-abc12', creationTimestamp: ago(60) },
      addressType: 'IPv4',
      ports: [{ port: 8080, name: 'http' }, { name: 'metrics' }, {}],
      endpoints: [{ addresses: ['127.244.0.5'] }, { addresses: ['127.244.0.6', '127.244.0.7', '127.244.0.8'] }],
    };
    expect(cells('discovery.k8s.io', 'EndpointSlice', slice)).toEqual([
      'web-abc12', 'IPv4', '8080,metrics,*', '127.244.0.5,127.244.0.6,127.244.0.7 + 1 more...', '60s',
    ]);
  });

  it('prints <unset> for empty ports and endpoints', () => {
    expect(cells('discovery.k8s.io', 'EndpointSlice', { metadata: { name: 's' }, addressType: 'IPv4' }).slice(2, 4)).toEqual(['<unset>', '<unset>']);
  });
});

describe('ingresses', () => {
  it('has the real columns', () => {
    expect(tableConvertorFor('networking.k8s.io', 'Ingress').columns.map((c) => c.name)).toEqual(['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
  });

  it('prints class, hosts, address and TLS ports', () => {
    const ing = {
      metadata: { name: 'web', creationTimestamp: ago(60) },
      spec: { ingressClassName: 'mini', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
      status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
    };
    expect(cells('networking.k8s.io', 'Ingress', ing)).toEqual(['web', 'mini', 'a.example.com,b.example.com', '127.0.0.1', '80, 443', '60s']);
  });

  it('prints * without hosts, <none> without a class, and counts rules beyond three', () => {
    expect(cells('networking.k8s.io', 'Ingress', { metadata: { name: 'x' }, spec: { rules: [{}] } }).slice(1, 5)).toEqual(['<none>', '*', '', '80']);
    const rules = [{}, { host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }];
    expect(cells('networking.k8s.io', 'Ingress', { metadata: { name: 'x' }, spec: { rules } })[2]).toBe('a,b,c + 2 more...');
  });
});

describe('ingress classes', () => {
  it('prints the controller and the parameters reference', () => {
    const ic = {
      metadata: { name: 'mini', creationTimestamp: ago(60) },
      spec: { controller: 'mini-kube.io/ingress', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } },
    };
    expect(cells('networking.k8s.io', 'IngressClass', ic)).toEqual(['mini', 'mini-kube.io/ingress', 'IngressParameters.k8s.example.com/external-lb', '60s']);
    expect(cells('networking.k8s.io', 'IngressClass', { metadata: { name: 'x' }, spec: { controller: 'c' } })[2]).toBe('<none>');
  });
});
