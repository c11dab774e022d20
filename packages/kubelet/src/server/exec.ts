// The kubelet's exec endpoint: a WebSocket upgrade on /exec/{namespace}/{pod}/{container}?command=..
// speaking the remotecommand channel protocol (channels.ts: 0 stdin, 1 stdout, 2 stderr, 3 the
// final Status, 4 resize, 255 close of a stream). The API server's pods/exec proxies kubectl's
// connection here. With tty=true the command runs under a pseudo-terminal of the client's size,
// resized as the client's terminal is. The same upgrade listener serves /attach/ (attach.ts).
// Register it on the kubelet's HTTP server: `server.on('upgrade', execUpgradeHandler({ runtime, getPod }))`.
import type { Pod } from 'kubernetes-types/core/v1';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { exitStatus, failureStatus, findSessionTty, kill, resizeTty, ttyArgv, type TerminalSize } from '../process/exec.js';
import type { Runtime } from '../types.js';
import { parseAttachRequest, serveAttach, type AttachRequest } from './attach.js';
import { REMOTECOMMAND_PROTOCOLS } from '@mini-kube/machinery';
import { asBuffer, CLOSE, ERROR, flag, parseSize, rejectUpgrade, RESIZE, runningContainer, sendOn, STDERR, STDIN, STDOUT, UpgradeError } from './channels.js';

export { rejectUpgrade } from './channels.js';

/** How long a tty session waits for the client's first resize before starting at no size. */
const FIRST_RESIZE_WAIT_MS = 250;

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

function parseRequest(deps: ExecDeps, url: URL): ExecRequest {
  const [, namespace, podName, container] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const pod = deps.getPod(namespace ?? '', podName ?? '');
  if (!pod) throw new UpgradeError(404, 'NotFound', `pods "${podName}" not found`);
  if (!deps.runtime.spawnExec) throw new UpgradeError(400, 'BadRequest', `the ${deps.runtime.version} runtime cannot run commands in containers`);
  const instance = runningContainer(deps.runtime, pod, container ?? '');
  if (!instance) throw new UpgradeError(400, 'BadRequest', `unable to upgrade connection: container not found ("${container}")`);
  const argv = url.searchParams.getAll('command');
  if (argv.length === 0) throw new UpgradeError(400, 'BadRequest', 'you must specify at least 1 command');
  const q = url.searchParams;
  return { containerId: instance.id, argv, stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr'), tty: flag(q, 'tty') };
}

/** Runs the command and carries its streams over `ws` until it exits. */
function serve(ws: WebSocket, runtime: Runtime, req: ExecRequest): void {
  let child: ChildProcessWithoutNullStreams | undefined;
  let finished = false;
  const finish = (status: Record<string, unknown>): void => {
    if (finished) return;
    finished = true;
    sendOn(ws, ERROR, Buffer.from(JSON.stringify(status)));
    ws.close(1000);
  };
  // Input that arrives before the command starts (a tty session waits for the first resize).
  const early: Buffer[] = [];
  let stdinClosed = !req.stdin;
  let ttyPath: string | undefined;
  let resizing = Promise.resolve();

  const start = (size?: TerminalSize): void => {
    if (child || finished) return;
    try {
      child = runtime.spawnExec!(req.containerId, req.tty ? ttyArgv(req.argv, size) : req.argv);
    } catch (err) {
      return finish(failureStatus(err instanceof Error ? err.message : String(err)));
    }
    const proc = child;
    proc.stdout.on('data', (chunk: Buffer) => req.stdout && sendOn(ws, STDOUT, chunk));
    proc.stderr.on('data', (chunk: Buffer) => sendOn(ws, req.tty ? STDOUT : STDERR, chunk));
    proc.stdin.on('error', () => {}); // the command may exit without reading its input
    for (const buf of early.splice(0)) proc.stdin.write(buf);
    if (stdinClosed) proc.stdin.end();
    let spawnError: Error | undefined;
    proc.once('error', (err) => (spawnError = err));
    proc.once('close', (code, signal) => {
      if (spawnError) return finish(failureStatus(`failed to exec in container: ${spawnError.message}`));
      finish(exitStatus(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), req.argv));
    });
  };
  const resize = (size: TerminalSize): void => {
    const pid = child?.pid;
    if (pid === undefined) return;
    resizing = resizing.then(async () => {
      // Just after the start, `script` may not have forked the command yet: look again shortly.
      for (let i = 0; i < 10 && !ttyPath && !finished; i++) {
        ttyPath = findSessionTty(pid);
        if (!ttyPath) await new Promise((r) => setTimeout(r, 50));
      }
      if (ttyPath) await resizeTty(ttyPath, size);
    });
  };

  const timer = req.tty ? setTimeout(() => start(), FIRST_RESIZE_WAIT_MS) : undefined;
  ws.on('message', (data) => {
    const buf = asBuffer(data);
    if (buf[0] === STDIN && req.stdin) {
      if (child) child.stdin.write(buf.subarray(1));
      else early.push(buf.subarray(1));
    } else if (buf[0] === CLOSE && buf[1] === STDIN) {
      stdinClosed = true;
      child?.stdin.end();
    } else if (buf[0] === RESIZE && req.tty) {
      const size = parseSize(buf.subarray(1));
      if (!size) return;
      if (child) return resize(size);
      clearTimeout(timer);
      start(size);
    }
  });
  ws.on('close', () => {
    clearTimeout(timer);
    if (child) kill(child);
  });
  ws.on('error', () => child && kill(child));
  if (!req.tty) start();
}

/** The `upgrade` listener for the kubelet's server (/exec/... and /attach/...); false for another path. */
export function execUpgradeHandler(deps: ExecDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => REMOTECOMMAND_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  return (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const exec = url.pathname.startsWith('/exec/');
    if (!exec && !url.pathname.startsWith('/attach/')) return false;
    let request: ExecRequest | AttachRequest;
    try {
      request = exec ? parseRequest(deps, url) : parseAttachRequest(deps, url);
    } catch (err) {
      const e = err instanceof UpgradeError ? err : new UpgradeError(500, 'InternalError', String(err));
      rejectUpgrade(socket, e.code, e.reason, e.message);
      return true;
    }
    wss.handleUpgrade(req, socket, head, (ws) => (exec ? serve(ws, deps.runtime, request as ExecRequest) : serveAttach(ws, deps, request as AttachRequest)));
    return true;
  };
}
