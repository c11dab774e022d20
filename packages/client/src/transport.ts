// One undici Pool per server (keep-alive), auth headers, and the status check shared by every call.
import { Pool } from 'undici';
import type { ClientConfig } from './config.js';
import { responseError, type RequestContext } from './errors.js';
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
}

export interface StreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown };
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
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly baseHeaders: Record<string, string>;
  private closing?: Promise<void>;

  constructor(private readonly config: ClientConfig) {
    const url = new URL(config.server);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
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
    let body: string | Buffer | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] = opts.contentType ?? 'application/json';
    }
    const res = await this.pool.request({
      method: method as 'GET',
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

  /** Sends a request and reads the whole body as text. */
  async send(method: string, path: string, opts: SendOptions = {}): Promise<RawResponse> {
    const res = await this.stream(method, path, opts);
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk);
    return new RawResponse(res.statusCode, res.headers, Buffer.concat(chunks).toString('utf8'));
  }

  /** Closes the pool once; later calls return the same promise. */
  close(): Promise<void> {
    this.closing ??= this.pool.close();
    return this.closing;
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
