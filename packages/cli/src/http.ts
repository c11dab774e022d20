// A tiny node:http(s) transport: the CLI must start fast, and node:http loads far quicker than
// undici (feasibility.md §4). Failed responses become StatusError via errors.ts.
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import { serverError } from './errors.js';

export interface Connection {
  server: string;
  token?: string;
  username?: string;
  password?: string;
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
  tlsServerName?: string;
}

/** What requests go through: node:http or node:https, and a keep-alive agent. */
interface Transport {
  lib: { request: typeof http.request };
  agent: http.Agent;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  contentType?: string | null; // null: send no Content-Type at all
  accept?: string;
  /** What the request was about, for messages like `(get pods nope)`. */
  resource?: string;
  name?: string;
}

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = Object.entries(query).filter(([, v]) => v !== undefined && v !== '');
  if (params.length === 0) return path;
  return `${path}?${params.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')}`;
}

export class Http {
  private readonly base: URL;
  private transport?: Transport;

  constructor(readonly conn: Connection) {
    this.base = new URL(conn.server);
  }

  /** node:https (and TLS) loads only for https servers: it costs milliseconds of start-up. */
  private async connect(): Promise<Transport> {
    if (this.transport) return this.transport;
    if (this.base.protocol !== 'https:') return (this.transport = { lib: http, agent: new http.Agent({ keepAlive: true }) });
    const [https, tls] = await Promise.all([import('node:https'), import('node:tls')]);
    const c = this.conn;
    const agent = new https.Agent({ keepAlive: true, ca: c.ca ?? defaultRootsWithExtra(tls.rootCertificates), cert: c.cert, key: c.key, rejectUnauthorized: !c.insecure, servername: c.tlsServerName });
    return (this.transport = { lib: https, agent });
  }

  /** Opens a request and resolves with the response once its headers arrive; the caller reads the body. */
  async open(method: string, path: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
    const { lib, agent } = await this.connect();
    const url = new URL(this.base.pathname.replace(/\/$/, '') + withQuery(path, opts.query), this.base);
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json', 'User-Agent': 'mini-kubectl/v1.32.4' };
    if (this.conn.token) headers.Authorization = `Bearer ${this.conn.token}`;
    else if (this.conn.username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${this.conn.username}:${this.conn.password ?? ''}`).toString('base64')}`;
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      if (opts.contentType !== null) headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, agent }, (res) => {
        for (const w of warnings(res)) process.stderr.write(`Warning: ${w}\n`);
        resolve(res);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** A complete request; throws a StatusError for any status >= 400. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<{ status: number; text: string }> {
    const res = await this.open(method, path, opts);
    const text = await readAll(res);
    const status = res.statusCode ?? 0;
    if (status >= 400) throw serverError(status, text, { verb: method, resource: opts.resource, name: opts.name });
    return { status, text };
  }

  async json<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const { text } = await this.request(method, path, opts);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** A streaming request (watch, logs -f): the response, after checking its status. */
  async stream(method: string, path: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
    const res = await this.open(method, path, opts);
    const status = res.statusCode ?? 0;
    if (status >= 400) throw serverError(status, await readAll(res), { verb: method, resource: opts.resource, name: opts.name });
    return res;
  }

  close(): void {
    this.transport?.agent.destroy();
  }
}

/**
 * bin/mini-kubectl hides NODE_EXTRA_CA_CERTS from Node (which would read it at every start-up) and
 * passes it on as MINI_KUBECTL_EXTRA_CA_CERTS: add those certificates as Node would have.
 */
function defaultRootsWithExtra(roots: readonly string[]): string[] | undefined {
  const extra = process.env.MINI_KUBECTL_EXTRA_CA_CERTS;
  if (!extra) return undefined;
  try {
    return [...roots, readFileSync(extra, 'utf8')];
  } catch {
    process.stderr.write(`Warning: Ignoring extra certs from \`${extra}\`, load failed\n`);
    return undefined;
  }
}

export function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** Splits a streaming response into JSON lines (watch events). */
export async function* jsonLines(res: IncomingMessage): AsyncGenerator<any> {
  let buf = '';
  for await (const chunk of res) {
    buf += (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
  }
  if (buf.trim()) yield JSON.parse(buf);
}

/** `Warning: 299 - "text"` headers, as kubectl prints them. */
function warnings(res: IncomingMessage): string[] {
  const raw = res.headers.warning;
  if (!raw) return [];
  return (Array.isArray(raw) ? raw : [raw]).map((w) => /^\d{3} \S+ "(.*)"/.exec(w)?.[1]?.replace(/\\"/g, '"') ?? w);
}
