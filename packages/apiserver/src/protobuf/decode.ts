// Schema-driven decoding of one protobuf message into the JSON object the same request would carry.
import { SCHEMA, isScalar, isSpecial, type FieldSpec } from './schema.js';
import { decodeSpecial } from './special.js';
import { WIRE_BYTES, WIRE_VARINT, WireReader } from './wire.js';

type Json = Record<string, unknown>;

const utf8 = new TextDecoder();

export function decodeMessage(bytes: Uint8Array, type: string, path: string): Json {
  const fields = SCHEMA.get(type);
  if (!fields) throw new Error(`protobuf schema has no message ${type}`);
  const reader = new WireReader(bytes, path || type);
  const out: Json = {};
  while (!reader.done) {
    const { field, wire } = reader.readTag();
    const spec = fields.get(field);
    if (!spec) {
      reader.skip(wire); // a newer field than this table knows: ignored, as the real server would not
      continue;
    }
    const where = spec.name ? (path ? `${path}.${spec.name}` : spec.name) : path;
    if (spec.repeated && wire === WIRE_BYTES && (spec.type === 'i32' || spec.type === 'i64' || spec.type === 'b')) {
      appendPacked(out, spec, reader.readBytes(), where);
    } else if (spec.map) {
      readMapEntry(out, spec, expectBytes(reader, wire, where), where);
    } else {
      store(out, spec, readValue(reader, wire, spec.type, where));
    }
  }
  return out;
}

function store(out: Json, spec: FieldSpec, value: unknown): void {
  if (spec.name === null) {
    Object.assign(out, value as Json); // an embedded Go struct: JSON inlines its fields
  } else if (spec.repeated) {
    const list = (out[spec.name] ??= []) as unknown[];
    list.push(value ?? null);
  } else if (value !== undefined && (spec.keepZero || !isZeroScalar(spec.type, value))) {
    out[spec.name] = value;
  }
}

/** Only plain scalars are dropped when zero: an IntOrString 0 (`maxSurge: 0`) means something. */
function isZeroScalar(type: string, value: unknown): boolean {
  return isScalar(type) && (value === '' || value === 0 || value === false);
}

function readValue(reader: WireReader, wire: number, type: string, where: string): unknown {
  if (type === 'b' || type === 'i32' || type === 'i64') {
    if (wire !== WIRE_VARINT) throw reader.fail(`${where}: expected a varint, got wire type ${wire}`);
    return fromVarint(reader.readVarint(), type);
  }
  const bytes = expectBytes(reader, wire, where);
  if (type === 's') return utf8.decode(bytes);
  if (type === 'bytes') return Buffer.from(bytes).toString('base64');
  if (isSpecial(type)) return decodeSpecial(type, bytes, where);
  return decodeMessage(bytes, type, where);
}

function fromVarint(v: bigint, type: 'b' | 'i32' | 'i64'): boolean | number {
  if (type === 'b') return v !== 0n;
  return Number(BigInt.asIntN(type === 'i32' ? 32 : 64, v));
}

function expectBytes(reader: WireReader, wire: number, where: string): Uint8Array {
  if (wire !== WIRE_BYTES) throw reader.fail(`${where}: expected a length-delimited field, got wire type ${wire}`);
  return reader.readBytes();
}

/** Repeated numbers may arrive packed into one length-delimited field. */
function appendPacked(out: Json, spec: FieldSpec, bytes: Uint8Array, where: string): void {
  const inner = new WireReader(bytes, where);
  while (!inner.done) store(out, spec, fromVarint(inner.readVarint(), spec.type as 'b' | 'i32' | 'i64'));
}

/** A map entry is a message {key = 1, value = 2}; a missing part takes its zero value. */
function readMapEntry(out: Json, spec: FieldSpec, bytes: Uint8Array, where: string): void {
  const reader = new WireReader(bytes, `${where} entry`);
  let key = '';
  let value: unknown;
  while (!reader.done) {
    const { field, wire } = reader.readTag();
    if (field === 1) key = utf8.decode(expectBytes(reader, wire, where));
    else if (field === 2) value = readValue(reader, wire, spec.type, `${where}[${key}]`);
    else reader.skip(wire);
  }
  const map = (out[spec.name!] ??= {}) as Json;
  map[key] = value ?? zeroOf(spec.type);
}

function zeroOf(type: string): unknown {
  if (type === 's' || type === 'bytes') return '';
  if (type === 'Quantity') return '0';
  if (isScalar(type)) return type === 'b' ? false : 0;
  return {};
}
