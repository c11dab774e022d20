// mini-kubectl port-forward: port specs, Service → target port translation, addresses (pure), and
// the transport against a local server: the WebSocket tunnel, the SPDY fallback, a refusal.
import { SpdyConnection } from '@mini-kube/machinery';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { connectPortForward, listenAddresses, parsePorts, serviceTargetPort } from '../src/commands/port-forward.js';

const POD = { metadata: { name: 'web-1' }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }] } };
const SVC = {
  metadata: { name: 'web' },
  spec: {
    ports: [
      { name: 'web', port: 80, targetPort: 'http' },
      { name: 'admin', port: 81, targetPort: 9000 },
      { name: 'same', port: 82 },
      { name: 'text', port: 83, targetPort: '7000' },
    ],
  },
};

describe('port-forward ports', () => {
  it.each([
    [['8080'], [{ local: 8080, remote: 8080 }]],
    [['18080:80'], [{ local: 18080, remote: 80 }]],
    [[':80'], [{ local: 0, remote: 80 }]],
    [['http'], [{ local: 8080, remote: 8080 }]],
    [['9999:metrics', ':http'], [{ local: 9999, remote: 9090 }, { local: 0, remote: 8080 }]],
  ])('pod %j → %j', (specs, want) => expect(parsePorts(specs, POD)).toEqual(want));

  it.each([
    [['80'], [{ local: 80, remote: 8080 }]],
    [['18080:80'], [{ local: 18080, remote: 8080 }]],
    [[':web'], [{ local: 0, remote: 8080 }]],
    [['5000:81'], [{ local: 5000, remote: 9000 }]],
    [['82'], [{ local: 82, remote: 82 }]],
    [['83'], [{ local: 83, remote: 7000 }]],
  ])('service %j → %j', (specs, want) => expect(parsePorts(specs, POD, SVC)).toEqual(want));

  it.each([
    [['1:2:3'], POD, undefined, "invalid port format '1:2:3'"],
    [['nope'], POD, undefined, "Pod 'web-1' does not have a named port 'nope'"],
    [['70000'], POD, undefined, "Error parsing remote port '70000': invalid port"],
    [['99'], POD, SVC, 'Service web does not have a service port 99'],
  ])('%j is refused', (specs, pod, svc, message) => expect(() => parsePorts(specs, pod, svc)).toThrow(message));

  it('looks a named target port up in the pod', () => {
    expect(serviceTargetPort(SVC, POD, 'web')).toBe(8080);
    expect(() => serviceTargetPort(SVC, { metadata: { name: 'bare' }, spec: { containers: [{}] } }, '80')).toThrow("Pod 'bare' does not have a named port 'http'");
  });

  it.each([
    [undefined, ['127.0.0.1', '::1']],
    ['localhost', ['127.0.0.1', '::1']],
    ['0.0.0.0', ['0.0.0.0']],
    ['127.0.0.2, localhost', ['127.0.0.2', '127.0.0.1', '::1']],
  ])('--address %s listens on %j', (address, want) => expect(listenAddresses(address)).toEqual(want));
});

describe('port-forward transport', () => {
  let server: Server;
  let refuseWebSocket = false;
  const seen: string[] = [];
  const PATH = '/api/v1/namespaces/default/pods/web/portforward';

  /** Each stream the client opens is answered with its own `port` header as data. */
  const serve = (transport: Duplex): void => void new SpdyConnection(transport, { server: true, onStream: (s) => (s.reply(), s.end(`port ${s.headers.port}`), s.resume()) });

  beforeAll(async () => {
    const wss = new WebSocketServer({ noServer: true });
    wss.on('headers', (headers) => headers.push('Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io'));
    server = createServer();
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      seen.push(`${req.method} ${req.headers.upgrade} ${req.headers['sec-websocket-protocol'] ?? req.headers['x-stream-protocol-version']}`);
      if (req.headers.upgrade === 'websocket') {
        if (refuseWebSocket) return void socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
        delete req.headers['sec-websocket-protocol'];
        return wss.handleUpgrade(req, socket, head, (ws) => serve(createWebSocketStream(ws)));
      }
      if (req.url !== PATH) {
        const body = JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'pods "gone" not found' });
        return void socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      }
      socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
      serve(socket);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  async function roundTrip(path = PATH): Promise<string> {
    const conn = { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't0k' };
    const spdy = new SpdyConnection(await connectPortForward(conn, path, { resource: 'pods', name: 'web' }), { server: false });
    const stream = await spdy.openStream({ streamType: 'data', port: '80', requestID: '0' });
    stream.end();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    spdy.destroy();
    return Buffer.concat(chunks).toString();
  }

  it('speaks SPDY inside the WebSocket subprotocol SPDY/3.1+portforward.k8s.io', async () => {
    seen.length = 0;
    expect(await roundTrip()).toBe('port 80');
    expect(seen).toEqual(['GET websocket SPDY/3.1+portforward.k8s.io']);
  });

  it('falls back to a SPDY/3.1 upgrade when the WebSocket is refused, or when told to', async () => {
    seen.length = 0;
    refuseWebSocket = true;
    expect(await roundTrip()).toBe('port 80');
    refuseWebSocket = false;
    process.env.KUBECTL_PORT_FORWARD_WEBSOCKETS = 'false';
    try {
      expect(await roundTrip()).toBe('port 80');
    } finally {
      delete process.env.KUBECTL_PORT_FORWARD_WEBSOCKETS;
    }
    expect(seen).toEqual(['GET websocket SPDY/3.1+portforward.k8s.io', 'POST SPDY/3.1 portforward.k8s.io', 'POST SPDY/3.1 portforward.k8s.io']);
  });

  it('reports the refusal of both as kubectl does', async () => {
    refuseWebSocket = true;
    await expect(roundTrip('/api/v1/namespaces/default/pods/gone/portforward')).rejects.toThrow('error upgrading connection: pods "gone" not found');
    refuseWebSocket = false;
  });
});
