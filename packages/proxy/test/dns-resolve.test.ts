// Pure resolution: names and types against a snapshot of Services and EndpointSlices, as CoreDNS's
// kubernetes plugin answers them.
import { describe, expect, it } from 'vitest';
import type { RecordType } from 'dns-packet';
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { buildRecords } from '../src/dns/records.js';
import { resolve, type Resolution } from '../src/dns/resolve.js';

const svc = (name: string, spec: Service['spec'], namespace = 'default'): Service => ({ metadata: { name, namespace }, spec });
const slice = (service: string, endpoints: { ip: string; ready?: boolean; hostname?: string }[], ports = [{ name: 'http', port: 8080, protocol: 'TCP' }]): EndpointSlice => ({
  metadata: { name: `${service}-abc`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  ports,
  endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready ?? true }, ...(e.hostname ? { hostname: e.hostname } : {}) })),
});

const records = buildRecords(
  [
    svc('web', { clusterIP: '127.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { port: 9000 }] }),
    svc('db', { clusterIP: 'None', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }),
    svc('lazy', { clusterIP: 'None', publishNotReadyAddresses: true }),
    svc('empty', { clusterIP: 'None' }),
    svc('ext', { type: 'ExternalName', externalName: 'example.com.' }),
    svc('api', { clusterIP: '127.96.0.30', ports: [{ name: 'grpc', port: 9090, protocol: 'TCP' }] }, 'prod'),
  ],
  [
    slice('db', [{ ip: '127.244.1.3', hostname: 'db-0' }, { ip: '127.244.1.2' }, { ip: '127.244.1.9', ready: false }]),
    slice('lazy', [{ ip: '127.244.1.5', ready: false }]),
    slice('web', [{ ip: '127.244.1.7' }]),
  ],
);

const ask = (name: string, type: RecordType = 'A') => resolve(name, type, records, 'cluster.local', 7);
const summary = (name: string, type: RecordType = 'A'): string => {
  const out = ask(name, type);
  if ('forward' in out) return 'forward';
  const data = out.answers.map((a) => `${a.type} ${JSON.stringify((a as { data: unknown }).data)}`);
  return [out.rcode, ...data].join(' | ');
};

describe('resolve', () => {
  it.each([
    ['a ClusterIP Service', 'web.default.svc.cluster.local', 'A', 'NOERROR | A "127.96.0.20"'],
    ['case-insensitively, with a trailing dot', 'WEB.Default.SVC.cluster.LOCAL.', 'A', 'NOERROR | A "127.96.0.20"'],
    ['another namespace', 'api.prod.svc.cluster.local', 'A', 'NOERROR | A "127.96.0.30"'],
    ['AAAA of a known name: no data', 'web.default.svc.cluster.local', 'AAAA', 'NOERROR'],
    ['TXT of a known name: no data', 'web.default.svc.cluster.local', 'TXT', 'NOERROR'],
    ['an unknown Service', 'nope.default.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['a Service in the wrong namespace', 'web.prod.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['headless: the ready endpoints', 'db.default.svc.cluster.local', 'A', 'NOERROR | A "127.244.1.2" | A "127.244.1.3"'],
    ['headless, publishNotReadyAddresses: not-ready ones too', 'lazy.default.svc.cluster.local', 'A', 'NOERROR | A "127.244.1.5"'],
    ['headless without endpoints', 'empty.default.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['an endpoint by hostname', 'db-0.db.default.svc.cluster.local', 'A', 'NOERROR | A "127.244.1.3"'],
    ['an endpoint by dashed IP', '127-244-1-2.db.default.svc.cluster.local', 'A', 'NOERROR | A "127.244.1.2"'],
    ['a not-ready endpoint', '127-244-1-9.db.default.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['no endpoint names on ClusterIP Services', '127-244-1-7.web.default.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['ExternalName: a CNAME', 'ext.default.svc.cluster.local', 'A', 'NOERROR | CNAME "example.com"'],
    ['SRV of a named port', '_http._tcp.web.default.svc.cluster.local', 'SRV', 'NOERROR | SRV {"priority":0,"weight":100,"port":80,"target":"web.default.svc.cluster.local"}'],
    ['SRV of a UDP port', '_dns._udp.web.default.svc.cluster.local', 'SRV', 'NOERROR | SRV {"priority":0,"weight":100,"port":53,"target":"web.default.svc.cluster.local"}'],
    ['SRV with the wrong protocol', '_dns._tcp.web.default.svc.cluster.local', 'SRV', 'NXDOMAIN'],
    ['A of an SRV name: no data', '_http._tcp.web.default.svc.cluster.local', 'A', 'NOERROR'],
    [
      'SRV of a headless Service: one per endpoint',
      '_http._tcp.db.default.svc.cluster.local',
      'SRV',
      'NOERROR | SRV {"priority":0,"weight":50,"port":8080,"target":"127-244-1-2.db.default.svc.cluster.local"} | SRV {"priority":0,"weight":50,"port":8080,"target":"db-0.db.default.svc.cluster.local"}',
    ],
    [
      'SRV of a Service name: every named port',
      'web.default.svc.cluster.local',
      'SRV',
      'NOERROR | SRV {"priority":0,"weight":50,"port":80,"target":"web.default.svc.cluster.local"} | SRV {"priority":0,"weight":50,"port":53,"target":"web.default.svc.cluster.local"}',
    ],
    ['a namespace with Services', 'default.svc.cluster.local', 'A', 'NOERROR'],
    ['a namespace without', 'nowhere.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['svc.<zone>', 'svc.cluster.local', 'A', 'NOERROR'],
    ['the zone apex SOA', 'cluster.local', 'SOA', 'NOERROR | SOA {"mname":"ns.dns.cluster.local","rname":"hostmaster.cluster.local","serial":7,"refresh":7200,"retry":1800,"expire":86400,"minimum":5}'],
    ['a pod by dashed IP', '127-244-1-2.default.pod.cluster.local', 'A', 'NOERROR | A "127.244.1.2"'],
    ['a malformed pod name', '127-244-1.default.pod.cluster.local', 'A', 'NXDOMAIN'],
    ['anything else in the zone', 'foo.bar.cluster.local', 'A', 'NXDOMAIN'],
    ['a name outside the zone', 'example.com', 'A', 'forward'],
    ['a name merely ending like the zone', 'notcluster.local', 'A', 'forward'],
    ['PTR of a cluster IP', '20.0.96.127.in-addr.arpa', 'PTR', 'NOERROR | PTR "web.default.svc.cluster.local"'],
    ['PTR of a headless endpoint', '3.1.244.127.in-addr.arpa', 'PTR', 'NOERROR | PTR "db-0.db.default.svc.cluster.local"'],
    ['PTR of another address', '1.0.0.127.in-addr.arpa', 'PTR', 'forward'],
  ] as [string, string, RecordType, string][])('%s: %s %s', (_t, name, type, want) => expect(summary(name, type)).toBe(want));

  it('answers with the name as asked, a 5 s TTL, and the zone SOA on negative answers', () => {
    const hit = ask('Web.default.svc.cluster.local') as Resolution;
    expect(hit.answers[0]).toMatchObject({ name: 'Web.default.svc.cluster.local', ttl: 5 });
    expect(hit.authorities).toEqual([]);
    const miss = ask('nope.default.svc.cluster.local') as Resolution;
    expect(miss.authorities).toMatchObject([{ type: 'SOA', name: 'cluster.local', ttl: 5 }]);
  });

  it('adds the A records of SRV targets, and asks to chase an ExternalName for A and AAAA only', () => {
    const srv = ask('_http._tcp.db.default.svc.cluster.local', 'SRV') as Resolution;
    expect(srv.additionals.map((a) => `${a.name} ${(a as { data: string }).data}`)).toEqual([
      '127-244-1-2.db.default.svc.cluster.local 127.244.1.2',
      'db-0.db.default.svc.cluster.local 127.244.1.3',
    ]);
    expect((ask('ext.default.svc.cluster.local', 'AAAA') as Resolution).chase).toBe('example.com');
    expect((ask('ext.default.svc.cluster.local', 'TXT') as Resolution).chase).toBeUndefined();
  });

  it('serves another cluster domain', () => {
    expect(resolve('web.default.svc.corp.internal', 'A', records, 'corp.internal')).toMatchObject({ rcode: 'NOERROR', answers: [{ data: '127.96.0.20' }] });
    expect(resolve('web.default.svc.cluster.local', 'A', records, 'corp.internal')).toEqual({ forward: true });
  });
});
