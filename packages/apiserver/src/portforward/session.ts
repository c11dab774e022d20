// One port-forward session: the server side of kubectl's SPDY connection. For each forwarded
// local connection kubectl opens two streams with the same `requestID` header: `streamType:
// error` (which it only reads) and `streamType: data` (the bytes), both with the remote `port`.
// Every stream is accepted at once; when a pair is complete the pod's port is dialled and the data
// stream piped to it; a failure is written on the error stream. Both streams are closed (FIN)
// when the pod connection ends, which is how kubectl learns a forwarded connection is over.
import { SpdyConnection, type SpdyStream } from '@mini-kube/machinery';
import type { Duplex } from 'node:stream';

/** Opens a byte stream to `port` of the pod; rejects with the message kubectl should print. */
export type PortDialer = (port: number) => Promise<Duplex>;

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** How long the second stream of a pair may take to come (the kubelet's stream creation timeout). */
export const PAIR_TIMEOUT_MS = 30_000;

/** The request a stream belongs to: its `requestID`, or for clients without one, the error stream's id. */
export function requestKey(stream: { id: number; headers: Record<string, string> }): string | undefined {
  const { requestid: requestId, streamtype: type } = stream.headers;
  if (requestId !== undefined) return requestId;
  if (type === 'error') return `#${stream.id}`;
  if (type === 'data') return `#${stream.id - 2}`;
  return undefined;
}

/** The port named by a data stream's headers, or why it is not valid. */
export function parsePort(text: string | undefined): number | string {
  if (text === undefined || text === '') return 'port header is missing';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) return `invalid port "${text}"`;
  return port;
}

function forward(pair: Required<Omit<Pair, 'timer'>>, dial: PortDialer): void {
  const { data, error } = pair;
  data.on('error', () => undefined);
  error.on('error', () => undefined);
  error.resume(); // kubectl writes nothing on it; its FIN is read and dropped
  const finish = (message?: string): void => {
    if (message && !error.destroyed) error.write(message);
    if (!error.writableEnded) error.end();
    if (!data.writableEnded && !data.destroyed) data.end();
  };
  const port = parsePort(data.headers.port);
  if (typeof port === 'string') return finish(port);
  dial(port).then(
    (upstream) => {
      if (data.destroyed) return void upstream.destroy(); // kubectl gave up while the pod was dialled
      data.pipe(upstream);
      upstream.pipe(data);
      upstream.on('error', () => upstream.destroy());
      upstream.on('close', () => finish());
      data.on('close', () => upstream.destroy());
    },
    (err: Error) => finish(err.message),
  );
}

/** Serves kubectl's port-forward SPDY connection over `transport` until it closes. */
export function servePortForward(transport: Duplex, dial: PortDialer, timeoutMs = PAIR_TIMEOUT_MS): SpdyConnection {
  const pairs = new Map<string, Pair>();
  const onStream = (stream: SpdyStream): void => {
    stream.on('error', () => undefined);
    const type = stream.headers.streamtype;
    const key = requestKey(stream);
    if ((type !== 'data' && type !== 'error') || key === undefined) return stream.reset(1 /* PROTOCOL_ERROR */);
    stream.reply();
    let pair = pairs.get(key);
    if (!pair) {
      pair = {
        timer: setTimeout(() => {
          pairs.delete(key);
          const { error, data } = pair!;
          if (error) error.end(`timed out waiting for the data stream of request ${key}`);
          data?.reset(5 /* CANCEL */);
        }, timeoutMs),
      };
      pair.timer.unref();
      pairs.set(key, pair);
    }
    if (pair[type]) return stream.reset(1);
    pair[type] = stream;
    if (pair.data && pair.error) {
      clearTimeout(pair.timer);
      pairs.delete(key);
      forward({ data: pair.data, error: pair.error }, dial);
    }
  };
  const connection = new SpdyConnection(transport, { server: true, onStream });
  connection.on('protocolError', () => undefined);
  connection.on('close', () => {
    for (const pair of pairs.values()) clearTimeout(pair.timer);
    pairs.clear();
  });
  return connection;
}
