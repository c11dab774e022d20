// What the kubelet's exec and attach endpoints share: sending on the remotecommand channels
// (machinery's remotecommand.ts), refusing an upgrade
// with a Status, and the running instance of a pod's container.
import type { Pod } from 'kubernetes-types/core/v1';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { TerminalSize } from '../process/exec.js';
import type { Runtime, RuntimeContainer } from '../types.js';
import { channelFrame } from '@mini-kube/machinery';

export { CLOSE, ERROR, RESIZE, STDERR, STDIN, STDOUT } from '@mini-kube/machinery';

export class UpgradeError extends Error {
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

export const flag = (q: URLSearchParams, name: string): boolean => q.get(name) === 'true' || q.get(name) === '1';

export const asBuffer = (data: RawData): Buffer => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

/** Sends `data` on `channel` while the socket is open. */
export function sendOn(ws: WebSocket, channel: number, data: Buffer): void {
  if (ws.readyState === 1) ws.send(channelFrame(channel, data), { binary: true });
}

/** The latest running instance of the pod's container. */
export function runningContainer(runtime: Runtime, pod: Pod, name: string): RuntimeContainer | undefined {
  return runtime
    .containers(pod.metadata?.uid ?? '')
    .filter((c) => c.name === name && c.state === 'running')
    .sort((a, b) => b.attempt - a.attempt)[0];
}

/** A resize message's payload (`{"Width":80,"Height":24}`); undefined when it is not a usable size. */
export function parseSize(payload: Buffer): TerminalSize | undefined {
  try {
    const { Width, Height } = JSON.parse(payload.toString('utf8')) as { Width?: unknown; Height?: unknown };
    const ok = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0 && (n as number) < 65536;
    return ok(Width) && ok(Height) ? { width: Width, height: Height } : undefined;
  } catch {
    return undefined;
  }
}
