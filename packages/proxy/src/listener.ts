// One TCP listener of a Service port: each accepted connection is piped to a backend the balancer
// picks; a backend that refuses (or cannot be reached) is skipped for the next. Changing the
// backends affects new connections only: established ones keep their backend.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Balancer, backendId } from './balancer.js';
import type { ListenerSpec } from './plan.js';

const CONNECT_TIMEOUT_MS = 3_000;

export class ServiceListener {
  private readonly server: Server;
  private readonly balancer: Balancer;
  private readonly sockets = new Set<Socket>();

  constructor(private spec: ListenerSpec) {
    this.balancer = new Balancer(spec.affinityTimeoutMs);
    this.balancer.update(spec.backends, spec.affinityTimeoutMs);
    // No Nagle delay on either side: a small write (a request's last chunk) goes out at once, as it
    // would through kube-proxy's NAT, instead of waiting for the ACK of the previous one.
    this.server = createServer({ pauseOnConnect: true, noDelay: true }, (client) => this.accept(client));
  }

  get key(): string {
    return this.spec.key;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host: this.spec.address, port: this.spec.port, exclusive: true }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
  }

  update(spec: ListenerSpec): void {
    this.spec = spec;
    this.balancer.update(spec.backends, spec.affinityTimeoutMs);
  }

  /**
   * Stops accepting at once; established connections end on their own (as conntrack entries would).
   * Not awaiting the server's 'close': it waits for those connections, which may never end.
   */
  close(): void {
    this.server.close();
  }

  /** Closes the listener and every connection it forwarded (daemon shutdown). */
  async destroy(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
    });
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private accept(client: Socket): void {
    this.track(client);
    client.on('error', () => client.destroy());
    this.dial(client, new Set());
  }

  private dial(client: Socket, tried: Set<string>): void {
    const backend = this.balancer.pick(client.remoteAddress ?? '', tried);
    if (!backend || client.destroyed) {
      client.destroy(); // no endpoint: the client sees the connection reset, as with kube-proxy's reject rule
      return;
    }
    tried.add(backendId(backend));
    const upstream = createConnection({ host: backend.ip, port: backend.port, timeout: CONNECT_TIMEOUT_MS, noDelay: true });
    this.track(upstream);
    const onConnectError = (): void => {
      upstream.destroy();
      this.dial(client, tried);
    };
    upstream.once('error', onConnectError);
    upstream.once('timeout', onConnectError);
    upstream.once('connect', () => {
      upstream.off('error', onConnectError);
      upstream.off('timeout', onConnectError);
      upstream.setTimeout(0);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }
}
