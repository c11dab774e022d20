// pods/{name}/portforward. kubectl 1.30+ asks for a WebSocket with the subprotocol
// `SPDY/3.1+portforward.k8s.io` and speaks SPDY/3.1 inside its binary messages; older clients,
// and kubectl's fallback (or KUBECTL_PORT_FORWARD_WEBSOCKETS=false), upgrade straight to SPDY/3.1
// (`POST`, `X-Stream-Protocol-Version: portforward.k8s.io`). Either way the API server itself
// ends the SPDY session (session.ts) and reaches the pod through its node's kubelet. Errors
// before the switch are answered as a Status.
import { findResource } from '@mini-kube/api';
import { StatusError, type SpdyConnection } from '@mini-kube/machinery';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { rejectUpgrade } from '../exec/proxy.js';
import type { Registry } from '../registry/registry.js';
import { kubeletAddress } from '../subresources/node-proxy.js';
import { dialThroughKubelet } from './kubelet-dial.js';
import { servePortForward, type PortDialer } from './session.js';

const PODS = findResource('', 'v1', 'pods')!;
const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/;
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const WEBSOCKET_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;

const badRequest = (message: string): StatusError => new StatusError(400, 'BadRequest', message);
const offered = (header: string | string[] | undefined): string[] =>
  (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => s.trim()).filter(Boolean);

/** How to reach the pod's ports: checks the pod is bound to a node with a kubelet. */
async function podDialer(registry: Registry, namespace: string, name: string): Promise<PortDialer> {
  const pod = await registry.get(PODS, namespace, name);
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const base = await kubeletAddress(registry, nodeName);
  return (port) => dialThroughKubelet(base, namespace, name, port);
}

/** Answers a SPDY/3.1 upgrade and returns the socket, now carrying SPDY. */
function switchToSpdy(socket: Duplex, head: Buffer): Duplex {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`);
  if (head.length > 0) socket.unshift(head);
  return socket;
}

export interface PortForwardUpgrades {
  /** The `upgrade` handling of pods/{name}/portforward; false for another path. */
  (req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Ends every session (the server is closing: upgraded sockets would keep it open). */
  closeAll(): void;
}

export function portForwardUpgradeHandler(registry: Registry): PortForwardUpgrades {
  const sessions = new Set<SpdyConnection>();
  const serve = (transport: Duplex, dial: PortDialer): void => {
    const session = servePortForward(transport, dial);
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  };
  // `ws` refuses the subprotocol as a header value ('/' is not a token character), so it is taken
  // off the request before the handshake and put back on the 101 answer.
  const tunnelled = new WeakSet<IncomingMessage>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  wss.on('headers', (headers, req) => tunnelled.has(req) && headers.push(`Sec-WebSocket-Protocol: ${WEBSOCKET_PROTOCOL}`));
  const handle = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const url = new URL(req.url ?? '/', 'http://apiserver');
    const match = PATH.exec(url.pathname);
    if (!match) return false;
    const [namespace, name] = [match[1]!, match[2]!].map(decodeURIComponent) as [string, string];
    socket.on('error', () => socket.destroy());
    void (async () => {
      const upgrade = (req.headers.upgrade ?? '').toLowerCase();
      if (upgrade === 'websocket') {
        if (!offered(req.headers['sec-websocket-protocol']).includes(WEBSOCKET_PROTOCOL)) throw badRequest(`port-forward needs the WebSocket subprotocol ${WEBSOCKET_PROTOCOL}`);
        const dial = await podDialer(registry, namespace, name);
        delete req.headers['sec-websocket-protocol'];
        tunnelled.add(req);
        wss.handleUpgrade(req, socket, head, (ws) => {
          const transport = createWebSocketStream(ws);
          transport.on('error', () => transport.destroy());
          serve(transport, dial);
        });
        return;
      }
      if (upgrade === 'spdy/3.1') {
        if (!offered(req.headers['x-stream-protocol-version']).includes(PORT_FORWARD_PROTOCOL)) throw badRequest(`unable to upgrade: the client must offer the ${PORT_FORWARD_PROTOCOL} stream protocol`);
        const dial = await podDialer(registry, namespace, name);
        serve(switchToSpdy(socket, head), dial);
        return;
      }
      throw badRequest(`unable to upgrade: unsupported protocol "${req.headers.upgrade ?? ''}"`);
    })().catch((err: unknown) => rejectUpgrade(socket, err instanceof StatusError ? err : new StatusError(500, 'InternalError', String(err))));
    return true;
  };
  return Object.assign(handle, { closeAll: () => sessions.forEach((s) => s.destroy()) });
}
