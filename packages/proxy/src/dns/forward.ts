// Forwarding of names outside the cluster domain to the host's nameservers (CoreDNS's `forward .
// /etc/resolv.conf`): the client's query bytes go upstream unchanged, over the protocol the client
// used, and the first upstream that answers in time wins.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** How long one upstream gets to answer. */
const UPSTREAM_TIMEOUT_MS = 2_000;

export interface Upstream {
  host: string;
  port: number;
}

/** The `nameserver` lines of a resolv.conf, IPv4 only, without the addresses in `exclude`. */
export function parseNameservers(text: string, exclude: readonly string[] = []): Upstream[] {
  const out: Upstream[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\d+\.\d+\.\d+\.\d+)\s*$/.exec(line);
    if (m && !exclude.includes(m[1]!)) out.push({ host: m[1]!, port: 53 });
  }
  return out;
}

/** The host's nameservers, read at each call (resolv.conf may change); none when unreadable. */
export function hostNameservers(exclude: readonly string[] = [], path = '/etc/resolv.conf'): Upstream[] {
  try {
    return parseNameservers(readFileSync(path, 'utf8'), exclude);
  } catch {
    return [];
  }
}

/** The upstream answer to `query`, or undefined when none of `upstreams` answered. */
export async function forward(query: Buffer, upstreams: readonly Upstream[], tcp: boolean): Promise<Buffer | undefined> {
  for (const upstream of upstreams) {
    const answer = await (tcp ? askTcp : askUdp)(query, upstream).catch(() => undefined);
    if (answer) return answer;
  }
  return undefined;
}

function askUdp(query: Buffer, upstream: Upstream): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    let settled = false;
    const done = (answer: Buffer | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), UPSTREAM_TIMEOUT_MS);
    socket.on('error', () => done(undefined));
    socket.on('message', (msg, from) => {
      // Only the upstream's reply to this query (same id) counts.
      if (from.address === upstream.host && msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) done(msg);
    });
    socket.send(query, upstream.port, upstream.host, (err) => err && done(undefined));
  });
}

function askTcp(query: Buffer, upstream: Upstream): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: upstream.host, port: upstream.port });
    let received = Buffer.alloc(0);
    let settled = false;
    const done = (answer: Buffer | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), UPSTREAM_TIMEOUT_MS);
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
    socket.on('connect', () => socket.write(withLength(query)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) done(received.subarray(2, 2 + received.readUInt16BE(0)));
    });
  });
}

/** A DNS message framed for TCP: a 2-byte big-endian length, then the message. */
export function withLength(message: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(message.length);
  return Buffer.concat([length, message]);
}
