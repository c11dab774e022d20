// One undici Pool per server (keep-alive), or the dispatcher the config gives; auth headers, and the
// status check shared by every call.
import { Pool, type Dispatcher } from 'undici';
import { OMIT_MANAGED_FIELDS_HEADER } from '@mini-kube/api';
import type { ClientConfig } from './config.js';
import { responseError, type RequestContext } from './errors.js';
import { IN_OBJECT, managedFieldsCut } from './managed-fields-cut.js';
import { queryString, type QueryValue } from './paths.js';

export interface SendOptions {
  query?: Record<string, QueryValue>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Idle time allowed between body chunks; 0 for streams that may be quiet for long (watch, follow). */
  bodyTimeoutMs?: number;
  context?: RequestContext;
  /** `send` only: the answer is JSON to decode (read as undici's text, which drops a byte-order mark). */
  json?: boolean;
  /**
   * Asks the server to leave metadata.managedFields out (OMIT_MANAGED_FIELDS_HEADER); `send` also
   * cuts out of its answer any the server left in (a watch's events are cut by WatchStream).
   */
  omitManagedFields?: boolean;
}

export interface StreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** Chunks of bytes; a dispatcher may also give text (the daemon's in-process transport, for watch lines). */
  body: AsyncIterable<Buffer | string> & {
    destroy(error?: Error): unknown;
    text(): Promise<string>;
    arrayBuffer(): Promise<ArrayBuffer>;
  };
}

export interface DispatchRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  bodyTimeout?: number;
}

/**
 * What carries requests to the server: an undici Pool over HTTP by default; the daemon's in-process
 * transport for its own components. An aborted signal rejects the request, or ends its body.
 */
export interface RequestDispatcher {
  request(req: DispatchRequest): Promise<StreamResponse>;
  /** Ends the dispatcher: later requests fail. */
  close(): Promise<void>;
}

/** The answer of a raw request: status, headers and the body as text. */
export class RawResponse {
  constructor(
    readonly statusCode: number,
    readonly headers: Record<string, string | string[] | undefined>,
    readonly text: string,
  ) {}

  json<T = unknown>(): T {
    return JSON.parse(this.text) as T;
  }
}

export class Transport {
  private readonly dispatcher: RequestDispatcher;
  private readonly basePath: string;
  private readonly baseHeaders: Record<string, string>;
  private closing?: Promise<void>;

  constructor(private readonly config: ClientConfig) {
    const url = new URL(config.server);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.dispatcher = config.dispatcher ?? httpDispatcher(url.origin, config);
    this.baseHeaders = { 'user-agent': config.userAgent ?? 'mini-kube-client/0.1' };
    if (config.token) this.baseHeaders.authorization = `Bearer ${config.token}`;
    else if (config.username !== undefined) {
      const basic = Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64');
      this.baseHeaders.authorization = `Basic ${basic}`;
    }
  }

  /** Sends a request and returns the open body; throws StatusError on a non-2xx answer. */
  async stream(method: string, path: string, opts: SendOptions = {}): Promise<StreamResponse> {
    const headers: Record<string, string> = { ...this.baseHeaders, accept: opts.accept ?? 'application/json' };
    if (opts.omitManagedFields) headers[OMIT_MANAGED_FIELDS_HEADER] = 'true';
    let body: string | Buffer | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] = opts.contentType ?? 'application/json';
    }
    const res = await this.dispatcher.request({
      method,
      path: this.basePath + path + queryString(opts.query),
      headers,
      body,
      signal: opts.signal,
      ...(opts.bodyTimeoutMs !== undefined ? { bodyTimeout: opts.bodyTimeoutMs } : {}),
    });
    this.reportWarnings(res.headers.warning);
    if (res.statusCode < 200 || res.statusCode > 299) {
      const text = await res.body.text();
      throw responseError(res.statusCode, text, opts.context ?? { verb: method });
    }
    return { statusCode: res.statusCode, headers: res.headers, body: res.body };
  }

  /** Sends a request and reads the whole body as text (with undici's own readers: no async iteration of chunks). */
  async send(method: string, path: string, opts: SendOptions = {}): Promise<RawResponse> {
    const res = await this.stream(method, path, opts);
    let text: string;
    if (opts.omitManagedFields) text = withoutManagedFields(Buffer.from(await res.body.arrayBuffer()));
    // body.text() drops a leading byte-order mark: harmless for JSON, not for other text (logs).
    else if (opts.json) text = await res.body.text();
    else text = Buffer.from(await res.body.arrayBuffer()).toString('utf8');
    return new RawResponse(res.statusCode, res.headers, text);
  }

  /**
   * Sends a request whose answer the caller does not need: a non-2xx status throws as with `send`;
   * a 2xx body is read to its end (keeping the connection reusable) and dropped, never parsed.
   * (Read as text: undici's body.dump() measured far costlier per call, in adding its listeners.)
   */
  async sendDiscarding(method: string, path: string, opts: SendOptions = {}): Promise<number> {
    const res = await this.stream(method, path, opts);
    await res.body.text();
    return res.statusCode;
  }

  /** Closes the dispatcher once; later calls return the same promise. */
  close(): Promise<void> {
    this.closing ??= this.dispatcher.close();
    return this.closing;
  }

  /** Whether `close` was called: requests fail from then on. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  private reportWarnings(header: string | string[] | undefined): void {
    if (!header || !this.config.onWarning) return;
    for (const value of Array.isArray(header) ? header : [header]) {
      // `299 - "text"`, possibly several joined by commas; the text is a quoted string.
      const texts = [...value.matchAll(/\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
      for (const text of texts.length ? texts : [value]) this.config.onWarning(text);
    }
  }
}

/** Keep-alive HTTP connections to `origin`. */
function httpDispatcher(origin: string, config: ClientConfig): RequestDispatcher {
  const pool = new Pool(origin, {
    // Unlimited by default: each open watch holds a connection, and requests must not queue behind them.
    connections: config.connections ?? null,
    connect: {
      ca: config.ca,
      cert: config.cert,
      key: config.key,
      rejectUnauthorized: !config.insecureSkipTLSVerify,
      ...(config.tlsServerName ? { servername: config.tlsServerName } : {}),
    },
  });
  return {
    request: (req) => pool.request({ ...req, method: req.method as Dispatcher.HttpMethod }),
    close: () => pool.close(),
  };
}

/** The text of a JSON object without its metadata.managedFields (cut from the bytes, never decoded). */
function withoutManagedFields(bytes: Buffer): string {
  const cut = managedFieldsCut(bytes, 0, bytes.length, IN_OBJECT);
  if (!cut) return bytes.toString('utf8');
  return bytes.toString('utf8', 0, cut[0]) + bytes.toString('utf8', cut[1]);
}
