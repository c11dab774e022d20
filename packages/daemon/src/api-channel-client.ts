// The components' end of the in-process transport (api-channel-messages.ts), on the cluster thread:
// a RequestDispatcher for ApiClient that posts each request to the main thread and reads its answer.
import type { MessagePort } from 'node:worker_threads';
import type { DispatchRequest, RequestDispatcher, StreamResponse } from '@mini-kube/client';
import { Outbox, onMessages, portable, type FromApiServer, type Payload, type ToApiServer } from './api-channel-messages.js';

interface Pending {
  resolve(res: StreamResponse): void;
  reject(err: Error): void;
  /** Set once the head came: the chunks still to come go there. */
  body?: ChannelBody;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class ChannelDispatcher implements RequestDispatcher {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  private readonly outbox: Outbox<ToApiServer>;

  constructor(private readonly port: MessagePort) {
    this.outbox = new Outbox(port);
    onMessages<FromApiServer>(port, (message) => this.receive(message));
  }

  request(req: DispatchRequest): Promise<StreamResponse> {
    if (this.closed) return Promise.reject(new Error('the client is closed'));
    if (req.signal?.aborted) return Promise.reject(abortError());
    const id = this.nextId++;
    return new Promise<StreamResponse>((resolve, reject) => {
      const pending: Pending = { resolve, reject, signal: req.signal };
      if (req.signal) {
        pending.onAbort = () => this.cancel(id, abortError());
        req.signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      this.pending.set(id, pending);
      const body = req.body === undefined ? undefined : portable(req.body);
      this.outbox.post({ type: 'request', id, method: req.method, path: req.path, headers: req.headers, ...(body !== undefined ? { body } : {}) }, body);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.pending.keys()]) this.settle(id, new Error('the client is closed'));
    this.port.close();
  }

  private receive(message: FromApiServer): void {
    const pending = this.pending.get(message.id);
    if (!pending) return; // cancelled
    if (message.type === 'head') {
      const body = new ChannelBody(() => this.cancel(message.id, abortError()));
      if (message.body !== undefined) body.push(message.body);
      pending.body = body;
      if (message.end) this.settle(message.id);
      pending.resolve({ statusCode: message.code, headers: message.headers, body });
    } else if (message.type === 'chunk') pending.body?.push(message.chunk);
    else this.settle(message.id, message.error === undefined ? undefined : new Error(message.error));
  }

  /** The client gives up on a request: what came of its answer is dropped, and the server stops it. */
  private cancel(id: number, reason: Error): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    pending.body?.discard();
    this.settle(id, reason);
    if (!this.closed) this.outbox.post({ type: 'cancel', id });
  }

  /** Ends a request: its body (or, before the head came, its promise) gets `error` if there is one. */
  private settle(id: number, error?: Error): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (pending.onAbort) pending.signal!.removeEventListener('abort', pending.onAbort);
    if (pending.body) pending.body.end(error);
    else pending.reject(error ?? new Error('the answer ended before its head'));
  }
}

/** An answer's body as undici gives it: iterable chunks (text as it came, see StreamResponse), or read whole as text or bytes. */
class ChannelBody implements AsyncIterable<Buffer | string> {
  private readonly chunks: Payload[] = [];
  private ended = false;
  private error?: Error;
  private wake?: () => void;

  constructor(private readonly onDestroy: () => void) {}

  push(chunk: Payload): void {
    this.chunks.push(chunk);
    this.wakeReader();
  }

  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    this.wakeReader();
  }

  /** Stops reading: the request is cancelled if its answer has not ended. */
  destroy(): void {
    if (!this.ended) this.onDestroy();
    this.discard();
  }

  /** Drops the chunks not read yet. */
  discard(): void {
    this.chunks.length = 0;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer | string> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) yield typeof chunk === 'string' ? chunk : bytesOf(chunk);
      else if (this.ended) {
        if (this.error) throw this.error;
        return;
      } else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async text(): Promise<string> {
    await this.whole();
    // One text chunk (a JSON answer) is read as it came, never encoded to bytes and back.
    if (this.chunks.length === 1 && typeof this.chunks[0] === 'string') return this.chunks[0];
    return Buffer.concat(this.chunks.map(bytesOf)).toString('utf8');
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    await this.whole();
    const bytes = this.chunks.length === 1 ? bytesOf(this.chunks[0]!) : Buffer.concat(this.chunks.map(bytesOf));
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  private async whole(): Promise<void> {
    while (!this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.error) throw this.error;
  }

  private wakeReader(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

function bytesOf(chunk: Payload): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function abortError(): Error {
  const err = new Error('This operation was aborted');
  err.name = 'AbortError';
  return err;
}
