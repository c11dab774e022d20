// The proxy against real sockets and a real in-process API server: tiny TCP backends on loopback
// addresses stand in for pods (hand-made EndpointSlices point at them). Each backend greets a new
// connection with its name, then echoes.
import { setMaxListeners } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findResource, type KObject } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { openStore } from '@mini-kube/store';
import { waitFor } from '@mini-kube/testing';
import { ServiceProxy } from '../src/proxy.js';

const SERVICES = findResource('', 'v1', 'services')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;

// A block of loopback addresses of its own, so parallel test files do not collide.
const block = 150 + Math.floor(Math.random() * 50);
const backendIp = (n: number) => `127.${block}.1.${n}`;

let server: ApiServer;
let client: ApiClient;
let abort: AbortController;
let proxy: ServiceProxy;
let running: Promise<void>;
const backends: Server[] = [];

beforeEach(async () => {
  server = new ApiServer({ store: await openStore('memory'), serviceCIDR: `127.${block}.0.0/24` });
  client = new ApiClient({ server: `http://${await server.listen('127.0.0.1', 0)}` });
  abort = new AbortController();
  setMaxListeners(20, abort.signal);
  proxy = new ServiceProxy({ client, signal: abort.signal, nodeAddresses: [`127.${block}.2.1`], loadBalancerCIDR: `127.${block}.200.0/24` });
  running = proxy.run();
  for (const n of [1, 2, 3]) backends.push(await backend(`pod-${n}`, backendIp(n)));
});

afterEach(async () => {
  abort.abort();
  await running;
  await Promise.all(backends.splice(0).map((b) => new Promise((r) => b.close(r))));
  await client.close();
  await server.close();
});

async function backend(name: string, ip: string): Promise<Server> {
  const s = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.write(`${name}\n`);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => s.listen(9000, ip, resolve));
  return s;
}

/** Connects and reads the greeting line: the name of the backend that answered. */
function connect(host: string, port: number): Promise<{ name: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before a greeting')));
    socket.once('data', (line: string) => resolve({ name: line.trim(), socket }));
  });
}

async function ask(host: string, port: number): Promise<string> {
  const { name, socket } = await connect(host, port);
  socket.destroy();
  return name;
}

async function createService(name: string, spec: Record<string, unknown>): Promise<KObject & { spec: { clusterIP: string; ports: { nodePort?: number }[] } }> {
  return (await client.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ name: 'tcp', port: 80, targetPort: 9000 }], ...spec } })) as never;
}

const endpointSlice = (service: string, ports: number[], extra: { ip: string; port?: number }[] = []) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${service}-abc`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  ports: [{ name: 'tcp', port: 9000, protocol: 'TCP' }],
  endpoints: [...ports.map((n) => ({ addresses: [backendIp(n)], conditions: { ready: true } })), ...extra.map((e) => ({ addresses: [e.ip], conditions: { ready: true } }))],
});

const counts = (names: string[]) => names.reduce<Record<string, number>>((acc, n) => ({ ...acc, [n]: (acc[n] ?? 0) + 1 }), {});

describe('service proxy', () => {
  it('spreads connections over the endpoints, skips a refusing one, and keeps established connections when endpoints change', async () => {
    const svc = await createService('web', {});
    // A fourth endpoint nobody listens on: its connections are refused and retried on another.
    await client.create(SLICES, endpointSlice('web', [1, 2, 3], [{ ip: backendIp(9) }]));
    const ip = svc.spec.clusterIP;
    await waitFor(() => ask(ip, 80).catch(() => undefined), { message: 'the cluster IP answering' });

    const names = [];
    for (let i = 0; i < 30; i++) names.push(await ask(ip, 80));
    const spread = counts(names);
    expect(Object.keys(spread).sort()).toEqual(['pod-1', 'pod-2', 'pod-3']);
    for (const n of Object.values(spread)) expect(n).toBeGreaterThanOrEqual(7);

    const established = await connect(ip, 80);
    const gone = established.name;
    const keep = [1, 2, 3].filter((n) => `pod-${n}` !== gone);
    const stored = await client.get(SLICES, 'web-abc', { namespace: 'default' });
    await client.update(SLICES, { ...stored, ...endpointSlice('web', keep), metadata: stored.metadata });
    await waitFor(async () => {
      const later = await Promise.all(Array.from({ length: 6 }, () => ask(ip, 80)));
      return !later.includes(gone);
    }, { message: `${gone} out of the rotation` });
    for (let i = 0; i < 10; i++) expect(await ask(ip, 80)).not.toBe(gone);

    const echoed = new Promise<string>((resolve) => established.socket.once('data', (d: string) => resolve(d)));
    established.socket.write('still here\n');
    expect(await echoed).toBe('still here\n');
    established.socket.destroy();

    await client.delete(SERVICES, 'web', { namespace: 'default' });
    await waitFor(() => ask(ip, 80).then(() => false, (err: NodeJS.ErrnoException) => err.code === 'ECONNREFUSED'), { message: 'the listener closed' });
  });

  it('deleting a Service with a connection still open closes its listener at once and holds up no other change', async () => {
    const old = await createService('old', {});
    await client.create(SLICES, endpointSlice('old', [1]));
    await waitFor(() => ask(old.spec.clusterIP, 80).catch(() => undefined), { message: 'the old Service answering' });
    const established = await connect(old.spec.clusterIP, 80);

    await client.delete(SERVICES, 'old', { namespace: 'default' });
    await waitFor(() => ask(old.spec.clusterIP, 80).then(() => false, (err: NodeJS.ErrnoException) => err.code === 'ECONNREFUSED'), { message: 'the old listener closed' });
    const fresh = await createService('fresh', {});
    await client.create(SLICES, endpointSlice('fresh', [2]));
    expect(await waitFor(() => ask(fresh.spec.clusterIP, 80).catch(() => undefined), { message: 'the new Service answering' })).toBe('pod-2');

    // The connection made before the delete still works, as a conntrack entry would.
    const echoed = new Promise<string>((resolve) => established.socket.once('data', (d: string) => resolve(d)));
    established.socket.write('still here\n');
    expect(await echoed).toBe('still here\n');
    established.socket.destroy();
  });

  it('opens a listener whose address was taken once it is free again', async () => {
    const clusterIP = `127.${block}.0.50`;
    const squatter = createServer((socket) => socket.end('squatter\n'));
    await new Promise<void>((resolve) => squatter.listen(80, clusterIP, resolve));
    await createService('late', { clusterIP });
    await client.create(SLICES, endpointSlice('late', [3]));
    expect(await ask(clusterIP, 80)).toBe('squatter');
    await new Promise((resolve) => squatter.close(resolve));
    expect(await waitFor(() => ask(clusterIP, 80).catch(() => undefined), { timeoutMs: 10_000, message: 'the proxy on the freed address' })).toBe('pod-3');
  });

  it('sessionAffinity ClientIP keeps a client on one backend', async () => {
    const svc = await createService('sticky', { sessionAffinity: 'ClientIP' });
    await client.create(SLICES, endpointSlice('sticky', [1, 2, 3]));
    const ip = svc.spec.clusterIP;
    await waitFor(() => ask(ip, 80).catch(() => undefined));
    const names = [];
    for (let i = 0; i < 10; i++) names.push(await ask(ip, 80));
    expect(new Set(names).size).toBe(1);
  });

  it('serves a NodePort on the node address and 127.0.0.1, and a LoadBalancer on the address it writes to status', async () => {
    const nodePort = 30000 + Math.floor(Math.random() * 2700);
    await createService('lb', { type: 'LoadBalancer', ports: [{ name: 'tcp', port: 80, targetPort: 9000, nodePort }] });
    await client.create(SLICES, endpointSlice('lb', [2]));
    const lbIp = await waitFor(async () => {
      const s = await client.get(SERVICES, 'lb', { namespace: 'default' });
      return (s.status as { loadBalancer?: { ingress?: { ip: string }[] } }).loadBalancer?.ingress?.[0]?.ip;
    }, { message: 'an ingress address in status' });
    expect(lbIp).toBe(`127.${block}.200.1`);
    await waitFor(() => ask(lbIp, 80).catch(() => undefined), { message: 'the LoadBalancer address answering' });
    expect(await ask(lbIp, 80)).toBe('pod-2');
    expect(await ask(`127.${block}.2.1`, nodePort)).toBe('pod-2');
    expect(await ask('127.0.0.1', nodePort)).toBe('pod-2');
  });
});
