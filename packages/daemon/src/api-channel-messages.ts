// The daemon's in-process transport: its components' requests to its own API server, carried over a
// MessagePort between the cluster thread and the main thread instead of HTTP over loopback (no
// sockets, HTTP parsing or routing on the API server's thread). The same paths, headers and bodies.
import type { MessagePort } from 'node:worker_threads';

/** Bytes cross as a Uint8Array whose buffer is transferred; text as a string. */
export type Payload = string | Uint8Array;

export type ToApiServer =
  | { type: 'request'; id: number; method: string; path: string; headers: Record<string, string>; body?: Payload }
  /** The client gave up on the request: a watch closed, a signal aborted. */
  | { type: 'cancel'; id: number };

export type FromApiServer =
  /** Status and headers; `body` with `end` when the answer is whole, else chunks follow. */
  | { type: 'head'; id: number; code: number; headers: Record<string, string | string[]>; body?: Payload; end?: true }
  | { type: 'chunk'; id: number; chunk: Payload }
  /** The last of a streamed answer; `error` when the stream failed on the server. */
  | { type: 'end'; id: number; error?: string };

/**
 * A batch is posted at once when it reaches this many messages: the other thread starts on them while
 * this one goes on (a ReplicaSet's burst of 500 pod creations, a group commit's answers).
 */
const MAX_BATCH = 64;

/** A Buffer as a Payload of its own (a view of a shared pool would carry the whole pool across). */
export function portable(chunk: string | Buffer): Payload {
  return typeof chunk === 'string' ? chunk : new Uint8Array(chunk);
}

/**
 * One side's messages, posted together once per turn of the event loop: a postMessage costs a few
 * microseconds of its own whatever it carries, and a group commit answers dozens of writes at once.
 */
export class Outbox<M> {
  private messages: M[] = [];
  private transfer: ArrayBuffer[] = [];
  private scheduled = false;

  constructor(private readonly port: MessagePort) {}

  /** Queues `message`; `payload` is the bytes it carries, if any, whose buffer is transferred. */
  post(message: M, payload?: Payload): void {
    this.messages.push(message);
    if (payload instanceof Uint8Array) this.transfer.push(payload.buffer as ArrayBuffer);
    if (this.messages.length >= MAX_BATCH) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushScheduled);
    }
  }

  private readonly flush = (): void => {
    if (this.messages.length === 0) return;
    const { messages, transfer } = this;
    this.messages = [];
    this.transfer = [];
    this.port.postMessage(messages, transfer);
  };

  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    this.flush();
  };
}

/** Calls `receive` with each message of the batches the other side's Outbox posts. */
export function onMessages<M>(port: MessagePort, receive: (message: M) => void): void {
  port.on('message', (batch: M[]) => {
    for (const message of batch) receive(message);
  });
}
