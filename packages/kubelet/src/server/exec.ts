// The kubelet's exec endpoint: a WebSocket upgrade on /exec/{namespace}/{pod}/{container}?command=..
// speaking the remotecommand channel protocol (v5.channel.k8s.io, or v4): binary messages whose
// first byte is the channel (0 stdin, 1 stdout, 2 stderr, 3 the final Status, 4 resize, 255 close
// of a stream). The API server's pods/exec proxies kubectl's connection here. Register it on the
// kubelet's HTTP server: `server.on('upgrade', execUpgradeHandler({ runtime, getPod }))`.
import type { Pod } from 'kubernetes-types/core/v1';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { exitStatus, failureStatus, kill, ttyArgv } from '../process/exec.js';
import type { Runtime, RuntimeContainer } from '../types.js';

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;

export interface ExecDeps {
  runtime: Runtime;
  /** The pod `namespace/name` bound to this node. */
  getPod(namespace: string, name: string): Pod | undefined;
}

interface ExecRequest {
  containerId: string;
  argv: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

class UpgradeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Answers an upgrade request with a Status instead of switching protocols. */
export function rejectUpgrade(socket: Duplex, code: number, reason: string, message: string): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

const flag = (q: URLSearchParams, name: string): boolean => q.get(name) === 'true' || q.get(name) === '1';

function running(runtime: Runtime, pod: Pod, name: string): RuntimeContainer | undefined {
  return runtime
    .containers(pod.metadata?.uid ?? '')
    .filter((c) => c.name === name && c.state === 'running')
    .sort((a, b) => b.attempt - a.attempt)[0];
}

function parseRequest(deps: ExecDeps, url: URL): ExecRequest {
  const [, namespace, podName, container] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const pod = deps.getPod(namespace ?? '', podName ?? '');
  if (!pod) throw new UpgradeError(404, 'NotFound', `pods "${podName}" not found`);
  if (!deps.runtime.spawnExec) throw new UpgradeError(400, 'BadRequest', `the ${deps.runtime.version} runtime cannot run commands in containers`);
  const instance = running(deps.runtime, pod, container ?? '');
  if (!instance) throw new UpgradeError(400, 'BadRequest', `unable to upgrade connection: container not found ("${container}")`);
  const argv = url.searchParams.getAll('command');
  if (argv.length === 0) throw new UpgradeError(400, 'BadRequest', 'you must specify at least 1 command');
  const q = url.searchParams;
  return { containerId: instance.id, argv, stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr'), tty: flag(q, 'tty') };
}

const frame = (channel: number, data: Buffer): Buffer => Buffer.concat([Buffer.from([channel]), data]);
const asBuffer = (data: RawData): Buffer => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

/** Runs the command and carries its streams over `ws` until it exits. */
function serve(ws: WebSocket, runtime: Runtime, req: ExecRequest): void {
  const send = (channel: number, data: Buffer): void => {
    if (ws.readyState === 1) ws.send(frame(channel, data), { binary: true });
  };
  const finish = (status: Record<string, unknown>): void => {
    send(ERROR, Buffer.from(JSON.stringify(status)));
    ws.close(1000);
  };
  let child: ChildProcessWithoutNullStreams;
  try {
    child = runtime.spawnExec!(req.containerId, req.tty ? ttyArgv(req.argv) : req.argv);
  } catch (err) {
    return finish(failureStatus(err instanceof Error ? err.message : String(err)));
  }
  child.stdout.on('data', (chunk: Buffer) => req.stdout && send(STDOUT, chunk));
  child.stderr.on('data', (chunk: Buffer) => send(req.tty ? STDOUT : STDERR, chunk));
  child.stdin.on('error', () => {}); // the command may exit without reading its input
  if (!req.stdin) child.stdin.end();
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  child.once('close', (code, signal) => {
    if (spawnError) return finish(failureStatus(`failed to exec in container: ${spawnError.message}`));
    finish(exitStatus(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), req.argv));
  });
  ws.on('message', (data) => {
    const buf = asBuffer(data);
    if (buf.length === 0) return;
    if (buf[0] === STDIN && req.stdin) child.stdin.write(buf.subarray(1));
    else if (buf[0] === CLOSE && buf[1] === STDIN) child.stdin.end();
    // Channel 4 (terminal resize) is ignored: the pseudo-terminal keeps its size.
  });
  ws.on('close', () => kill(child));
  ws.on('error', () => kill(child));
}

/** The `upgrade` listener for the kubelet's server; returns false for a path that is not /exec/... . */
export function execUpgradeHandler(deps: ExecDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  return (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    if (!url.pathname.startsWith('/exec/')) return false;
    let request: ExecRequest;
    try {
      request = parseRequest(deps, url);
    } catch (err) {
      const e = err instanceof UpgradeError ? err : new UpgradeError(500, 'InternalError', String(err));
      rejectUpgrade(socket, e.code, e.reason, e.message);
      return true;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, deps.runtime, request));
    return true;
  };
}
