// Opens a WebSocket to an API server path (pods/x/exec, /attach) with the kubeconfig's credentials
// and TLS settings. A refused upgrade becomes the StatusError the server answered with, so it prints
// as kubectl prints it after its SPDY fallback is refused the same way.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { WebSocket, type RawData } from 'ws';
import { serverError } from '../errors.js';
import type { Connection } from '../http.js';
import { readAll } from '../http.js';

/** The ws:// or wss:// URL of `path` (with its query) on the server, keeping any path prefix. */
export function socketURL(server: string, path: string): string {
  const base = new URL(server);
  const url = new URL(base.pathname.replace(/\/$/, '') + path, base);
  url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function extraCA(): string[] | undefined {
  const extra = process.env.MINI_KUBECTL_EXTRA_CA_CERTS;
  if (!extra) return undefined;
  try {
    return [readFileSync(extra, 'utf8')];
  } catch {
    return undefined;
  }
}

async function tlsOptions(conn: Connection): Promise<Record<string, unknown>> {
  if (!conn.server.startsWith('https:')) return {};
  const { rootCertificates } = await import('node:tls');
  const extra = extraCA();
  const ca = conn.ca ?? (extra ? [...rootCertificates, ...extra] : undefined);
  return { ca, cert: conn.cert, key: conn.key, rejectUnauthorized: !conn.insecure, servername: conn.tlsServerName };
}

function authHeader(conn: Connection): Record<string, string> {
  if (conn.token) return { Authorization: `Bearer ${conn.token}` };
  if (conn.username !== undefined) return { Authorization: `Basic ${Buffer.from(`${conn.username}:${conn.password ?? ''}`).toString('base64')}` };
  return {};
}

/** An open socket and the messages that arrived before anyone listened (they may come with the 101). */
export interface OpenSocket {
  ws: WebSocket;
  early: RawData[];
}

/** Resolves with the open socket; rejects with the server's Status when it refuses to switch protocols. */
export async function openSocket(conn: Connection, path: string, protocols: string[], what: { resource: string; name: string }): Promise<OpenSocket> {
  const ws = new WebSocket(socketURL(conn.server, path), protocols, {
    perMessageDeflate: false,
    headers: { 'User-Agent': 'mini-kubectl/v1.32.4', ...authHeader(conn) },
    ...(await tlsOptions(conn)),
  });
  const early: RawData[] = [];
  ws.on('message', (data) => early.push(data));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, early }));
    ws.once('unexpected-response', (req, res: IncomingMessage) => {
      void readAll(res)
        .then((body) => reject(serverError(res.statusCode ?? 500, body, { verb: 'GET', ...what })), reject)
        .finally(() => req.destroy());
    });
    ws.on('error', (err) => reject(err)); // a no-op once settled; the session handles later errors
  });
}
