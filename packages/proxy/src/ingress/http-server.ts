// The Ingress listener: an HTTP server that routes each request by host and path to a ready
// endpoint of the backend Service and relays the response as it streams; Upgrade requests
// (websockets) are relayed as raw byte streams once the backend accepts them.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createConnection, type AddressInfo, type Socket } from 'node:net';
import { Balancer } from '../balancer.js';
import type { Backend } from '../plan.js';
import { refKey } from './backends.js';
import { matchRoute, type RoutingTable, type ServiceRef } from './routes.js';

/** Routes plus the endpoints of each backend (by `refKey`). */
export interface IngressConfig {
  table: RoutingTable;
  endpoints: Map<string, Backend[]>;
}

type Target = { backend: Backend } | { status: 404 | 503 };

export class IngressServer {
  private readonly server: Server;
  private config: IngressConfig = { table: { routes: [] }, endpoints: new Map() };
  private readonly balancers = new Map<string, Balancer>();
  private readonly sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((req, res) => this.relay(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.tunnel(req, socket, head));
    this.server.on('connection', (s: Socket) => this.track(s));
  }

  update(config: IngressConfig): void {
    this.config = config;
    for (const key of this.balancers.keys()) if (!config.endpoints.has(key)) this.balancers.delete(key);
    for (const [key, backends] of config.endpoints) {
      const balancer = this.balancers.get(key) ?? new Balancer(undefined);
      balancer.update(backends, undefined);
      this.balancers.set(key, balancer);
    }
  }

  /** Listens on `host:port` (port 0 for any); resolves to the bound address. */
  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port, exclusive: true }, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops listening and cuts every open connection. */
  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    return closed;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private target(req: IncomingMessage): Target {
    const ref: ServiceRef | undefined = matchRoute(this.config.table, req.headers.host ?? '', req.url ?? '/');
    if (!ref) return { status: 404 };
    const backend = this.balancers.get(refKey(ref))?.pick(req.socket.remoteAddress ?? '');
    return backend ? { backend } : { status: 503 };
  }

  private relay(req: IncomingMessage, res: ServerResponse): void {
    const target = this.target(req);
    if ('status' in target) return void res.writeHead(target.status, { 'content-type': 'text/plain' }).end(target.status === 404 ? 'default backend - 404\n' : 'no endpoints available for service\n');
    const upstream = request(
      { host: target.backend.ip, port: target.backend.port, method: req.method, path: req.url, headers: forwardedHeaders(req) },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway\n');
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  private tunnel(req: IncomingMessage, client: Socket, head: Buffer): void {
    client.on('error', () => client.destroy());
    const target = this.target(req);
    if ('status' in target) return void client.end(`HTTP/1.1 ${target.status} ${target.status === 404 ? 'Not Found' : 'Service Unavailable'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    const upstream = createConnection({ host: target.backend.ip, port: target.backend.port });
    this.track(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.once('connect', () => {
      // Replays the request head as received; the backend's 101 and everything after flow back raw.
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      const headers = forwardedHeaders(req);
      for (const [name, value] of Object.entries(headers)) for (const v of [value].flat()) if (v !== undefined) lines.push(`${name}: ${v}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }
}

/** The request's headers plus the X-Forwarded-* ones a reverse proxy adds. */
function forwardedHeaders(req: IncomingMessage): Record<string, string | string[] | undefined> {
  const remote = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  return {
    ...req.headers,
    'x-forwarded-for': prior ? `${prior}, ${remote}` : remote,
    'x-forwarded-host': req.headers.host,
    'x-forwarded-proto': 'http',
  };
}
