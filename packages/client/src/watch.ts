// A watch: one long GET whose body is newline-delimited JSON events, parsed as they stream.
import { StringDecoder } from 'node:string_decoder';
import type { KObject, WatchEvent } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import type { StreamResponse } from './transport.js';

/**
 * The request starts at once (so `ready` can tell when the server has accepted it); events are
 * read by iterating, once. Iteration ends when the server closes the stream, or quietly after
 * `close()` or the caller's signal aborts. ERROR events (e.g. 410 Expired) are yielded as events.
 */
export class WatchStream<T = KObject> implements AsyncIterable<WatchEvent<T>> {
  /** Resolves when the server answered 200 (headers flushed); rejects with the request's error. */
  readonly ready: Promise<void>;
  private readonly controller = new AbortController();
  private readonly signal: AbortSignal;
  private readonly response: Promise<StreamResponse>;
  private iterator?: AsyncGenerator<WatchEvent<T>>;

  constructor(open: (signal: AbortSignal) => Promise<StreamResponse>, signal?: AbortSignal) {
    this.signal = signal ? AbortSignal.any([signal, this.controller.signal]) : this.controller.signal;
    this.response = open(this.signal);
    this.ready = this.response.then(() => undefined);
    this.ready.catch(() => undefined); // surfaced again by iteration; not unhandled if never awaited
  }

  close(): void {
    this.controller.abort();
  }

  [Symbol.asyncIterator](): AsyncGenerator<WatchEvent<T>> {
    this.iterator ??= this.events();
    return this.iterator;
  }

  private async *events(): AsyncGenerator<WatchEvent<T>> {
    let res: StreamResponse;
    try {
      res = await this.response;
    } catch (err) {
      if (this.signal.aborted) return;
      throw err;
    }
    const decoder = new StringDecoder('utf8');
    let pending = '';
    try {
      for await (const chunk of res.body) {
        pending += decoder.write(chunk);
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (line.trim()) yield parseEvent<T>(line);
        }
      }
      pending += decoder.end();
      if (pending.trim()) yield parseEvent<T>(pending);
    } catch (err) {
      if (!this.signal.aborted) throw err;
    } finally {
      res.body.destroy();
      this.controller.abort();
    }
  }
}

function parseEvent<T>(line: string): WatchEvent<T> {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    throw new StatusError(500, 'InternalError', `unable to decode watch event: ${line.slice(0, 200)}`);
  }
  const { type, object } = (event ?? {}) as Partial<WatchEvent<T>>;
  if (typeof type !== 'string' || typeof object !== 'object' || object === null) {
    throw new StatusError(500, 'InternalError', `malformed watch event: ${line.slice(0, 200)}`);
  }
  return { type, object };
}
