// The API server's end of the in-process transport (api-channel-messages.ts), on the main thread:
// each request becomes an Exchange for ApiServer.serve, each Answer goes back as messages.
import type { MessagePort } from 'node:worker_threads';
import { parse as parseQuery } from 'node:querystring';
import type { Answer, Exchange, StreamSink } from '@mini-kube/apiserver';
import { Outbox, onMessages, portable, type FromApiServer, type Payload, type ToApiServer } from './api-channel-messages.js';

export interface ApiChannelServer {
  /** How many answers are streaming (watches, lists, logs). */
  readonly openStreams: number;
  /** Ends the streams still open and closes the port. */
  close(): void;
}

export function serveApiChannel(port: MessagePort, serve: (ex: Exchange) => Promise<Answer>): ApiChannelServer {
  // The streams still open, by request id: what ends each when its client cancels it.
  const open = new Map<number, () => void>();
  // Requests being served, and those of them whose client cancelled before the answer was ready.
  const serving = new Set<number>();
  const cancelledEarly = new Set<number>();
  let closed = false;
  const outbox = new Outbox<FromApiServer>(port);
  const send = (message: FromApiServer, payload?: Payload): void => {
    if (!closed) outbox.post(message, payload);
  };

  const answer = async (request: Extract<ToApiServer, { type: 'request' }>): Promise<void> => {
    const { id } = request;
    const queryAt = request.path.indexOf('?');
    const exchange: Exchange = {
      method: request.method,
      path: queryAt < 0 ? request.path : request.path.slice(0, queryAt),
      query: queryAt < 0 ? {} : parseQuery(request.path.slice(queryAt + 1)),
      headers: request.headers,
      body: request.body instanceof Uint8Array ? Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength) : request.body,
    };
    serving.add(id);
    let cancelled = false;
    const { code, contentType, headers, body } = await serve(exchange).finally(() => {
      serving.delete(id);
      cancelled = cancelledEarly.delete(id);
    });
    if (cancelled) {
      if (typeof body === 'object' && !Buffer.isBuffer(body)) (body as { destroy?: () => void }).destroy?.();
      return;
    }
    const head = { type: 'head', id, code, headers: { ...headers, 'content-type': contentType } } as const;
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      const payload = portable(body);
      send({ ...head, body: payload, end: true }, payload);
      return;
    }
    send(head);
    if (typeof body !== 'function') return forward(id, body);
    const sink = sinkOf(id);
    try {
      await body(sink);
    } catch (err) {
      // The head is out: the failure ends the stream (an HTTP response would be cut off).
      if (!sink.closed) send({ type: 'end', id, error: (err as Error).message });
      open.get(id)?.();
    }
  };

  const sinkOf = (id: number): StreamSink => {
    let ended = false;
    const listeners: (() => void)[] = [];
    const close = (): void => {
      if (ended) return;
      ended = true;
      open.delete(id);
      for (const listener of listeners) listener();
    };
    open.set(id, close);
    return {
      takesText: true, // a posted string is copied as it is; bytes would be encoded, then copied
      write: (chunk) => {
        if (ended) return;
        const payload = portable(chunk);
        send({ type: 'chunk', id, chunk: payload }, payload);
      },
      end: () => {
        if (!ended) send({ type: 'end', id });
        close();
      },
      get closed() {
        return ended;
      },
      onClose: (listener) => void listeners.push(listener),
    };
  };

  /** Sends a stream's chunks (a list, a log) until its end or the client's cancel. */
  const forward = async (id: number, stream: NodeJS.ReadableStream): Promise<void> => {
    let cancelled = false;
    open.set(id, () => {
      cancelled = true;
      (stream as { destroy?: () => void }).destroy?.();
    });
    try {
      for await (const chunk of stream) {
        if (cancelled) break;
        const payload = portable(chunk as string | Buffer);
        send({ type: 'chunk', id, chunk: payload }, payload);
      }
      if (!cancelled) send({ type: 'end', id });
    } catch (err) {
      if (!cancelled) send({ type: 'end', id, error: (err as Error).message });
    } finally {
      open.delete(id);
    }
  };

  onMessages<ToApiServer>(port, (message) => {
    if (message.type === 'cancel') {
      const end = open.get(message.id);
      if (end) end();
      else if (serving.has(message.id)) cancelledEarly.add(message.id);
    } else {
      answer(message).catch((err: Error) => {
        // serve() answers every failure with a Status; this is a failure to send one.
        send({ type: 'head', id: message.id, code: 500, headers: {}, body: `internal error: ${err.message}`, end: true });
      });
    }
  });

  return {
    get openStreams() {
      return open.size;
    },
    close: () => {
      for (const end of [...open.values()]) end();
      closed = true;
      port.close();
    },
  };
}
