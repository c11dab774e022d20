// The kubelet's attach endpoint (/attach/{namespace}/{pod}/{container}, the same channel protocol
// as exec): the running container's output from now on, read from its log as it is written, and
// the client's stdin written to the container's stdin when the container keeps one open
// (`stdin: true`) and the runtime offers it. The session ends when the container exits.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { WebSocket } from 'ws';
import type { Runtime } from '../types.js';
import { asBuffer, CLOSE, ERROR, flag, runningContainer, sendOn, STDIN, STDOUT, UpgradeError } from './channels.js';

export interface AttachDeps {
  runtime: Runtime;
  getPod(namespace: string, name: string): Pod | undefined;
}

/**
 * What a runtime offers to write to a running container's stdin (a container with `stdin: true`
 * whose process was started with its stdin kept open); optional, detected at run time.
 */
interface StdinRuntime {
  containerStdin?(containerId: string): NodeJS.WritableStream | undefined;
}

export interface AttachRequest {
  podUid: string;
  container: string;
  containerId: string;
  stdin: boolean;
  /** The container's stdinOnce: its stdin closes when the first client's input ends. */
  stdinOnce: boolean;
  stdout: boolean;
}

export function parseAttachRequest(deps: AttachDeps, url: URL): AttachRequest {
  const [, namespace, podName, container] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const pod = deps.getPod(namespace ?? '', podName ?? '');
  if (!pod) throw new UpgradeError(404, 'NotFound', `pods "${podName}" not found`);
  if (!deps.runtime.logs) throw new UpgradeError(400, 'BadRequest', `the ${deps.runtime.version} runtime cannot attach to containers`);
  const instance = runningContainer(deps.runtime, pod, container ?? '');
  if (!instance) throw new UpgradeError(400, 'BadRequest', `unable to upgrade connection: container not found ("${container}")`);
  const spec: Container | undefined = pod.spec?.containers?.find((c) => c.name === container);
  const q = url.searchParams;
  // Input for a container that keeps no stdin is dropped, as a runtime does.
  return { podUid: pod.metadata?.uid ?? '', container: container!, containerId: instance.id, stdin: flag(q, 'stdin') && Boolean(spec?.stdin), stdinOnce: Boolean(spec?.stdinOnce), stdout: flag(q, 'stdout') || flag(q, 'stderr') };
}

/** Streams the container's new output to `ws` and the client's input to the container until it exits. */
export function serveAttach(ws: WebSocket, deps: AttachDeps, req: AttachRequest): void {
  const abort = new AbortController();
  const input = req.stdin ? (deps.runtime as Runtime & StdinRuntime).containerStdin?.(req.containerId) : undefined;
  const inputEnded = (): void => {
    if (req.stdinOnce && input?.writable) input.end();
  };
  ws.on('message', (data) => {
    const buf = asBuffer(data);
    if (buf[0] === STDIN && input?.writable) input.write(buf.subarray(1));
    else if (buf[0] === CLOSE && buf[1] === STDIN) inputEnded();
  });
  ws.on('close', () => {
    abort.abort();
    inputEnded();
  });
  ws.on('error', () => abort.abort());
  void (async () => {
    // tailLines 0: only what the container writes from now on; the log ends when the container exits.
    const log = deps.runtime.logs!(req.podUid, req.container, { follow: true, tailLines: 0 }, abort.signal) ?? [];
    for await (const chunk of log) if (req.stdout) sendOn(ws, STDOUT, chunk);
    if (abort.signal.aborted) return;
    sendOn(ws, ERROR, Buffer.from(JSON.stringify({ metadata: {}, status: 'Success' })));
    ws.close(1000);
  })().catch((err: unknown) => {
    sendOn(ws, ERROR, Buffer.from(JSON.stringify({ metadata: {}, status: 'Failure', message: String(err), reason: 'InternalError', code: 500 })));
    ws.close(1000);
  });
}
