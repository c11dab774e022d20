// pods/{name}/exec and pods/{name}/attach: kubectl's WebSocket (v5.channel.k8s.io) is checked
// against the pod, then relayed message by message to the kubelet of the pod's node (its /exec or
// /attach endpoint), which runs the command or joins the running container. Errors before the switch are answered as a Status, which kubectl prints. SPDY (the
// pre-1.29 protocol, and kubectl's fallback) is refused with a Status saying so.
import { findResource, type KObject } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { kubeletURL } from '../metrics/summary.js';
import type { Registry } from '../registry/registry.js';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const EXEC_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/;

/** Answers an upgrade request with a Status instead of switching protocols. */
export function rejectUpgrade(socket: Duplex, err: StatusError): void {
  const body = JSON.stringify(err.toStatus());
  socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

const badRequest = (message: string): StatusError => new StatusError(400, 'BadRequest', message);

/** The kubelet URL of the exec or attach: checks the pod, its container and its node as the API server's ExecLocation does. */
async function execTarget(registry: Registry, verb: string, namespace: string, name: string, query: URLSearchParams): Promise<string> {
  const pod = await registry.get(PODS, namespace, name);
  const spec = pod.spec as { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] } | undefined;
  const containers = spec?.containers ?? [];
  let container = query.get('container');
  if (!container) {
    if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`);
    container = containers[0]!.name;
  }
  const all = [...containers, ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])];
  if (!all.some((c) => c.name === container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  if (!spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  // The kubelet says so too, but only over WebSocket: checked here, kubectl's SPDY fallback gets the same answer.
  const statuses = (pod.status as { containerStatuses?: { name: string; state?: { running?: unknown } }[]; initContainerStatuses?: { name: string; state?: { running?: unknown } }[] } | undefined) ?? {};
  const status = [...(statuses.containerStatuses ?? []), ...(statuses.initContainerStatuses ?? [])].find((c) => c.name === container);
  if (!status?.state?.running) throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
  let node: KObject;
  try {
    node = await registry.get(NODES, undefined, spec.nodeName);
  } catch {
    throw badRequest(`nodes "${spec.nodeName}" not found`);
  }
  const base = kubeletURL(node);
  if (!base) throw badRequest(`node ${spec.nodeName} publishes no kubelet endpoint`);
  const q = new URLSearchParams(query);
  q.set('container', container);
  return `${base.replace(/^http/, 'ws')}/${verb}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}?${q}`;
}

/** Reads a refused upgrade's body (a Status from the kubelet) into a StatusError. */
function upstreamError(res: IncomingMessage): Promise<StatusError> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      try {
        const s = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: number; reason?: string; message?: string };
        resolve(new StatusError(s.code ?? res.statusCode ?? 500, s.reason ?? 'InternalError', s.message ?? 'error from the kubelet'));
      } catch {
        resolve(new StatusError(res.statusCode ?? 500, 'InternalError', `error from the kubelet: ${res.statusCode}`));
      }
    });
  });
}

const asBuffer = (data: RawData): Buffer => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
const closeCode = (code: number): number => (code >= 1000 && code < 5000 && code !== 1005 && code !== 1006 ? code : 1000);

/** Joins kubectl's upgrade to a connection already open to the kubelet, relaying both ways. */
function relay(wss: WebSocketServer, upstream: WebSocket, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const pending: Buffer[] = [];
  let client: WebSocket | undefined;
  upstream.on('message', (data) => {
    const buf = asBuffer(data);
    if (client) client.send(buf, { binary: true });
    else pending.push(buf);
  });
  let upstreamClosed: number | undefined;
  upstream.on('close', (code) => {
    upstreamClosed = closeCode(code);
    client?.close(upstreamClosed);
  });
  wss.handleUpgrade(req, socket, head, (ws) => {
    client = ws;
    for (const buf of pending.splice(0)) ws.send(buf, { binary: true });
    if (upstreamClosed !== undefined) ws.close(upstreamClosed);
    ws.on('message', (data) => upstream.readyState === WebSocket.OPEN && upstream.send(asBuffer(data), { binary: true }));
    ws.on('close', () => upstream.close());
    ws.on('error', () => upstream.terminate());
  });
}

/** The `upgrade` handling of pods/{name}/exec; false for another path. */
export function execUpgradeHandler(registry: Registry): (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean {
  // The subprotocol is the one the kubelet chose among those kubectl offered.
  const chosen = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (_offered, req) => chosen.get(req) ?? false });
  return (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://apiserver');
    const match = EXEC_PATH.exec(url.pathname);
    if (!match) return false;
    const [, namespace, name, verb] = match.map((s) => decodeURIComponent(s ?? '')) as [string, string, string, string];
    void (async () => {
      if (!/websocket/i.test(req.headers.upgrade ?? '')) {
        await execTarget(registry, verb, namespace, name, url.searchParams); // a bad request says what is wrong first
        throw badRequest(`${verb} over SPDY is not supported by mini-kube: use kubectl 1.30+ with its default WebSocket protocol`);
      }
      const target = await execTarget(registry, verb, namespace, name, url.searchParams);
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const upstream = new WebSocket(target, offered, { perMessageDeflate: false, handshakeTimeout: 5000 });
      upstream.on('unexpected-response', (_r, res) => void upstreamError(res).then((err) => rejectUpgrade(socket, err)));
      upstream.on('error', (err) => {
        if (upstream.readyState !== WebSocket.OPEN) rejectUpgrade(socket, new StatusError(500, 'InternalError', `error dialing backend: ${err.message}`));
      });
      upstream.on('open', () => {
        chosen.set(req, upstream.protocol);
        relay(wss, upstream, req, socket, head);
      });
    })().catch((err: unknown) => rejectUpgrade(socket, err instanceof StatusError ? err : new StatusError(500, 'InternalError', String(err))));
    return true;
  };
}
