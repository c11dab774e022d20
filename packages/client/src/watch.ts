// A watch: one long GET whose body is newline-delimited JSON events, parsed as they stream.
import type { KObject, WatchEvent } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import { managedFieldsCut } from './managed-fields-cut.js';
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

  /** `omitManagedFields`: leave metadata.managedFields out of the objects (not decoded at all). */
  constructor(
    open: (signal: AbortSignal) => Promise<StreamResponse>,
    signal?: AbortSignal,
    private readonly omitManagedFields = false,
  ) {
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
      for await (const received of res.body) {
        // Text (the in-process transport's whole lines) is taken as it is, unless a line began in bytes.
        if (typeof received === 'string' && partial.length === 0) {
          let start = 0;
          let newline: number;
          while ((newline = received.indexOf('\n', start)) >= 0) {
            const line = this.decodeText(received.slice(start, newline));
            start = newline + 1;
            if (line.trim()) yield parseEvent<T>(line);
          }
          if (start < received.length) partial.push(Buffer.from(received.slice(start)));
          continue;
        }
        const chunk = typeof received === 'string' ? Buffer.from(received) : received;
        let start = 0;
        let newline: number;
        while ((newline = chunk.indexOf(NEWLINE, start)) >= 0) {
          const line = partial.length === 0 ? this.decode(chunk, start, newline) : this.decode(Buffer.concat([...partial, chunk.subarray(start, newline)]));
          partial = [];
          start = newline + 1;
          if (line.trim()) yield parseEvent<T>(line);
        }
        if (start < chunk.length) partial.push(start === 0 ? chunk : chunk.subarray(start));
      }
      const rest = this.decode(Buffer.concat(partial));
      if (rest.trim()) yield parseEvent<T>(rest);
    } catch (err) {
      if (!this.signal.aborted) throw err;
    } finally {
      res.body.destroy();
      this.controller.abort();
    }
  }

  /** A line of text, without managedFields when they are omitted (cut from its bytes when it has them). */
  private decodeText(line: string): string {
    if (!this.omitManagedFields || !line.includes('"managedFields"')) return line;
    return this.decode(Buffer.from(line));
  }

  /** The text of the line `bytes[start, end)`, without managedFields when they are omitted. */
  private decode(bytes: Buffer, start = 0, end = bytes.length): string {
    const cut = this.omitManagedFields ? managedFieldsCut(bytes, start, end) : undefined;
    if (!cut) return bytes.toString('utf8', start, end);
    return bytes.toString('utf8', start, cut[0]) + bytes.toString('utf8', cut[1], end);
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
