// `port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT...`: listens on local ports and carries each
// accepted connection to the pod over pods/NAME/portforward, as kubectl does: one SPDY/3.1 session
// (inside a WebSocket `SPDY/3.1+portforward.k8s.io`, or a plain SPDY upgrade when that is refused
// or KUBECTL_PORT_FORWARD_WEBSOCKETS=false), two streams per connection (`error`, read only, and
// `data`). A Service's port is translated to its pod's target port. Runs until SIGINT/SIGTERM, or
// until a forwarded connection fails ("lost connection to pod", exit 1).
import { SpdyConnection } from '@mini-kube/machinery';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import type { Ctx } from '../context.js';
import { CliError, serverError } from '../errors.js';
import { readAll, type Connection } from '../http.js';
import { socketURL } from '../streaming/connect.js';
import { resolvePod } from '../streaming/pod-target.js';

interface PortForwardFlags {
  address?: string;
}

export interface PortPair {
  local: number; // 0: any free port
  remote: number;
}

const container = (pod: any): any[] => pod.spec?.containers ?? [];

/** A container port of the pod by name (kubectl's convertPodNamedPortToNumber). */
function namedPort(pod: any, name: string): number {
  for (const c of container(pod)) for (const p of c.ports ?? []) if (p.name === name) return p.containerPort;
  throw new CliError(`Pod '${pod.metadata?.name}' does not have a named port '${name}'`);
}

function portNumber(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535 || (n < 1 && what === 'remote')) throw new CliError(`Error parsing ${what} port '${text}': invalid port`);
  return n;
}

/** The container port a Service port leads to in `pod` (LookupContainerPortNumberByServicePort). */
export function serviceTargetPort(svc: any, pod: any, servicePort: string): number {
  const port = (svc.spec?.ports ?? []).find((p: any) => String(p.port) === servicePort || p.name === servicePort);
  if (!port) throw new CliError(`Service ${svc.metadata?.name} does not have a service port ${servicePort}`);
  const target = port.targetPort;
  if (target === undefined || target === 0 || target === '') return port.port;
  return typeof target === 'number' || /^\d+$/.test(target) ? Number(target) : namedPort(pod, target);
}

/** `[LOCAL:]REMOTE` specs to port pairs; `svc` maps remote ports through the Service's target ports. */
export function parsePorts(specs: string[], pod: any, svc?: any): PortPair[] {
  return specs.map((spec) => {
    const parts = spec.split(':');
    if (parts.length > 2) throw new CliError(`invalid port format '${spec}'`);
    const [localText, remoteText] = parts.length === 2 ? (parts as [string, string]) : [spec, spec];
    let remote: number;
    if (svc) remote = serviceTargetPort(svc, pod, remoteText);
    else remote = /^\d+$/.test(remoteText) ? portNumber(remoteText, 'remote') : namedPort(pod, remoteText);
    // A bare name or a Service port: the local port is the number named (kubectl's splitPort).
    const local = localText === '' ? 0 : /^\d+$/.test(localText) ? portNumber(localText, 'local') : remote;
    return { local, remote };
  });
}

/** The addresses `--address` names: `localhost` is both loopbacks. */
export function listenAddresses(address = 'localhost'): string[] {
  return address.split(',').flatMap((a) => (a.trim() === 'localhost' ? ['127.0.0.1', '::1'] : [a.trim()]));
}

const TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/** The kubeconfig's credentials and TLS settings, as request options. */
async function requestOptions(conn: Connection): Promise<{ headers: Record<string, string>; tls: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'User-Agent': 'mini-kubectl/v1.32.4' };
  if (conn.token) headers.Authorization = `Bearer ${conn.token}`;
  else if (conn.username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${conn.username}:${conn.password ?? ''}`).toString('base64')}`;
  if (!conn.server.startsWith('https:')) return { headers, tls: {} };
  const { rootCertificates } = await import('node:tls');
  const extra = process.env.MINI_KUBECTL_EXTRA_CA_CERTS;
  const ca = conn.ca ?? (extra ? [...rootCertificates, readFileSync(extra, 'utf8')] : undefined);
  return { headers, tls: { ca, cert: conn.cert, key: conn.key, rejectUnauthorized: !conn.insecure, servername: conn.tlsServerName } };
}

const asBuffer = (m: RawData): Buffer => (Buffer.isBuffer(m) ? m : Array.isArray(m) ? Buffer.concat(m) : Buffer.from(m));

/**
 * The WebSocket tunnel, as a byte stream (each write one binary message). `ws` only accepts token
 * characters in subprotocols, so the header is set by hand and the server's echo checked here.
 */
async function openTunnel(conn: Connection, path: string, what: { resource: string; name: string }): Promise<Duplex> {
  const { headers, tls } = await requestOptions(conn);
  const ws = new WebSocket(socketURL(conn.server, path), [], { perMessageDeflate: false, headers: { ...headers, 'Sec-WebSocket-Protocol': TUNNEL_PROTOCOL }, ...tls });
  const stream = new Duplex({
    read: () => undefined,
    write: (chunk: Buffer, _enc, cb) => ws.send(chunk, { binary: true }, cb),
    final: (cb) => (ws.close(1000), cb()),
    destroy: (err, cb) => (ws.terminate(), cb(err)),
  });
  ws.on('message', (m) => stream.push(asBuffer(m)));
  ws.on('close', () => stream.push(null));
  return new Promise((resolve, reject) => {
    ws.on('upgrade', (res: IncomingMessage) => {
      const chosen = res.headers['sec-websocket-protocol'];
      delete res.headers['sec-websocket-protocol'];
      if (chosen !== TUNNEL_PROTOCOL) ws.terminate();
    });
    ws.once('open', () => resolve(stream));
    ws.once('unexpected-response', (req, res: IncomingMessage) => {
      void readAll(res)
        .then((body) => reject(serverError(res.statusCode ?? 500, body, { verb: 'GET', ...what })), reject)
        .finally(() => req.destroy());
    });
    ws.on('error', (err) => (stream.destroy(), reject(err)));
  });
}

/** kubectl's fallback: POST with `Upgrade: SPDY/3.1`; resolves with the upgraded socket. */
async function spdyUpgrade(conn: Connection, path: string, what: { resource: string; name: string }): Promise<Duplex> {
  const url = new URL(socketURL(conn.server, path).replace(/^ws/, 'http'));
  const { headers, tls } = await requestOptions(conn);
  Object.assign(headers, { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io', 'Content-Length': '0' });
  const lib = url.protocol === 'https:' ? await import('node:https') : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method: 'POST', headers, ...tls });
    req.on('upgrade', (_res, socket, head) => {
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    req.on('response', (res: IncomingMessage) => void readAll(res).then((body) => reject(serverError(res.statusCode ?? 500, body, { verb: 'POST', ...what })), reject));
    req.on('error', reject);
    req.end();
  });
}

/** The SPDY transport to pods/NAME/portforward: the WebSocket tunnel, else a plain SPDY upgrade. */
export async function connectPortForward(conn: Connection, path: string, what: { resource: string; name: string }): Promise<Duplex> {
  if (process.env.KUBECTL_PORT_FORWARD_WEBSOCKETS !== 'false') {
    try {
      return await openTunnel(conn, path, what);
    } catch {
      // Refused: fall back to SPDY, as kubectl does; its answer is the one reported.
    }
  }
  try {
    return await spdyUpgrade(conn, path, what);
  } catch (err) {
    throw new CliError(`error upgrading connection: ${(err as Error).message}`);
  }
}

/** A klog error line, as kubectl's runtime.HandleError prints it. */
function klogError(message: string): string {
  const d = new Date();
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const stamp = `${pad(d.getMonth() + 1)}${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds() * 1000, 6)}`;
  return `E${stamp} ${String(process.pid).padStart(7)} portforward.go:424] "Unhandled Error" err=${JSON.stringify(message)}\n`;
}

/** Carries one local connection over a fresh error/data stream pair; resolves with the remote error, if any. */
async function forward(spdy: SpdyConnection, socket: Socket, pair: PortPair, requestId: number): Promise<string> {
  const headers = { streamType: 'error', port: String(pair.remote), requestID: String(requestId) };
  const errorStream = await spdy.openStream(headers);
  errorStream.end(); // kubectl never writes on it
  const chunks: Buffer[] = [];
  errorStream.on('data', (c: Buffer) => chunks.push(c));
  const errorText = new Promise<string>((resolve) => errorStream.on('close', () => resolve(Buffer.concat(chunks).toString('utf8'))));
  const data = await spdy.openStream({ ...headers, streamType: 'data' });
  data.on('error', () => socket.destroy());
  socket.on('error', () => data.destroy());
  socket.pipe(data);
  data.pipe(socket);
  await new Promise<void>((resolve) => data.on('close', resolve));
  const message = await errorText;
  return message ? `an error occurred forwarding ${pair.local} -> ${pair.remote}: ${message}` : '';
}

export async function run(ctx: Ctx, args: string[], opts: PortForwardFlags): Promise<number> {
  if (args.length < 2) throw new CliError('TYPE/NAME and list of ports are required for port-forward');
  const [target, ...specs] = args as [string, ...string[]];
  const pod = await resolvePod(ctx, target);
  const svc = /^(svc|service|services)\//.test(target) ? await ctx.http.json('GET', `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/services/${encodeURIComponent(target.split('/')[1]!)}`) : undefined;
  const pairs = parsePorts(specs, pod, svc);
  if (pod.status?.phase !== 'Running') throw new CliError(`unable to forward port because pod is not running. Current status=${pod.status?.phase}`);
  const name = pod.metadata.name as string;
  const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace ?? ctx.namespace)}/pods/${encodeURIComponent(name)}/portforward`;
  const spdy = new SpdyConnection(await connectPortForward(ctx.http.conn, path, { resource: 'pods', name }), { server: false });

  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  let requestId = 0;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const lost = (message?: string): void => {
    if (message) ctx.err(klogError(message));
    ctx.err('error: lost connection to pod\n');
    finish(1);
  };
  spdy.on('close', () => lost());
  for (const pair of pairs) {
    let bound = false;
    for (const host of listenAddresses(opts.address)) {
      const server = createServer({ allowHalfOpen: true }, (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        ctx.out(`Handling connection for ${pair.local}\n`);
        forward(spdy, socket, pair, requestId++).then(
          (message) => message && lost(message),
          (err: Error) => (socket.destroy(), lost(err.message)),
        );
      });
      const ok = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(pair.local, host, () => resolve(true));
      });
      if (!ok) continue;
      servers.push(server);
      if (pair.local === 0) pair.local = (server.address() as { port: number }).port;
      bound = true;
      ctx.out(`Forwarding from ${host.includes(':') ? `[${host}]` : host}:${pair.local} -> ${pair.remote}\n`);
    }
    if (!bound) {
      spdy.destroy();
      throw new CliError(`unable to listen on any of the requested ports: [{${pair.local} ${pair.remote}}]`);
    }
  }
  const stop = (): void => finish(0);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await done;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  spdy.removeAllListeners('close');
  for (const server of servers) server.close();
  for (const socket of sockets) socket.destroy();
  spdy.destroy();
  return code;
}
