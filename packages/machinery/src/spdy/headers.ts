// SPDY/3 name/value header blocks: a 32-bit count, then per pair a 32-bit length + name and a
// 32-bit length + value (several values joined by NUL). Names are lower case (Go's framer refuses
// others). Each connection direction has one zlib context: blocks are deflated with the SPDY/3
// dictionary and ended with a sync flush, so a block's bytes depend on the blocks before it.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { SpdyProtocolError } from './frames.js';

export type SpdyHeaders = Record<string, string>;

/** The uncompressed block of `headers`. */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** The headers of an uncompressed block; repeated values stay NUL-separated. */
export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  let at = 0;
  const read = (): Buffer => {
    if (at + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const len = block.readUInt32BE(at);
    if (at + 4 + len > block.length) throw new SpdyProtocolError('truncated header block');
    const out = block.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    return out;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  at = 4;
  const headers: SpdyHeaders = {};
  for (let i = 0; i < count; i++) {
    const name = read().toString('utf8').toLowerCase();
    headers[name] = read().toString('utf8');
  }
  return headers;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/**
 * One direction's zlib context. Calls are queued: each block is written and sync-flushed in turn,
 * and its output is what the stream produced up to that flush.
 */
class ZlibContext {
  private queue: Promise<unknown> = Promise.resolve();
  private output: Buffer[] = [];
  private failure: Error | undefined;
  private rejectCurrent: ((err: Error) => void) | undefined;

  constructor(private readonly stream: Deflate | Inflate) {
    stream.on('data', (chunk: Buffer) => this.output.push(chunk));
    stream.on('error', (err: Error) => {
      this.failure = new SpdyProtocolError(`header compression: ${err.message}`);
      this.rejectCurrent?.(this.failure);
    });
  }

  run(input: Buffer): Promise<Buffer> {
    const result = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          this.rejectCurrent = reject;
          this.stream.write(input);
          this.stream.flush(constants.Z_SYNC_FLUSH, () => {
            // The flush callback can run before the last 'data' event of this flush is emitted.
            setImmediate(() => {
              if (this.failure) return reject(this.failure);
              resolve(Buffer.concat(this.output.splice(0)));
            });
          });
        }),
    );
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.stream.destroy();
  }
}

/** Compresses the header blocks one side of a connection sends. */
export class HeaderCompressor {
  private readonly ctx = new ZlibContext(createDeflate({ dictionary: SPDY3_DICTIONARY, level: constants.Z_BEST_COMPRESSION }));
  compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.ctx.run(encodeHeaderBlock(headers));
  }
  close(): void {
    this.ctx.close();
  }
}

/** Decompresses the header blocks one side of a connection receives. */
export class HeaderDecompressor {
  private readonly ctx = new ZlibContext(createInflate({ dictionary: SPDY3_DICTIONARY }));
  async decompress(block: Buffer): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await this.ctx.run(block));
  }
  close(): void {
    this.ctx.close();
  }
}
