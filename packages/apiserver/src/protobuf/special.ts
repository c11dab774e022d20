// apimachinery types whose JSON form differs from their protobuf message: Time, MicroTime,
// Quantity, IntOrString and FieldsV1.
import { badRequest } from '@mini-kube/machinery';
import { WIRE_BYTES, WIRE_VARINT, WireReader } from './wire.js';
import type { SpecialType } from './schema.js';

const utf8 = new TextDecoder();

/** Field number → raw value, for the tiny messages below (last occurrence wins, as in protobuf). */
function readFlat(bytes: Uint8Array, where: string): Map<number, bigint | Uint8Array> {
  const reader = new WireReader(bytes, where);
  const values = new Map<number, bigint | Uint8Array>();
  while (!reader.done) {
    const { field, wire } = reader.readTag();
    if (wire === WIRE_VARINT) values.set(field, reader.readVarint());
    else if (wire === WIRE_BYTES) values.set(field, reader.readBytes());
    else reader.skip(wire);
  }
  return values;
}

const int = (v: bigint | Uint8Array | undefined, bits: number): number =>
  typeof v === 'bigint' ? Number(BigInt.asIntN(bits, v)) : 0;
const str = (v: bigint | Uint8Array | undefined): string => (v instanceof Uint8Array ? utf8.decode(v) : '');

// The range Time accepts: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
const MIN_SECONDS = -62135596800;
const MAX_SECONDS = 253402300799;

/** RFC3339 in UTC; `fractionDigits` 0 for Time, 6 for MicroTime. Undefined for the zero time (JSON null). */
function formatTime(seconds: number, nanos: number, fractionDigits: number, where: string): string | undefined {
  if (seconds === 0 && nanos === 0) return undefined;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS || nanos < 0 || nanos > 999_999_999) {
    throw badRequest(`invalid protobuf body: ${where}: time out of range`);
  }
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (fractionDigits === 0) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** Decodes one special type; undefined means "absent in JSON". */
export function decodeSpecial(type: SpecialType, bytes: Uint8Array, where: string): unknown {
  const v = readFlat(bytes, `${where} (${type})`);
  switch (type) {
    case 'Time':
      return formatTime(int(v.get(1), 64), int(v.get(2), 32), 0, where);
    case 'MicroTime':
      return formatTime(int(v.get(1), 64), int(v.get(2), 32), 6, where);
    case 'Quantity':
      // A zero Quantity is written with an empty string; Go prints it as "0".
      return str(v.get(1)) || '0';
    case 'IntOrString':
      return int(v.get(1), 64) === 1 ? str(v.get(3)) : int(v.get(2), 32);
    case 'FieldsV1':
      return parseFieldsV1(str(v.get(1)), where);
  }
}

function parseFieldsV1(raw: string, where: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest(`invalid protobuf body: ${where}: fieldsV1 is not JSON`);
  }
}
