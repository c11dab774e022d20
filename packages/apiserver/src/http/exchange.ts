// A request and its answer apart from how they travel: the Fastify routes (HTTP) and the daemon's
// in-process transport hand the same Exchange to the same handlers and send back their Answer.
export type Query = Record<string, string | string[] | undefined>;
export type Headers = Record<string, string | string[] | undefined>;

export interface Exchange {
  method: string;
  /** The path, without the query. */
  path: string;
  query: Query;
  headers: Headers;
  /** JSON as text (in-process) or the bytes received (HTTP); absent or empty when there was none. */
  body?: Buffer | string;
}

/** Where a stream of lines (a watch) goes. Listeners of `onClose` run once, when either side ends it. */
export interface StreamSink {
  /**
   * Set by a sink whose transport copies what it is given anyway (the daemon's in-process channel):
   * it is written text, which it sends as it is, where others are written bytes made once and shared.
   */
  readonly takesText?: boolean;
  write(chunk: string | Buffer): void;
  end(): void;
  readonly closed: boolean;
  onClose(listener: () => void): void;
}

/** Writes into the sink until the client goes away or the stream ends (a watch). */
export type StreamWriter = (sink: StreamSink) => Promise<void>;

export interface Answer {
  code: number;
  contentType: string;
  headers?: Record<string, string | string[]>;
  /** The whole body, a stream of chunks (lists, logs), or a writer of lines (watch, headers sent first). */
  body: string | Buffer | NodeJS.ReadableStream | StreamWriter;
}

export const jsonAnswer = (code: number, body: string, headers?: Record<string, string | string[]>): Answer => ({
  code,
  contentType: 'application/json',
  body,
  ...(headers ? { headers } : {}),
});
