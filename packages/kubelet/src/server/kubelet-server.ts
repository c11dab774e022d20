// The kubelet's HTTP server (plain HTTP, on the node's address and an ephemeral port published in
// the Node's status.daemonEndpoints.kubeletEndpoint.Port): GET /containerLogs/{ns}/{pod}/{container}
// with the pods/log query, streamed as text/plain; GET /healthz. The API server's pods/log proxies
// here. Errors are Kubernetes Status objects, so the API server can pass them through.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Pod } from 'kubernetes-types/core/v1';
import type { Runtime } from '../types.js';
import { parseLogQuery, QueryError } from './log-query.js';
import { portForwardUpgradeHandler } from './port-forward.js';

export interface KubeletServerOptions {
  address: string;
  runtime: Runtime;
  /** The pod `namespace/name` bound to this node, from the kubelet's cache. */
  getPod(namespace: string, name: string): Pod | undefined;
  /** GET /stats/summary (metrics.ts statsSummary): what the API server's metrics.k8s.io reads. */
  statsSummary?: () => unknown;
  /** Upgrade requests (exec.ts execUpgradeHandler); false: not handled, the connection is closed. */
  onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

function sendStatus(res: ServerResponse, err: HttpError): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason, code: err.code });
  res.writeHead(err.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Why a container has no log yet: its waiting reason, as the kubelet's validateContainerLogStatus words it. */
function noLogError(pod: Pod, container: string, previous: boolean): HttpError {
  const name = pod.metadata?.name ?? '';
  if (previous) return new HttpError(400, 'BadRequest', `previous terminated container "${container}" in pod "${name}" not found`);
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const reason = statuses.find((s) => s.name === container)?.state?.waiting?.reason ?? 'ContainerCreating';
  return new HttpError(400, 'BadRequest', `container "${container}" in pod "${name}" is waiting to start: ${reason}`);
}

async function containerLogs(opts: KubeletServerOptions, req: IncomingMessage, res: ServerResponse, url: URL, parts: string[]): Promise<void> {
  const [namespace, podName, container] = parts.map(decodeURIComponent);
  const pod = opts.getPod(namespace!, podName!);
  if (!pod) throw new HttpError(404, 'NotFound', `pods "${podName}" not found`);
  const specs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  if (!specs.some((c) => c.name === container)) throw new HttpError(400, 'BadRequest', `container ${container} is not valid for pod ${podName}`);
  let query;
  try {
    query = parseLogQuery(url.searchParams, Date.now());
  } catch (err) {
    if (err instanceof QueryError) throw new HttpError(400, 'BadRequest', err.message);
    throw err;
  }
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  // A runtime without logs (sim) answers an empty log.
  const log = opts.runtime.logs ? opts.runtime.logs(pod.metadata?.uid ?? '', container!, query, abort.signal) : [];
  if (!log) throw noLogError(pod, container!, query.previous ?? false);
  res.writeHead(200, { 'Content-Type': 'text/plain', ...(query.follow ? { 'Cache-Control': 'no-cache' } : {}) });
  if (query.follow) res.flushHeaders();
  for await (const chunk of log) {
    if (abort.signal.aborted) break;
    if (!res.write(chunk)) await new Promise<void>((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
  }
  res.end();
}

export async function startKubeletServer(opts: KubeletServerOptions): Promise<KubeletServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const parts = url.pathname.split('/').filter(Boolean);
    const handle = async (): Promise<void> => {
      if (req.method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', `method ${req.method} not allowed`);
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        return;
      }
      if (url.pathname === '/stats/summary' && opts.statsSummary) {
        const body = JSON.stringify(opts.statsSummary());
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
        return;
      }
      if (parts[0] === 'containerLogs' && parts.length === 4) return containerLogs(opts, req, res, url, parts.slice(1));
      throw new HttpError(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    };
    handle().catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendStatus(res, err instanceof HttpError ? err : new HttpError(500, 'InternalError', err instanceof Error ? err.message : String(err)));
    });
  });
  const portForward = portForwardUpgradeHandler({ getPod: opts.getPod });
  server.on('upgrade', (req, socket, head) => {
    if (!portForward(req, socket, head) && !opts.onUpgrade?.(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, opts.address, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        portForward.closeAll();
      }),
  };
}
