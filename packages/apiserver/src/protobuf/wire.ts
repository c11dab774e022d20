// The protobuf wire format, read-only: varints, fixed-width values and length-delimited slices.
import { badRequest } from '@mini-kube/machinery';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export class WireReader {
  private pos = 0;

  constructor(
    private readonly buf: Uint8Array,
    /** Names the message being read, for error messages. */
    private readonly where: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** Reads a field key; returns its number and wire type. */
  readTag(): { field: number; wire: number } {
    const key = this.readVarint();
    const field = Number(key >> 3n);
    if (field === 0 || field > 0x1fffffff) throw this.fail(`invalid field number ${field}`);
    return { field, wire: Number(key & 7n) };
  }

  readVarint(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw this.fail('truncated varint');
      const byte = this.buf[this.pos++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, value);
    }
    throw this.fail('varint longer than 10 bytes');
  }

  readBytes(): Uint8Array {
    const length = this.readVarint();
    if (length > BigInt(this.buf.length - this.pos)) throw this.fail('length-delimited field runs past the end');
    const start = this.pos;
    this.pos += Number(length);
    return this.buf.subarray(start, this.pos);
  }

  /** Skips a field this decoder does not know. */
  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.readVarint();
    else if (wire === WIRE_BYTES) this.readBytes();
    else if (wire === WIRE_FIXED64) this.advance(8);
    else if (wire === WIRE_FIXED32) this.advance(4);
    else throw this.fail(`unsupported wire type ${wire}`);
  }

  fail(problem: string): Error {
    return badRequest(`invalid protobuf body: ${this.where}: ${problem}`);
  }

  private advance(n: number): void {
    if (this.pos + n > this.buf.length) throw this.fail('truncated fixed-width field');
    this.pos += n;
  }
}
