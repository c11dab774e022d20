// The cluster DNS against real sockets and a real in-process API server: queries encoded with
// dns-packet go over UDP and TCP to the server's own address and (UDP) to the kube-dns cluster IP;
// names outside the cluster domain go to a fake upstream nameserver on loopback.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { setMaxListeners } from 'node:events';
import { connect, createServer, type Server } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket, RecordType } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResource, type KObject } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { openStore } from '@mini-kube/store';
import { waitFor } from '@mini-kube/testing';
import { startClusterDns, type ClusterDns } from '../src/dns/cluster-dns.js';
import type { Upstream } from '../src/dns/forward.js';
import { ensureKubeDns } from '../src/dns/kube-dns.js';

const SERVICES = findResource('', 'v1', 'services')!;
const ENDPOINTS = findResource('', 'v1', 'endpoints')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;

// Loopback addresses of its own (outside the ranges daemons of other tests use), and a high port.
const block = 30 + Math.floor(Math.random() * 40);
const clusterIP = `127.${block}.0.10`;
const serverAddress = `127.${block}.1.53`;
const port = 20_000 + Math.floor(Math.random() * 20_000);
const upstreamAddress = `127.${block}.2.53`;

let server: ApiServer;
let client: ApiClient;
let abort: AbortController;
let dns: ClusterDns;
let upstreams: Upstream[] = [];
let fakeUdp: UdpSocket;
let fakeTcp: Server;

/** The fake upstream: every A question gets 192.0.2.1. */
function upstreamAnswer(msg: Buffer): Buffer {
  const q = dnsPacket.decode(msg);
  const answers = (q.questions ?? []).filter((x) => x.type === 'A').map((x) => ({ type: 'A' as const, name: x.name, ttl: 60, data: '192.0.2.1' }));
  return dnsPacket.encode({ id: q.id, type: 'response', flags: dnsPacket.RECURSION_AVAILABLE, questions: q.questions, answers });
}

beforeAll(async () => {
  server = new ApiServer({ store: await openStore('memory'), serviceCIDR: `127.${block}.0.0/24` });
  client = new ApiClient({ server: `http://${await server.listen('127.0.0.1', 0)}` });
  abort = new AbortController();
  setMaxListeners(50, abort.signal);
  fakeUdp = createSocket('udp4');
  fakeUdp.on('message', (msg, from) => fakeUdp.send(upstreamAnswer(msg), from.port, from.address));
  await new Promise<void>((r) => fakeUdp.bind(port, upstreamAddress, r));
  fakeTcp = createServer((c) => c.once('data', (d: Buffer) => c.end(frame(upstreamAnswer(d.subarray(2))))));
  await new Promise<void>((r) => fakeTcp.listen(port, upstreamAddress, r));
  upstreams = [{ host: upstreamAddress, port }];
  dns = await startClusterDns({ client, signal: abort.signal, clusterIP, serverAddress, port, upstreams: () => upstreams });
  await create(SERVICES, service('web', { clusterIP: `127.${block}.0.20`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }));
});

afterAll(async () => {
  abort.abort();
  await dns.closed;
  fakeUdp.close();
  await new Promise((r) => fakeTcp.close(r));
  await client.close();
  await server.close();
});

const service = (name: string, spec: object): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
const create = (res: typeof SERVICES, obj: KObject): Promise<KObject> => client.create(res, obj, { namespace: obj.metadata.namespace ?? 'default' });

function frame(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

let nextId = 1;
const query = (name: string, type: RecordType, edns = false): Buffer =>
  dnsPacket.encode({
    id: nextId++,
    type: 'query',
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    ...(edns ? { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, flags: 0 } as never] } : {}),
  });

function askUdp(name: string, type: RecordType = 'A', host = serverAddress, edns = false): Promise<DecodedPacket & { rcode?: string }> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => (socket.close(), reject(new Error(`no UDP answer for ${name}`))), 5_000);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(dnsPacket.decode(msg));
    });
    socket.send(query(name, type, edns), port, host);
  });
}

/** Several queries on one TCP connection, answered in order. */
function askTcp(questions: [string, RecordType][], host = serverAddress): Promise<(DecodedPacket & { rcode?: string })[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buf = Buffer.alloc(0);
    const out: DecodedPacket[] = [];
    socket.on('error', reject);
    socket.on('connect', () => socket.write(Buffer.concat(questions.map(([n, t]) => frame(query(n, t))))));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(dnsPacket.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (out.length === questions.length) {
        socket.end();
        resolve(out);
      }
    });
  });
}

const addresses = (p: DecodedPacket): string[] => (p.answers ?? []).filter((a) => a.type === 'A').map((a) => (a as { data: string }).data);

describe('the kube-dns Service', () => {
  it('is created at the cluster DNS address, pointing at the server', async () => {
    const svc = await waitFor(() => client.get(SERVICES, 'kube-dns', { namespace: 'kube-system' }).catch(() => undefined), { timeoutMs: 10_000 });
    expect(svc).toMatchObject({
      metadata: { labels: { 'k8s-app': 'kube-dns' } },
      spec: { clusterIP, ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: port }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: port }] },
    });
    const ep = await waitFor(() => client.get(ENDPOINTS, 'kube-dns', { namespace: 'kube-system' }).catch(() => undefined), { timeoutMs: 10_000 });
    expect(ep).toMatchObject({ subsets: [{ addresses: [{ ip: serverAddress }], ports: [{ name: 'dns', port }, { name: 'dns-tcp', port }] }] });
  });

  it('keeps its address to itself: not handed out, not given on request to another Service', async () => {
    await client.delete(SERVICES, 'kube-dns', { namespace: 'kube-system' });
    await expect(create(SERVICES, service('squatter', { clusterIP, ports: [{ port: 80 }] }))).rejects.toThrow(/reserved for the cluster DNS/);
    await ensureKubeDns(client, { clusterIP, serverAddress, serverPort: port });
    expect(await client.get(SERVICES, 'kube-dns', { namespace: 'kube-system' })).toMatchObject({ spec: { clusterIP } });
    const given = [];
    for (let i = 0; i < 12; i++) given.push(((await create(SERVICES, service(`auto-${i}`, { ports: [{ port: 80 }] }))) as unknown as { spec: { clusterIP: string } }).spec.clusterIP);
    expect(given).not.toContain(clusterIP);
  });
});

describe('answers', () => {
  it('a Service name over UDP: its cluster IP, authoritative, TTL 5, with the query id', async () => {
    const ans = await waitFor(async () => {
      const a = await askUdp('web.default.svc.cluster.local');
      return addresses(a).length ? a : undefined;
    }, { timeoutMs: 10_000 });
    expect(addresses(ans)).toEqual([`127.${block}.0.20`]);
    expect(ans).toMatchObject({ type: 'response', flag_aa: true, flag_rd: true, flag_ra: true, rcode: 'NOERROR', answers: [{ ttl: 5, name: 'web.default.svc.cluster.local' }] });
  });

  it('on the cluster IP over UDP too', async () => {
    expect(addresses(await askUdp('web.default.svc.cluster.local', 'A', clusterIP))).toEqual([`127.${block}.0.20`]);
  });

  it('several queries on one TCP connection', async () => {
    const [a, b, c] = await askTcp([
      ['web.default.svc.cluster.local', 'A'],
      ['nope.default.svc.cluster.local', 'A'],
      ['web.default.svc.cluster.local', 'AAAA'],
    ]);
    expect(addresses(a!)).toEqual([`127.${block}.0.20`]);
    expect(b).toMatchObject({ rcode: 'NXDOMAIN', answers: [], authorities: [{ type: 'SOA' }] });
    expect(c).toMatchObject({ rcode: 'NOERROR', answers: [] });
  });

  it('follows Services and EndpointSlices as they change', async () => {
    await create(SERVICES, service('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }));
    await create(SLICES, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'db-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'db' } },
      addressType: 'IPv4',
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      endpoints: [{ addresses: [`127.${block}.3.2`], hostname: 'db-0', conditions: { ready: true } }, { addresses: [`127.${block}.3.3`], conditions: { ready: true } }],
    } as KObject);
    await waitFor(async () => addresses(await askUdp('db.default.svc.cluster.local')).length === 2 || undefined, { timeoutMs: 10_000 });
    expect(addresses(await askUdp('db-0.db.default.svc.cluster.local'))).toEqual([`127.${block}.3.2`]);
    const srv = await askUdp('_pg._tcp.db.default.svc.cluster.local', 'SRV');
    expect(srv.answers?.map((a) => (a as { data: { target: string } }).data.target).sort()).toEqual([`127-${block}-3-3.db.default.svc.cluster.local`, 'db-0.db.default.svc.cluster.local']);
    await client.delete(SERVICES, 'db', { namespace: 'default' });
    await waitFor(async () => (await askUdp('db.default.svc.cluster.local')).rcode === 'NXDOMAIN' || undefined, { timeoutMs: 10_000 });
  });

  it('truncates a UDP answer too big for 512 bytes; TCP and EDNS0 carry it whole', async () => {
    const endpoints = Array.from({ length: 20 }, (_, i) => ({ addresses: [`127.${block}.4.${i + 2}`], conditions: { ready: true } }));
    await create(SERVICES, service('many', { clusterIP: 'None' }));
    await create(SLICES, { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'many-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'many' } }, addressType: 'IPv4', endpoints } as KObject);
    const udp = await waitFor(async () => {
      const a = await askUdp('many.default.svc.cluster.local');
      return a.flag_tc ? a : undefined;
    }, { timeoutMs: 10_000 });
    expect(udp.answers).toEqual([]);
    const [tcp] = await askTcp([['many.default.svc.cluster.local', 'A']]);
    expect(addresses(tcp!)).toHaveLength(20);
    const edns = await askUdp('many.default.svc.cluster.local', 'A', serverAddress, true);
    expect(edns.flag_tc).toBe(false);
    expect(addresses(edns)).toHaveLength(20);
  });
});

describe('binding', () => {
  it('fails as a whole when an address is taken, and leaves the running server alone', async () => {
    const other = new AbortController();
    const fresh = `127.${block}.1.54`;
    await expect(startClusterDns({ client, signal: other.signal, clusterIP, serverAddress: fresh, port, upstreams: () => [] })).rejects.toThrow(/EADDRINUSE/);
    other.abort();
    // The second server bound UDP on its own address before failing on the cluster IP: released.
    const probe = createSocket('udp4');
    await new Promise<void>((r) => probe.bind(port, fresh, r));
    probe.close();
    expect(addresses(await askUdp('web.default.svc.cluster.local'))).toEqual([`127.${block}.0.20`]);
  });
});

describe('forwarding', () => {
  it('sends other names to the upstream, over UDP and TCP', async () => {
    const udp = await askUdp('www.example.test');
    expect(addresses(udp)).toEqual(['192.0.2.1']);
    expect(udp.flag_aa).toBe(false);
    const [tcp] = await askTcp([['www.example.test', 'A']]);
    expect(addresses(tcp!)).toEqual(['192.0.2.1']);
  });

  it('resolves an ExternalName target upstream after the CNAME', async () => {
    await create(SERVICES, service('ext', { type: 'ExternalName', externalName: 'db.example.test' }));
    const ans = await waitFor(async () => {
      const a = await askUdp('ext.default.svc.cluster.local');
      return a.answers?.length ? a : undefined;
    }, { timeoutMs: 10_000 });
    expect(ans.answers?.map((a) => `${a.type} ${a.name} ${(a as { data: string }).data}`)).toEqual(['CNAME ext.default.svc.cluster.local db.example.test', 'A db.example.test 192.0.2.1']);
  });

  it('answers SERVFAIL when no upstream answers', async () => {
    const saved = upstreams;
    upstreams = [];
    try {
      expect(await askUdp('www.example.test')).toMatchObject({ rcode: 'SERVFAIL', answers: [] });
    } finally {
      upstreams = saved;
    }
  });
});
