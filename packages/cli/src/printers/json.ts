// JSON as Go's encoding/json writes unstructured objects: map keys sorted, `<`, `>` and `&`
// escaped, and (for -o json) four-space indentation.

const ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029', '\b': '\\u0008', '\f': '\\u000c' };

function quote(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029\b\f]/g, (c) => ESCAPES[c]!);
}

/** Go's json.MarshalIndent(v, "", indent), or json.Marshal when indent is empty. */
export function goJson(value: unknown, indent = ''): string {
  return write(value, indent, '');
}

function write(v: unknown, indent: string, prefix: string): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const inner = prefix + indent;
  const nl = indent ? '\n' : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => inner + write(x, indent, inner)).join(`,${nl}`)}${nl}${prefix}]`;
  }
  const keys = Object.keys(v as object)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  if (keys.length === 0) return '{}';
  const body = keys.map((k) => `${inner}${quote(k)}${sep}${write((v as Record<string, unknown>)[k], indent, inner)}`);
  return `{${nl}${body.join(`,${nl}`)}${nl}${prefix}}`;
}

export function printJson(value: unknown): string {
  return `${goJson(value, '    ')}\n`;
}
