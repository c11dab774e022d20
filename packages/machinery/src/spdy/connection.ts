// A SPDY/3.1 session over any Duplex (a socket after an HTTP upgrade, or a WebSocket turned into
// a stream), for either side: the client opens odd streams, the server even ones. Frames go out
// in the order they were asked for even though header blocks are compressed asynchronously.
//
// Flow control is per stream, with the 64 KiB initial window: received bytes are acknowledged
// with WINDOW_UPDATE as the reader consumes them, and sends wait for the peer's window once the
// peer has shown it does flow control (a SETTINGS initial window or a WINDOW_UPDATE). Go's
// spdystream, which kubectl and the kubelet use, does neither: with such a peer sends are not
// throttled, and a reader that falls behind pauses the whole transport instead (as spdystream's
// own blocking reads do).
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { encodeFrame, FrameParser, RstStatus, SETTINGS_INITIAL_WINDOW_SIZE, SpdyProtocolError, type Frame } from './frames.js';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './headers.js';
import { SpdyStream, type StreamOwner } from './stream.js';

/** Ends a stream abruptly; the error is given only to a stream someone listens to for errors. */
function abort(stream: SpdyStream, err: Error): void {
  stream.destroy(stream.listenerCount('error') > 0 ? err : undefined);
}

export const DEFAULT_WINDOW = 64 * 1024;
const MAX_DATA_FRAME = 32 * 1024;

export interface SpdyConnectionOptions {
  /** The server side answers odd (client) streams and opens even ones. */
  server: boolean;
  /** Each stream the peer opens; call `stream.reply()` to accept it. */
  onStream?: (stream: SpdyStream) => void;
}

interface OutEntry {
  bytes?: Buffer;
}

export class SpdyConnection extends EventEmitter implements StreamOwner {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly replies = new Map<number, { resolve: (s: SpdyStream) => void; reject: (e: Error) => void }>();
  private readonly pings = new Map<number, () => void>();
  private readonly parser = new FrameParser();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly out: OutEntry[] = [];
  private incoming: Promise<void> = Promise.resolve();
  private nextStreamId: number;
  private nextPingId: number;
  private lastPeerStreamId = 0;
  private peerInitialWindow = DEFAULT_WINDOW;
  private peerFlowControl = false;
  private goingAway = false;
  private ending = false;
  closed = false;

  constructor(
    readonly transport: Duplex,
    private readonly options: SpdyConnectionOptions,
  ) {
    super();
    this.nextStreamId = options.server ? 2 : 1;
    this.nextPingId = options.server ? 2 : 1;
    transport.on('data', (chunk: Buffer) => this.onBytes(chunk));
    transport.on('end', () => this.teardown());
    transport.on('close', () => this.teardown());
    transport.on('error', (err: Error) => this.teardown(err));
    this.enqueue(encodeFrame({ type: 'settings', settings: [{ id: SETTINGS_INITIAL_WINDOW_SIZE, value: DEFAULT_WINDOW }] }));
  }

  /** Opens a stream and resolves once the peer replied (rejects if it reset it). */
  openStream(headers: SpdyHeaders, fin = false): Promise<SpdyStream> {
    if (this.closed || this.goingAway) return Promise.reject(new Error('spdy connection is closed'));
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new SpdyStream(this, id, headers, this.peerInitialWindow);
    stream.localFin = fin;
    this.streams.set(id, stream);
    const replied = new Promise<SpdyStream>((resolve, reject) => this.replies.set(id, { resolve, reject }));
    this.enqueue(this.compressor.compress(headers).then((block) => encodeFrame({ type: 'syn_stream', streamId: id, associatedId: 0, priority: 0, fin, unidirectional: false, headerBlock: block })));
    return replied;
  }

  /** Round-trip time of a PING, in ms. */
  ping(): Promise<number> {
    const id = this.nextPingId;
    this.nextPingId += 2;
    const started = Date.now();
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('spdy connection is closed'));
      this.pings.set(id, () => resolve(Date.now() - started));
      this.enqueue(encodeFrame({ type: 'ping', id }));
    });
  }

  /** Sends GOAWAY and ends the transport once everything queued is written. */
  close(): void {
    if (this.closed || this.ending) return;
    this.goingAway = true;
    this.enqueue(encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastPeerStreamId, status: 0 }));
    this.ending = true;
    this.drainOut();
  }

  destroy(): void {
    this.transport.destroy();
    this.teardown();
  }

  // --- StreamOwner: what streams ask for ---

  sendReply(stream: SpdyStream, headers: SpdyHeaders, fin: boolean): void {
    this.enqueue(this.compressor.compress(headers).then((block) => encodeFrame({ type: 'syn_reply', streamId: stream.id, fin, headerBlock: block })));
  }

  sendData(stream: SpdyStream, data: Buffer, done: (err?: Error | null) => void): void {
    let rest = data;
    const pump = (): void => {
      stream.waitingForWindow = undefined;
      if (this.closed || stream.dead) return done(new Error('spdy stream closed'));
      while (rest.length > 0) {
        let n = Math.min(rest.length, MAX_DATA_FRAME);
        if (this.peerFlowControl) n = Math.min(n, stream.sendWindow);
        if (n <= 0) {
          stream.waitingForWindow = pump;
          return;
        }
        this.enqueue(encodeFrame({ type: 'data', streamId: stream.id, fin: false, data: rest.subarray(0, n) }));
        stream.sendWindow -= n;
        rest = rest.subarray(n);
      }
      if (this.transport.writableNeedDrain) this.transport.once('drain', () => done());
      else done();
    };
    pump();
  }

  sendFin(stream: SpdyStream): void {
    this.enqueue(encodeFrame({ type: 'data', streamId: stream.id, fin: true, data: Buffer.alloc(0) }));
  }

  sendReset(stream: SpdyStream, status: number): void {
    if (!this.closed) this.enqueue(encodeFrame({ type: 'rst_stream', streamId: stream.id, status }));
  }

  /** The reader wants more: acknowledge what it consumed, resume a paused transport. */
  streamRead(stream: SpdyStream): void {
    if (stream.unacked >= DEFAULT_WINDOW / 2 && !stream.remoteFin && !this.closed) {
      this.enqueue(encodeFrame({ type: 'window_update', streamId: stream.id, delta: stream.unacked }));
      stream.unacked = 0;
    }
    if (this.transport.isPaused()) this.transport.resume();
  }

  forget(stream: SpdyStream): void {
    if (this.streams.get(stream.id) !== stream) return;
    this.streams.delete(stream.id);
    this.replies.get(stream.id)?.reject(new Error(`spdy stream ${stream.id} was reset`));
    this.replies.delete(stream.id);
    if (this.transport.isPaused() && !this.closed) this.transport.resume();
    if (this.goingAway && this.streams.size === 0) this.close();
  }

  // --- the byte stream ---

  private enqueue(frame: Buffer | Promise<Buffer>): void {
    if (this.closed) return;
    if (Buffer.isBuffer(frame)) {
      this.out.push({ bytes: frame });
    } else {
      const entry: OutEntry = {};
      this.out.push(entry);
      frame.then(
        (bytes) => {
          entry.bytes = bytes;
          this.drainOut();
        },
        (err: Error) => this.fail(err),
      );
    }
    this.drainOut();
  }

  private drainOut(): void {
    while (this.out.length > 0 && this.out[0]!.bytes) {
      const { bytes } = this.out.shift()!;
      if (!this.closed) this.transport.write(bytes!);
    }
    if (this.ending && this.out.length === 0 && !this.closed) this.transport.end();
  }

  private onBytes(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      return this.fail(err as Error);
    }
    for (const frame of frames) {
      this.incoming = this.incoming.then(() => this.handle(frame)).catch((err: Error) => this.fail(err));
    }
  }

  private async handle(frame: Frame): Promise<void> {
    if (this.closed) return;
    switch (frame.type) {
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        if (!stream) return;
        if (frame.data.length > 0 && !stream.receive(frame.data) && !this.peerFlowControl) this.transport.pause();
        if (frame.fin) stream.receiveFin();
        else if (stream.unacked >= DEFAULT_WINDOW / 2 && stream.readableLength < stream.readableHighWaterMark) this.streamRead(stream);
        return;
      }
      case 'syn_stream': {
        const headers = await this.decompressor.decompress(frame.headerBlock);
        if (frame.streamId <= this.lastPeerStreamId || frame.streamId % 2 === this.nextStreamId % 2 || this.goingAway) {
          this.enqueue(encodeFrame({ type: 'rst_stream', streamId: frame.streamId, status: this.goingAway ? RstStatus.RefusedStream : RstStatus.ProtocolError }));
          return;
        }
        this.lastPeerStreamId = frame.streamId;
        const stream = new SpdyStream(this, frame.streamId, headers, this.peerInitialWindow);
        this.streams.set(frame.streamId, stream);
        if (frame.fin || frame.unidirectional) stream.receiveFin();
        if (this.options.onStream) this.options.onStream(stream);
        else stream.reset(RstStatus.RefusedStream);
        return;
      }
      case 'syn_reply': {
        const headers = await this.decompressor.decompress(frame.headerBlock);
        const stream = this.streams.get(frame.streamId);
        if (!stream) return;
        stream.replyHeaders = headers;
        stream.replied = true;
        this.replies.get(frame.streamId)?.resolve(stream);
        this.replies.delete(frame.streamId);
        if (frame.fin) stream.receiveFin();
        return;
      }
      case 'headers': {
        const headers = await this.decompressor.decompress(frame.headerBlock);
        const stream = this.streams.get(frame.streamId);
        stream?.emit('headers', headers);
        if (frame.fin) stream?.receiveFin();
        return;
      }
      case 'rst_stream': {
        const stream = this.streams.get(frame.streamId);
        if (!stream) return;
        stream.dead = true;
        this.forget(stream);
        abort(stream, new Error(`spdy stream ${frame.streamId} reset by peer (status ${frame.status})`));
        return;
      }
      case 'settings':
        for (const s of frame.settings) {
          if (s.id !== SETTINGS_INITIAL_WINDOW_SIZE) continue;
          this.peerFlowControl = true;
          const delta = s.value - this.peerInitialWindow;
          this.peerInitialWindow = s.value;
          for (const stream of this.streams.values()) this.grow(stream, delta);
        }
        return;
      case 'window_update':
        this.peerFlowControl = true;
        if (frame.streamId !== 0) this.grow(this.streams.get(frame.streamId), frame.delta);
        return;
      case 'ping':
        if (frame.id % 2 !== this.nextPingId % 2) this.enqueue(encodeFrame(frame));
        else this.pings.get(frame.id)?.();
        this.pings.delete(frame.id);
        return;
      case 'goaway':
        this.goingAway = true;
        this.emit('goaway');
        if (this.streams.size === 0) this.close();
        return;
      case 'unknown':
        return;
    }
  }

  private grow(stream: SpdyStream | undefined, delta: number): void {
    if (!stream) return;
    stream.sendWindow += delta;
    if (stream.sendWindow > 0) stream.waitingForWindow?.();
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.emit('protocolError', err instanceof SpdyProtocolError ? err : new SpdyProtocolError(err.message));
    this.destroy();
  }

  private teardown(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.compressor.close();
    this.decompressor.close();
    const gone = new Error(err ? `spdy connection lost: ${err.message}` : 'spdy connection closed');
    for (const { reject } of this.replies.values()) reject(gone);
    this.replies.clear();
    for (const stream of [...this.streams.values()]) {
      stream.dead = true;
      // A stream the peer finished keeps its buffered data for its reader.
      if (stream.remoteFin) stream.end();
      else abort(stream, gone);
    }
    this.streams.clear();
    if (!this.transport.destroyed) this.transport.destroy();
    this.emit('close', err);
  }
}
