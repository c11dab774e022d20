// A watch: one long GET whose body is newline-delimited JSON events, parsed as they stream.
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
    // Lines are cut from the bytes and each decoded once, on its own: no text of whole chunks to
    // slice, no remainder concatenated and copied again (a newline byte never falls inside a
    // multi-byte UTF-8 character).
    let partial: Buffer[] = []; // the bytes of a line that the chunks so far did not end
    try {
      for await (const chunk of res.body) {
        let start = 0;
        let newline: number;
        while ((newline = chunk.indexOf(NEWLINE, start)) >= 0) {
          const line = partial.length === 0 ? chunk.toString('utf8', start, newline) : Buffer.concat([...partial, chunk.subarray(start, newline)]).toString('utf8');
          partial = [];
          start = newline + 1;
          if (line.trim()) yield parseEvent<T>(line);
        }
        if (start < chunk.length) partial.push(start === 0 ? chunk : chunk.subarray(start));
      }
      const rest = Buffer.concat(partial).toString('utf8');
      if (rest.trim()) yield parseEvent<T>(rest);
    } catch (err) {
      if (!this.signal.aborted) throw err;
    } finally {
      res.body.destroy();
      this.controller.abort();
    }
  }
}

const NEWLINE = 0x0a;

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
