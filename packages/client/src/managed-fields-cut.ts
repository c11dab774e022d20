// Finds `metadata.managedFields` in the raw bytes of an object (or `object.metadata.managedFields`
// of a watch event line), so that a caller who drops managedFields anyway (informers, controllers)
// need not decode them: they are often half of an object's JSON, and parsing them allocates
// thousands of small objects per second. The scan walks
// only the keys before the field, skipping values by bracket depth. Anything unexpected (other
// nesting, whitespace, a malformed line) yields no cut: the line is then decoded whole.
// Byte-level is safe for UTF-8: bytes of multi-byte characters are ≥ 0x80 and never match the
// structural characters looked for here.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const names = (...keys: string[]): readonly Uint8Array[] => keys.map((k) => Buffer.from(k));
const quotedNames = new WeakMap<Uint8Array, Buffer>();
/** `"name"`, the bytes of a key as JSON spells it. */
function quoted(name: Uint8Array): Buffer {
  let q = quotedNames.get(name);
  if (q === undefined) quotedNames.set(name, (q = Buffer.concat([Buffer.from('"'), name, Buffer.from('"')])));
  return q;
}
/** Where managedFields are in a watch event, and in an object. */
export const IN_WATCH_EVENT = names('object', 'metadata', 'managedFields');
export const IN_OBJECT = names('metadata', 'managedFields');

/**
 * The byte range [from, to) in `buf[start, end)` to remove so that the JSON there has no member at
 * `path` (the member and one adjacent comma); undefined when there is none to cut.
 */
export function managedFieldsCut(buf: Uint8Array, start: number, end: number, path: readonly Uint8Array[] = IN_WATCH_EVENT): [number, number] | undefined {
  // Most lines have none (mini-kube leaves them out for clients that ask): a native search of the
  // last key says so without walking the members before it.
  if (Buffer.from(buf.buffer, buf.byteOffset + start, end - start).indexOf(quoted(path[path.length - 1]!)) < 0) return undefined;
  let open = start;
  let fields: { key: number; value: number } | undefined;
  for (let k = 0; k < path.length; k++) {
    fields = findMember(buf, open, end, path[k]!);
    if (!fields) return undefined;
    open = fields.value;
  }
  if (!fields) return undefined;
  const valueEnd = skipValue(buf, fields.value, end);
  if (valueEnd < 0) return undefined;
  if (buf[valueEnd] === COMMA) return [fields.key, valueEnd + 1];
  if (buf[fields.key - 1] === COMMA) return [fields.key - 1, valueEnd];
  return [fields.key, valueEnd]; // the only member
}

/**
 * In the JSON object opening at `open` (a `{`), the member named `name`: where its key's quote
 * and its value start. Members before it are skipped; none after it are read.
 */
function findMember(buf: Uint8Array, open: number, end: number, name: Uint8Array): { key: number; value: number } | undefined {
  if (buf[open] !== OPEN_BRACE) return undefined;
  let at = open + 1;
  while (at < end && buf[at] === QUOTE) {
    const key = at;
    const keyEnd = skipString(buf, at, end);
    if (keyEnd < 0 || buf[keyEnd] !== COLON) return undefined;
    const value = keyEnd + 1;
    if (keyEnd - key - 2 === name.length && sameBytes(buf, key + 1, name)) return { key, value };
    at = skipValue(buf, value, end);
    if (at < 0 || buf[at] !== COMMA) return undefined; // `}` (not found) or something unexpected
    at++;
  }
  return undefined;
}

/** The index just past the JSON value at `at`, or -1 when it does not end before `end`. */
function skipValue(buf: Uint8Array, at: number, end: number): number {
  const first = buf[at];
  if (first === QUOTE) return skipString(buf, at, end);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // A number, true, false or null: runs to the next delimiter.
    while (at < end && buf[at] !== COMMA && buf[at] !== CLOSE_BRACE && buf[at] !== CLOSE_BRACKET) at++;
    return at < end ? at : -1;
  }
  let depth = 0;
  while (at < end) {
    const c = buf[at]!;
    if (c === QUOTE) {
      at = skipString(buf, at, end);
      if (at < 0) return -1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return at + 1;
    at++;
  }
  return -1;
}

/** The index just past the string whose opening quote is at `at`, or -1. */
function skipString(buf: Uint8Array, at: number, end: number): number {
  for (let i = at + 1; i < end; i++) {
    const c = buf[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return -1;
}

function sameBytes(buf: Uint8Array, at: number, name: Uint8Array): boolean {
  for (let k = 0; k < name.length; k++) if (buf[at + k] !== name[k]) return false;
  return true;
}
