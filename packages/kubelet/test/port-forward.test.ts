// The kubelet's /portForward endpoint in process: a node:http server with the upgrade handler, a
// pod whose IP is 127.0.0.1 and a TCP server standing in for the pod's port.
import type { Pod } from 'kubernetes-types/core/v1';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialErrorText, portForwardUpgradeHandler } from '../src/server/port-forward.js';

const POD: Pod = { metadata: { name: 'web', namespace: 'default', uid: 'u-1' }, status: { phase: 'Running', podIP: '127.0.0.1' } };
const NO_IP: Pod = { metadata: { name: 'pending', namespace: 'default', uid: 'u-2' }, status: { phase: 'Pending' } };

describe('kubelet port-forward', () => {
  let kubelet: Server;
  let echo: TcpServer;
  let closedPort: number;
  const base = (): string => `http://127.0.0.1:${(kubelet.address() as AddressInfo).port}`;

  beforeAll(async () => {
    const pods: Record<string, Pod> = { 'default/web': POD, 'default/pending': NO_IP };
    const handler = portForwardUpgradeHandler({ getPod: (ns, name) => pods[`${ns}/${name}`] });
    kubelet = createServer((_req, res) => res.writeHead(404).end());
    kubelet.on('upgrade', (req, socket, head) => handler(req, socket, head) || socket.destroy());
    echo = createTcpServer({ allowHalfOpen: true }, (s) => s.pipe(s));
    const spare = createTcpServer();
    await Promise.all([kubelet, echo, spare].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    closedPort = (spare.address() as AddressInfo).port;
    await new Promise((r) => spare.close(r));
  });

  afterAll(async () => {
    kubelet.closeAllConnections();
    await Promise.all([kubelet, echo].map((s) => new Promise((r) => s.close(r))));
  });

  /** The upgrade: the socket on 101, else the refused response's status and body. */
  function upgrade(path: string): Promise<{ socket?: Duplex; status?: number; body?: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${base()}${path}`, { headers: { Connection: 'Upgrade', Upgrade: 'tcp' } });
      req.on('upgrade', (_res, socket) => resolve({ socket }));
      req.on('response', (res: IncomingMessage) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('switches protocols and carries bytes both ways to the pod port', async () => {
    const { socket } = await upgrade(`/portForward/default/web?port=${(echo.address() as AddressInfo).port}`);
    expect(socket).toBeDefined();
    const chunks: Buffer[] = [];
    socket!.on('data', (c: Buffer) => chunks.push(c));
    const ended = once(socket!, 'end');
    socket!.end('ping through the kubelet');
    await ended;
    expect(Buffer.concat(chunks).toString()).toBe('ping through the kubelet');
    (socket as Socket).destroy();
  });

  it('answers a refused connection with the kubelet-like message', async () => {
    const reply = await upgrade(`/portForward/default/web?port=${closedPort}`);
    expect(reply.status).toBe(500);
    expect(JSON.parse(reply.body!)).toMatchObject({
      kind: 'Status',
      message: `error forwarding port ${closedPort} to pod u-1, uid : failed to connect to 127.0.0.1:${closedPort} inside pod "default/web": dial tcp4 127.0.0.1:${closedPort}: connect: connection refused`,
    });
  });

  it.each([
    ['/portForward/default/nope?port=80', 404, 'pods "nope" not found'],
    ['/portForward/default/pending?port=80', 400, 'pod default/pending has no IP yet'],
    ['/portForward/default/web?port=0', 400, 'invalid port "0"'],
    ['/portForward/default/web', 400, 'invalid port ""'],
  ])('%s → %i', async (path, status, message) => {
    const reply = await upgrade(path);
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.body!).message).toBe(message);
  });

  it('words dial errors as Go does', () => {
    expect(dialErrorText('10.0.0.1', 80, Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('dial tcp4 10.0.0.1:80: connect: connection refused');
    expect(dialErrorText('10.0.0.1', 80, Object.assign(new Error('weird'), { code: 'EWHAT' }))).toBe('dial tcp4 10.0.0.1:80: weird');
  });
});
