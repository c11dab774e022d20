// The Ingress listener against real sockets and a real in-process API server: two tiny HTTP
// backends on loopback addresses stand for pods (hand-made EndpointSlices point at them).
import { setMaxListeners } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findResource } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { openStore } from '@mini-kube/store';
import { waitFor } from '@mini-kube/testing';
import { IngressController } from '../src/ingress/controller.js';

const SERVICES = findResource('', 'v1', 'services')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
const INGRESSES = findResource('networking.k8s.io', 'v1', 'ingresses')!;
const CLASSES = findResource('networking.k8s.io', 'v1', 'ingressclasses')!;

const block = 150 + Math.floor(Math.random() * 50);
const podIp = (n: number) => `127.${block}.3.${n}`;

let server: ApiServer;
let client: ApiClient;
let abort: AbortController;
let controller: IngressController;
let running: Promise<void>;
const backends: Server[] = [];

/** A pod: answers `name path`, streams on /stream until the client sends `/release`, and accepts websocket-style upgrades (echo). */
async function backend(name: string, ip: string): Promise<Server> {
  let release: () => void = () => undefined;
  const s = createServer((req, res) => {
    if (req.url === '/b/stream') {
      res.writeHead(200);
      res.write('first\n');
      release = () => res.end('last\n');
      return;
    }
    if (req.url === '/b/release') release();
    res.end(`${name} ${req.url} ${req.headers['x-forwarded-for']}`);
  });
  s.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\n\r\n`);
    socket.write(`${name} upgraded\n`);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => s.listen(9000, ip, resolve));
  return s;
}

beforeEach(async () => {
  server = new ApiServer({ store: await openStore('memory'), serviceCIDR: `127.${block}.0.0/24` });
  client = new ApiClient({ server: `http://${await server.listen('127.0.0.1', 0)}` });
  abort = new AbortController();
  setMaxListeners(20, abort.signal);
  controller = new IngressController({ client, signal: abort.signal, listen: '127.0.0.1:0', log: () => undefined });
  running = controller.run();
  for (const n of [1, 2]) backends.push(await backend(`pod-${n}`, podIp(n)));
});

afterEach(async () => {
  abort.abort();
  await running;
  await Promise.all(backends.splice(0).map((b) => new Promise((r) => b.close(r))));
  await client.close();
  await server.close();
});

async function serviceWithPod(name: string, pod: number): Promise<void> {
  await client.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 9000 }] } });
  await client.create(SLICES, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-abc`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 9000, protocol: 'TCP' }],
    endpoints: [{ addresses: [podIp(pod)], conditions: { ready: true } }],
  });
}

function get(host: string, path: string): Promise<{ status: number; body: string }> {
  const { ip, port } = controller.listening!;
  return new Promise((resolve, reject) => {
    request({ host: ip, port, path, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject).end();
  });
}

const backend_ = (svc: string, port: number | string) => ({ service: { name: svc, port: typeof port === 'number' ? { number: port } : { name: port } } });

describe('ingress', () => {
  it('creates the default IngressClass, routes by host and path, answers 404 and 503, and writes its address to status', async () => {
    const cls = await waitFor(() => client.get(CLASSES, 'mini-kube').catch(() => undefined), { message: 'the IngressClass' });
    expect(cls.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class']).toBe('true');
    await serviceWithPod('svc-a', 1);
    await serviceWithPod('svc-b', 2);
    // No class name: the default class (ours) takes it.
    await client.create(INGRESSES, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        rules: [
          { host: 'a.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend_('svc-a', 80) }] } },
          { http: { paths: [{ path: '/b', pathType: 'Prefix', backend: backend_('svc-b', 'http') }, { path: '/down', pathType: 'Exact', backend: backend_('svc-none', 80) }] } },
        ],
      },
    });
    const { ip, port } = controller.listening!;
    const status = await waitFor(async () => {
      const ing = await client.get(INGRESSES, 'web', { namespace: 'default' });
      return (ing.status as { loadBalancer?: { ingress?: unknown[] } }).loadBalancer?.ingress;
    }, { message: 'the Ingress status' });
    expect(status).toEqual([{ ip, ports: [{ port, protocol: 'TCP' }] }]);

    await waitFor(async () => (await get('a.local', '/')).status === 200, { message: 'routes programmed' });
    expect((await get('a.local', '/x?y=1')).body).toBe('pod-1 /x?y=1 127.0.0.1');
    expect((await get('a.local:80', '/b')).body).toMatch(/^pod-1 /);
    expect((await get('other.local', '/b/c')).body).toMatch(/^pod-2 \/b\/c/);
    expect((await get('other.local', '/bc')).status).toBe(404);
    expect((await get('other.local', '/down')).status).toBe(503);
  });

  it('streams responses and passes websocket upgrades through', async () => {
    await serviceWithPod('svc-b', 2);
    await client.create(INGRESSES, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'ws', namespace: 'default' },
      spec: { ingressClassName: 'mini-kube', defaultBackend: backend_('svc-b', 80) },
    });
    await waitFor(async () => (await get('any', '/')).status === 200, { message: 'default backend programmed' });
    const { ip, port } = controller.listening!;

    // The first chunk arrives while the backend still holds the response open.
    const chunks: string[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      request({ host: ip, port, path: '/b/stream', agent: false }, (res) => {
        res.setEncoding('utf8').on('data', (d: string) => {
          chunks.push(d);
          if (chunks.length === 1) void get('any', '/b/release');
        });
        res.on('end', resolve);
      }).on('error', reject).end();
    });
    await ended;
    expect(chunks.join('')).toBe('first\nlast\n');
    expect(chunks[0]).toBe('first\n');

    const lines: string[] = [];
    const socket = await new Promise<Socket>((resolve, reject) => {
      request({ host: ip, port, path: '/chat', agent: false, headers: { connection: 'Upgrade', upgrade: 'websocket' } })
        .on('upgrade', (res: IncomingMessage, s: Socket, head: Buffer) => {
          // Bytes that came with the 101 are handed over here, not as socket data.
          lines.push(head.toString('utf8'));
          if (res.statusCode === 101) resolve(s);
          else reject(new Error(`status ${res.statusCode}`));
        })
        .on('error', reject)
        .end();
    });
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => lines.push(d));
    const got = (text: string) => waitFor(() => lines.join('').includes(text), { message: `'${text.trim()}' through the tunnel` });
    await got('pod-2 upgraded\n');
    socket.write('ping\n');
    await got('ping\n');
    expect(lines.join('')).toBe('pod-2 upgraded\nping\n');
    socket.destroy();
  });
});
