// An in-process API server on a memory store, and raw HTTP helpers for the server-*.test.ts files:
// they check status codes, headers and bodies exactly as a client sees them on the wire.
import { openStore, type Store, type StoreOptions } from '@mini-kube/store';
import { LineReader } from '@mini-kube/testing';
import { ApiServer, type ApiServerOptions } from '../src/index.js';

export const JSON_TYPE = 'application/json';
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is when a string or Buffer, else as JSON. */
  contentType?: string | null;
  accept?: string;
  headers?: Record<string, string>;
}

/** A watch response being read line by line. */
export class WatchReader {
  private readonly lines = new LineReader();
  private finished = false;

  constructor(
    readonly status: number,
    readonly headers: Headers,
    body: AsyncIterable<Uint8Array>,
    private readonly abort: AbortController,
  ) {
    void (async () => {
      try {
        for await (const chunk of body) this.lines.push(Buffer.from(chunk));
      } catch {
        // aborted by close()
      }
      this.finished = true;
      this.lines.end();
    })();
  }

  /** The next event, or undefined when the stream ended or `timeoutMs` passed. */
  async next(timeoutMs = 5000): Promise<any | undefined> {
    const line = await this.lines.next(timeoutMs);
    return line === undefined || line === '' ? undefined : JSON.parse(line);
  }

  /** Every event until the stream ends quiet for `quietMs` (for "nothing else came" checks). */
  async drain(quietMs: number): Promise<any[]> {
    const events: any[] = [];
    for (let e = await this.next(quietMs); e !== undefined; e = await this.next(quietMs)) events.push(e);
    return events;
  }

  /** True once the server has closed the stream with no further events (waits up to `timeoutMs`). */
  async ended(timeoutMs = 5000): Promise<boolean> {
    return (await this.lines.next(timeoutMs)) === undefined && this.finished;
  }

  close(): void {
    this.abort.abort();
  }
}

export interface TestServer {
  url: string;
  server: ApiServer;
  store: Store;
  req<T = any>(method: string, path: string, opts?: RequestOptions): Promise<Answer<T>>;
  watch(path: string, accept?: string, headers?: Record<string, string>): Promise<WatchReader>;
  close(): Promise<void>;
}

export async function startServer(options: { store?: StoreOptions; server?: Omit<ApiServerOptions, 'store'> } = {}): Promise<TestServer> {
  const store = await openStore('memory', options.store);
  const server = new ApiServer({ ...options.server, store });
  const url = 'http://' + (await server.listen('127.0.0.1', 0));
  const watches: WatchReader[] = [];

  const req = async <T>(method: string, path: string, opts: RequestOptions = {}): Promise<Answer<T>> => {
    const headers: Record<string, string> = { ...opts.headers, accept: opts.accept ?? JSON_TYPE };
    let body: string | Buffer | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
    }
    if (opts.contentType !== null && body !== undefined) headers['content-type'] = opts.contentType ?? JSON_TYPE;
    // fetch labels a string body text/plain; bytes go without a Content-Type.
    if (opts.contentType === null && typeof body === 'string') body = Buffer.from(body);
    const res = await fetch(url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // plain text (health checks, logs)
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };

  const watch = async (path: string, accept = JSON_TYPE, headers: Record<string, string> = {}): Promise<WatchReader> => {
    const abort = new AbortController();
    const res = await fetch(url + path, { headers: { ...headers, accept }, signal: abort.signal });
    const reader = new WatchReader(res.status, res.headers, res.body as unknown as AsyncIterable<Uint8Array>, abort);
    watches.push(reader);
    return reader;
  };

  return {
    url,
    server,
    store,
    req,
    watch,
    async close() {
      for (const w of watches) w.close();
      await server.close();
      await store.close();
    },
  };
}

export const pod = (name: string, extra: { labels?: Record<string, string>; nodeName?: string; namespace?: string } = {}): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}), ...(extra.namespace ? { namespace: extra.namespace } : {}) },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
});

export const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

export const deployment = (name: string, replicas = 1): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});
