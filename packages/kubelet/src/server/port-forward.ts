// The kubelet's port-forward endpoint: `GET /portForward/{namespace}/{pod}?port=N` with
// `Upgrade: tcp`. The kubelet connects to the pod's IP and port first; once connected it answers
// 101 and the socket carries the raw bytes both ways. A failed connection is answered with a
// Status whose message reads like the kubelet's ("error forwarding port 80 to pod ..., uid : ...")
// and which the API server writes on kubectl's error stream. One request per forwarded
// connection: the API server's SPDY session (one data/error stream pair per connection) dials here.
import type { Pod } from 'kubernetes-types/core/v1';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { rejectUpgrade } from './exec.js';

export interface PortForwardDeps {
  /** The pod `namespace/name` bound to this node. */
  getPod(namespace: string, name: string): Pod | undefined;
}

/** `dial tcp4 IP:PORT: connect: connection refused`-like text of a failed connect, as Go words it. */
export function dialErrorText(ip: string, port: number, err: NodeJS.ErrnoException): string {
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connect: connection refused',
    ETIMEDOUT: 'i/o timeout',
    EHOSTUNREACH: 'connect: no route to host',
    EADDRNOTAVAIL: 'connect: cannot assign requested address',
  };
  return `dial tcp4 ${ip}:${port}: ${reasons[err.code ?? ''] ?? err.message}`;
}

interface Target {
  pod: Pod;
  ip: string;
  port: number;
}

function parse(deps: PortForwardDeps, url: URL): Target | { code: number; reason: string; message: string } {
  const [, namespace, name] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const portText = url.searchParams.get('port') ?? '';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return { code: 400, reason: 'BadRequest', message: `invalid port "${portText}"` };
  const pod = deps.getPod(namespace ?? '', name ?? '');
  if (!pod) return { code: 404, reason: 'NotFound', message: `pods "${name}" not found` };
  const ip = pod.status?.podIP;
  if (!ip) return { code: 400, reason: 'BadRequest', message: `pod ${namespace}/${name} has no IP yet` };
  return { pod, ip, port };
}

function join(client: Duplex, pod: Socket, head: Buffer): void {
  client.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
  if (head.length > 0) pod.write(head);
  client.pipe(pod);
  pod.pipe(client);
  const done = (): void => {
    client.destroy();
    pod.destroy();
  };
  client.on('error', done);
  pod.on('error', done);
  client.on('close', () => pod.destroy());
  pod.on('close', () => (client.writableEnded ? undefined : client.end()));
}

export interface PortForwardUpgrades {
  /** The `upgrade` listener for /portForward/...; false for another path. */
  (req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Ends every forwarded connection (the server is closing: upgraded sockets would keep it open). */
  closeAll(): void;
}

export function portForwardUpgradeHandler(deps: PortForwardDeps): PortForwardUpgrades {
  const open = new Set<Duplex>();
  const handle = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    if (!url.pathname.startsWith('/portForward/')) return false;
    const target = parse(deps, url);
    if (!('pod' in target)) {
      rejectUpgrade(socket, target.code, target.reason, target.message);
      return true;
    }
    const { pod, ip, port } = target;
    const upstream = connect({ host: ip, port, allowHalfOpen: true });
    upstream.once('connect', () => {
      upstream.removeAllListeners('error');
      join(socket, upstream, head);
    });
    upstream.once('error', (err: NodeJS.ErrnoException) => {
      const sandbox = pod.metadata?.uid ?? '';
      const message = `error forwarding port ${port} to pod ${sandbox}, uid : failed to connect to ${ip}:${port} inside pod "${pod.metadata?.namespace}/${pod.metadata?.name}": ${dialErrorText(ip, port, err)}`;
      rejectUpgrade(socket, 500, 'InternalError', message);
    });
    socket.on('error', () => upstream.destroy());
    open.add(socket);
    socket.on('close', () => (open.delete(socket), upstream.destroy()));
    return true;
  };
  return Object.assign(handle, { closeAll: () => open.forEach((s) => s.destroy()) });
}
