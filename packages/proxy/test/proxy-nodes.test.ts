// NodePorts follow the Nodes when the proxy is not given node addresses: a node that appears gets
// the NodePort on its InternalIP, one that goes loses it. A real in-process API server; a tiny TCP
// backend on loopback stands in for the pod.
import { setMaxListeners } from 'node:events';
import { createConnection, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResource } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { openStore } from '@mini-kube/store';
import { waitFor } from '@mini-kube/testing';
import { ServiceProxy } from '../src/proxy.js';

const SERVICES = findResource('', 'v1', 'services')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
const NODES = findResource('', 'v1', 'nodes')!;

const block = 150 + Math.floor(Math.random() * 50);
const nodeIp = (n: number) => `127.${block}.3.${n}`;

let server: ApiServer;
let client: ApiClient;
let abort: AbortController;
let running: Promise<void>;
let backend: Server;

beforeAll(async () => {
  server = new ApiServer({ store: await openStore('memory'), serviceCIDR: `127.${block}.0.0/24` });
  client = new ApiClient({ server: `http://${await server.listen('127.0.0.1', 0)}` });
  abort = new AbortController();
  setMaxListeners(20, abort.signal);
  running = new ServiceProxy({ client, signal: abort.signal, loadBalancerCIDR: `127.${block}.200.0/24` }).run();
  backend = createServer((socket) => socket.end('pod-1\n'));
  await new Promise<void>((resolve) => backend.listen(9000, `127.${block}.1.1`, resolve));
});

afterAll(async () => {
  abort.abort();
  await running;
  await new Promise((r) => backend.close(r));
  await client.close();
  await server.close();
});

/** The greeting of whatever answers on host:port, or the error code. */
function ask(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (data += d));
    socket.once('end', () => resolve(data.trim()));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

async function addNode(n: number): Promise<void> {
  const node = await client.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}` } });
  await client.updateStatus(NODES, { ...node, status: { addresses: [{ type: 'InternalIP', address: nodeIp(n) }] } });
}

describe('NodePorts on the Nodes’ addresses', () => {
  it('listens on the InternalIP of each Node as Nodes come and go', async () => {
    const nodePort = 30000 + Math.floor(Math.random() * 2700);
    await addNode(1);
    await client.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ name: 'tcp', port: 80, targetPort: 9000, nodePort }] } });
    await client.create(SLICES, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      ports: [{ name: 'tcp', port: 9000, protocol: 'TCP' }],
      endpoints: [{ addresses: [`127.${block}.1.1`], conditions: { ready: true } }],
    });
    await waitFor(async () => (await ask(nodeIp(1), nodePort)) === 'pod-1', { message: 'the NodePort on node 1' });
    expect(await ask(nodeIp(2), nodePort)).toBe('ECONNREFUSED');

    await addNode(2);
    await waitFor(async () => (await ask(nodeIp(2), nodePort)) === 'pod-1', { message: 'the NodePort on node 2' });
    await client.delete(NODES, 'node-1');
    await waitFor(async () => (await ask(nodeIp(1), nodePort)) === 'ECONNREFUSED', { message: 'the NodePort gone from node 1' });
    expect(await ask('127.0.0.1', nodePort)).toBe('pod-1');
  });
});
