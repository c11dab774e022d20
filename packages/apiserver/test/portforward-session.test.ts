// The API server's port-forward session in process: a real SPDY client (machinery) over a loopback
// socket pair, and a dialer that reaches a local TCP echo server (or fails as the kubelet would).
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SpdyConnection, type SpdyStream } from '@mini-kube/machinery';
import { parsePort, requestKey, servePortForward, type PortDialer } from '../src/portforward/session.js';

describe('port-forward stream pairing', () => {
  it.each([
    [{ id: 1, headers: { streamtype: 'error', requestid: '7' } }, '7'],
    [{ id: 3, headers: { streamtype: 'data', requestid: '7' } }, '7'],
    [{ id: 5, headers: { streamtype: 'error' } }, '#5'],
    [{ id: 7, headers: { streamtype: 'data' } }, '#5'],
    [{ id: 9, headers: { streamtype: 'other' } }, undefined],
  ])('requestKey(%o) is %s', (stream, key) => expect(requestKey(stream)).toBe(key));

  it.each([
    ['80', 80],
    ['65535', 65535],
    [undefined, 'port header is missing'],
    ['0', 'invalid port "0"'],
    ['http', 'invalid port "http"'],
    ['70000', 'invalid port "70000"'],
  ])('parsePort(%s) is %s', (text, want) => expect(parsePort(text)).toBe(want));
});

describe('port-forward session', () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  async function listen(onConnection: (s: Socket) => void): Promise<number> {
    const server = createServer({ allowHalfOpen: true }, onConnection);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  /** A SPDY client whose server side is servePortForward(dial). */
  async function session(dial: PortDialer, timeoutMs?: number): Promise<SpdyConnection> {
    const server = createServer({ allowHalfOpen: true });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const socket = connect((server.address() as { port: number }).port, '127.0.0.1');
    const [serverSocket] = await accepted;
    sockets.push(socket, serverSocket);
    servePortForward(serverSocket, dial, timeoutMs);
    return new SpdyConnection(socket, { server: false });
  }

  const text = async (s: SpdyStream): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const c of s) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString();
  };

  async function pair(client: SpdyConnection, port: string, requestId: string): Promise<{ error: SpdyStream; data: SpdyStream }> {
    const error = await client.openStream({ streamType: 'error', port, requestID: requestId });
    error.end();
    const data = await client.openStream({ streamType: 'data', port, requestID: requestId });
    return { error, data };
  }

  it('pipes each pair to the dialled port; the streams end when the pod connection does', async () => {
    const echoPort = await listen((s) => s.pipe(s));
    const dialled: number[] = [];
    const client = await session(async (port) => {
      dialled.push(port);
      const s = connect({ port: echoPort, host: '127.0.0.1', allowHalfOpen: true });
      sockets.push(s);
      await once(s, 'connect');
      return s;
    });
    const [a, b] = await Promise.all([pair(client, '80', '0'), pair(client, '8080', '1')]);
    const answers = Promise.all([text(a.data), text(b.data), text(a.error), text(b.error)]);
    a.data.end('first');
    b.data.end('second');
    expect(await answers).toEqual(['first', 'second', '', '']);
    expect(dialled.sort()).toEqual([80, 8080]);
  });

  it('writes a failed dial on the error stream and closes the data stream', async () => {
    const client = await session(() => Promise.reject(new Error('error forwarding port 81 to pod x, uid : connection refused')));
    const { error, data } = await pair(client, '81', '0');
    const [message, body] = await Promise.all([text(error), text(data)]);
    expect(message).toBe('error forwarding port 81 to pod x, uid : connection refused');
    expect(body).toBe('');
  });

  it('reports an invalid port and refuses a stream of another type', async () => {
    const client = await session(() => Promise.reject(new Error('not dialled')));
    const { error } = await pair(client, 'http', '0');
    expect(await text(error)).toBe('invalid port "http"');
    await expect(client.openStream({ streamType: 'other', requestID: '1' })).rejects.toThrow(/reset/);
  });

  it('gives up on a pair whose data stream never comes', async () => {
    const client = await session(() => Promise.reject(new Error('not dialled')), 100);
    const error = await client.openStream({ streamType: 'error', port: '80', requestID: '5' });
    error.end();
    expect(await text(error)).toBe('timed out waiting for the data stream of request 5');
  });
});
