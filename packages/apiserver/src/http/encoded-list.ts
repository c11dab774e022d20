// The bytes of a List whose items are stored objects (see EncodedObject), produced chunk by chunk:
// the first chunk goes out while the next is filled, and no single buffer holds the whole answer.
import type { EncodedObject } from '../registry/codec.js';

const CHUNK_BYTES = 1 << 20;
const COMMA = 0x2c;

/** The length in bytes of `before` + the items joined by commas + `after` (all ASCII around the items). */
export function encodedListLength(before: string, items: EncodedObject[], after: string): number {
  let length = Buffer.byteLength(before) + Buffer.byteLength(after) + Math.max(0, items.length - 1);
  for (const item of items) length += item.bytes.length + item.insert.length;
  return length;
}

/** `before`, the items joined by commas, then `after`, in chunks of about `chunkBytes`. */
export function* encodedListChunks(before: string, items: EncodedObject[], after: string, chunkBytes = CHUNK_BYTES): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(Math.max(chunkBytes, Buffer.byteLength(before)));
  let pos = chunk.write(before);
  for (let i = 0; i < items.length; i++) {
    const { bytes, at, insert } = items[i]!;
    const need = bytes.length + insert.length + 1;
    if (pos + need > chunk.length) {
      yield chunk.subarray(0, pos);
      chunk = Buffer.allocUnsafe(Math.max(chunkBytes, need));
      pos = 0;
    }
    if (i > 0) chunk[pos++] = COMMA;
    if (at < 0) {
      pos += bytes.copy(chunk, pos);
    } else {
      pos += bytes.copy(chunk, pos, 0, at);
      pos += chunk.write(insert, pos, 'latin1');
      pos += bytes.copy(chunk, pos, at);
    }
  }
  yield chunk.subarray(0, pos);
  yield Buffer.from(after);
}
