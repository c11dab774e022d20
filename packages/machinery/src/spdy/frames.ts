// SPDY/3 (and 3.1) frames: encoding, and an incremental parser for a byte stream. Header blocks
// are carried here as opaque (compressed) bytes; headers.ts turns them into name/value pairs.
// A control frame is: C=1 | version(15) | type(16) | flags(8) | length(24) | payload; a data
// frame is: C=0 | stream id(31) | flags(8) | length(24) | payload.

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;
export const MAX_FRAME_LENGTH = 0xffffff;

export const enum ControlType {
  SynStream = 1,
  SynReply = 2,
  RstStream = 3,
  Settings = 4,
  Ping = 6,
  GoAway = 7,
  Headers = 8,
  WindowUpdate = 9,
}

/** RST_STREAM status codes. */
export const RstStatus = { ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5, InternalError: 6, FlowControlError: 7 } as const;
/** SETTINGS ids used here. */
export const SETTINGS_INITIAL_WINDOW_SIZE = 7;

export interface Setting {
  id: number;
  value: number;
  flags?: number;
}

export type Frame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedId: number; priority: number; fin: boolean; unidirectional: boolean; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; settings: Setting[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'unknown'; frameType: number };

export class SpdyProtocolError extends Error {}

function control(type: ControlType, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  if (payload.length > MAX_FRAME_LENGTH) throw new SpdyProtocolError('control frame too long');
  head.writeUInt32BE(payload.length, 4);
  head[4] = flags & 0xff;
  return Buffer.concat([head, payload]);
}

function u32s(...values: number[]): Buffer {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeUInt32BE(v >>> 0, i * 4));
  return buf;
}

const id31 = (n: number): number => n & 0x7fffffff;

/** The bytes of one frame. */
export function encodeFrame(frame: Frame): Buffer {
  switch (frame.type) {
    case 'data': {
      if (frame.data.length > MAX_FRAME_LENGTH) throw new SpdyProtocolError('data frame too long');
      const head = u32s(id31(frame.streamId), frame.data.length);
      head[4] = frame.fin ? FLAG_FIN : 0;
      return Buffer.concat([head, frame.data]);
    }
    case 'syn_stream': {
      const fixed = Buffer.concat([u32s(id31(frame.streamId), id31(frame.associatedId)), Buffer.from([(frame.priority & 0x7) << 5, 0])]);
      const flags = (frame.fin ? FLAG_FIN : 0) | (frame.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
      return control(ControlType.SynStream, flags, Buffer.concat([fixed, frame.headerBlock]));
    }
    case 'syn_reply':
      return control(ControlType.SynReply, frame.fin ? FLAG_FIN : 0, Buffer.concat([u32s(id31(frame.streamId)), frame.headerBlock]));
    case 'headers':
      return control(ControlType.Headers, frame.fin ? FLAG_FIN : 0, Buffer.concat([u32s(id31(frame.streamId)), frame.headerBlock]));
    case 'rst_stream':
      return control(ControlType.RstStream, 0, u32s(id31(frame.streamId), frame.status));
    case 'settings': {
      const entries = frame.settings.map((s) => u32s((((s.flags ?? 0) & 0xff) << 24) | (s.id & 0xffffff), s.value));
      return control(ControlType.Settings, 0, Buffer.concat([u32s(frame.settings.length), ...entries]));
    }
    case 'ping':
      return control(ControlType.Ping, 0, u32s(frame.id));
    case 'goaway':
      return control(ControlType.GoAway, 0, u32s(id31(frame.lastGoodStreamId), frame.status));
    case 'window_update':
      return control(ControlType.WindowUpdate, 0, u32s(id31(frame.streamId), id31(frame.delta)));
    case 'unknown':
      throw new SpdyProtocolError(`cannot encode frame type ${frame.frameType}`);
  }
}

function need(payload: Buffer, n: number, what: string): void {
  if (payload.length < n) throw new SpdyProtocolError(`${what} frame too short (${payload.length} bytes)`);
}

function decodeControl(type: number, flags: number, p: Buffer): Frame {
  const fin = (flags & FLAG_FIN) !== 0;
  switch (type) {
    case ControlType.SynStream:
      need(p, 10, 'SYN_STREAM');
      return { type: 'syn_stream', streamId: id31(p.readUInt32BE(0)), associatedId: id31(p.readUInt32BE(4)), priority: p[8]! >> 5, fin, unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0, headerBlock: p.subarray(10) };
    case ControlType.SynReply:
      need(p, 4, 'SYN_REPLY');
      return { type: 'syn_reply', streamId: id31(p.readUInt32BE(0)), fin, headerBlock: p.subarray(4) };
    case ControlType.Headers:
      need(p, 4, 'HEADERS');
      return { type: 'headers', streamId: id31(p.readUInt32BE(0)), fin, headerBlock: p.subarray(4) };
    case ControlType.RstStream:
      need(p, 8, 'RST_STREAM');
      return { type: 'rst_stream', streamId: id31(p.readUInt32BE(0)), status: p.readUInt32BE(4) };
    case ControlType.Settings: {
      need(p, 4, 'SETTINGS');
      const count = p.readUInt32BE(0);
      need(p, 4 + count * 8, 'SETTINGS');
      const settings: Setting[] = [];
      for (let i = 0; i < count; i++) {
        const word = p.readUInt32BE(4 + i * 8);
        settings.push({ flags: word >>> 24, id: word & 0xffffff, value: p.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', settings };
    }
    case ControlType.Ping:
      need(p, 4, 'PING');
      return { type: 'ping', id: p.readUInt32BE(0) };
    case ControlType.GoAway:
      need(p, 4, 'GOAWAY');
      return { type: 'goaway', lastGoodStreamId: id31(p.readUInt32BE(0)), status: p.length >= 8 ? p.readUInt32BE(4) : 0 };
    case ControlType.WindowUpdate:
      need(p, 8, 'WINDOW_UPDATE');
      return { type: 'window_update', streamId: id31(p.readUInt32BE(0)), delta: id31(p.readUInt32BE(4)) };
    default:
      return { type: 'unknown', frameType: type };
  }
}

/** Splits a byte stream into frames; feed it chunks as they arrive. */
export class FrameParser {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** The frames completed by `chunk`, in order. */
  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    while (this.buffered >= 8) {
      const head = this.peek(8);
      const length = head.readUInt32BE(4) & 0xffffff;
      if (this.buffered < 8 + length) break;
      const bytes = this.take(8 + length);
      const flags = bytes[4]!;
      const payload = bytes.subarray(8);
      if (bytes[0]! & 0x80) {
        const version = bytes.readUInt16BE(0) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push(decodeControl(bytes.readUInt16BE(2), flags, payload));
      } else {
        frames.push({ type: 'data', streamId: id31(bytes.readUInt32BE(0)), fin: (flags & FLAG_FIN) !== 0, data: payload });
      }
    }
    return frames;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    const first = this.chunks[0]!;
    const out = first.subarray(0, n);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    return out;
  }
}
