// One SPDY stream as a Node Duplex: what is written goes out as DATA frames (within the peer's
// window), `end()` sends an empty DATA frame with FIN, and the peer's DATA arrives as readable
// bytes (its FIN ends the readable side). Destroying a stream that is not finished both ways
// resets it (RST_STREAM CANCEL). The connection (connection.ts) does the framing.
import { Duplex } from 'node:stream';
import type { SpdyHeaders } from './headers.js';

/** What a stream needs from its connection. */
export interface StreamOwner {
  sendReply(stream: SpdyStream, headers: SpdyHeaders, fin: boolean): void;
  sendData(stream: SpdyStream, data: Buffer, done: (err?: Error | null) => void): void;
  sendFin(stream: SpdyStream): void;
  sendReset(stream: SpdyStream, status: number): void;
  streamRead(stream: SpdyStream): void;
  forget(stream: SpdyStream): void;
}

export class SpdyStream extends Duplex {
  /** The reply's headers, for a stream this side opened. */
  replyHeaders: SpdyHeaders | undefined;
  /** Bytes this side may still send (the peer's receive window). */
  sendWindow: number;
  /** Bytes received and not yet acknowledged with a WINDOW_UPDATE. */
  unacked = 0;
  /** A send waiting for the window to open. */
  waitingForWindow: (() => void) | undefined;
  localFin = false;
  remoteFin = false;
  replied = false;
  /** Reset by the peer (or the connection went away): nothing more is sent. */
  dead = false;

  constructor(
    private readonly owner: StreamOwner,
    readonly id: number,
    /** The SYN_STREAM headers (the peer's for a stream it opened). */
    readonly headers: SpdyHeaders,
    sendWindow: number,
  ) {
    super({ allowHalfOpen: true });
    this.sendWindow = sendWindow;
  }

  /** Accepts a stream the peer opened (SYN_REPLY); `fin` also closes this side. */
  reply(headers: SpdyHeaders = {}, fin = false): void {
    if (this.replied) return;
    this.replied = true;
    this.owner.sendReply(this, headers, fin);
    if (fin) this.localFin = true;
  }

  /** Aborts the stream with RST_STREAM `status`. */
  reset(status: number): void {
    if (!this.dead) this.owner.sendReset(this, status);
    this.dead = true;
    this.destroy();
  }

  /** Called by the connection when the peer's data arrives; false: the reader is behind. */
  receive(data: Buffer): boolean {
    this.unacked += data.length;
    return this.push(data);
  }

  /** Called by the connection on the peer's FIN. */
  receiveFin(): void {
    if (this.remoteFin) return;
    this.remoteFin = true;
    this.push(null);
    if (this.localFin) this.owner.forget(this);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.dead) return callback(new Error(`spdy stream ${this.id} was reset`));
    this.owner.sendData(this, chunk, callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    if (!this.dead && !this.localFin) this.owner.sendFin(this);
    this.localFin = true;
    if (this.remoteFin) this.owner.forget(this);
    callback();
  }

  override _read(): void {
    this.owner.streamRead(this);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (!this.dead && !(this.localFin && this.remoteFin)) this.owner.sendReset(this, 5 /* CANCEL */);
    this.dead = true;
    this.waitingForWindow = undefined;
    this.owner.forget(this);
    callback(err);
  }
}
