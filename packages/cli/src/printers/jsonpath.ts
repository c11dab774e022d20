// kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath): text with {expressions},
// `range`/`end`, string literals, fields, indexes, slices, wildcards, recursive descent and
// filters. Results of one expression are joined by spaces; maps and lists print as compact JSON.
import { goJson } from './json.js';

type Seg =
  | { t: 'field'; names: string[] }
  | { t: 'recursive'; name: string }
  | { t: 'index'; start?: number; end?: number; single: boolean; wildcard: boolean }
  | { t: 'filter'; left: string; op?: string; right?: string };

type Node = { t: 'text'; text: string } | { t: 'expr'; root: '@' | '$'; segs: Seg[] } | { t: 'range'; root: '@' | '$'; segs: Seg[]; body: Node[] } | { t: 'literal'; text: string };

export class JsonPathError extends Error {}

export function parseTemplate(template: string): Node[] {
  const tokens: Node[] = [];
  let i = 0;
  const stack: Node[][] = [tokens];
  const ranges: Extract<Node, { t: 'range' }>[] = [];
  const push = (n: Node) => stack[stack.length - 1]!.push(n);
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      push({ t: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) push({ t: 'text', text: template.slice(i, open) });
    const close = findClose(template, open);
    const inner = template.slice(open + 1, close).trim();
    i = close + 1;
    if (inner === 'end') {
      if (!ranges.pop()) throw new JsonPathError('not in range, nothing to end');
      stack.pop();
      continue;
    }
    if (inner.startsWith('range ')) {
      const { root, segs } = parsePath(inner.slice(6).trim());
      const node = { t: 'range' as const, root, segs, body: [] };
      push(node);
      ranges.push(node);
      stack.push(node.body);
      continue;
    }
    if (/^".*"$/s.test(inner) || /^'.*'$/s.test(inner)) {
      push({ t: 'literal', text: unquote(inner) });
      continue;
    }
    push({ t: 'expr', ...parsePath(inner) });
  }
  if (ranges.length) throw new JsonPathError('unclosed action');
  return tokens;
}

function findClose(s: string, open: number): number {
  let quote = '';
  for (let j = open + 1; j < s.length; j++) {
    const c = s[j]!;
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return j;
  }
  throw new JsonPathError(`unclosed action`);
}

function unquote(s: string): string {
  const body = s.slice(1, -1);
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

export function parsePath(expr: string): { root: '@' | '$'; segs: Seg[] } {
  let i = 0;
  let root: '@' | '$' = '@';
  if (expr[0] === '$' || expr[0] === '@') {
    root = expr[0] === '$' ? '$' : '@';
    i = 1;
  }
  const segs: Seg[] = [];
  const readName = (): string => {
    let name = '';
    while (i < expr.length && expr[i] !== '.' && expr[i] !== '[') {
      if (expr[i] === '\\' && i + 1 < expr.length) i++;
      name += expr[i++];
    }
    return name;
  };
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '.' && expr[i + 1] === '.') {
      i += 2;
      segs.push({ t: 'recursive', name: readName() });
    } else if (c === '.') {
      i++;
      const name = readName();
      if (name === '*') segs.push({ t: 'index', single: false, wildcard: true });
      else if (name) segs.push({ t: 'field', names: [name] });
    } else if (c === '[') {
      const close = bracketEnd(expr, i);
      segs.push(parseBracket(expr.slice(i + 1, close).trim()));
      i = close + 1;
    } else if (i === 0) {
      segs.push({ t: 'field', names: [readName()] });
    } else throw new JsonPathError(`unrecognized character in action: ${JSON.stringify(c)}`);
  }
  return { root, segs };
}

function bracketEnd(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let j = open; j < s.length; j++) {
    const c = s[j]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return j;
  }
  throw new JsonPathError('unterminated array');
}

function parseBracket(body: string): Seg {
  if (body === '*') return { t: 'index', single: false, wildcard: true };
  if (body.startsWith('?(') && body.endsWith(')')) {
    const m = /^@(\S*?)\s*(==|!=|<=|>=|<|>|=~)\s*(.+)$/.exec(body.slice(2, -1).trim());
    if (!m) return { t: 'filter', left: body.slice(3, -1).trim() };
    return { t: 'filter', left: m[1]!, op: m[2]!, right: m[3]!.trim() };
  }
  if (/^['"]/.test(body)) return { t: 'field', names: body.split(',').map((s) => s.trim().slice(1, -1)) };
  const m = /^(-?\d*)\s*(:?)\s*(-?\d*)/.exec(body)!;
  const num = (s: string) => (s === '' ? undefined : Number(s));
  if (!m[2]) return { t: 'index', start: num(m[1]!), single: true, wildcard: false };
  return { t: 'index', start: num(m[1]!), end: num(m[3]!), single: false, wildcard: false };
}

/** Evaluates one parsed path against a current (`@`) and root (`$`) value. */
export function evalPath(root: '@' | '$', segs: Seg[], current: unknown, doc: unknown): unknown[] {
  let values: unknown[] = [root === '$' ? doc : current];
  for (const seg of segs) values = values.flatMap((v) => step(seg, v, doc));
  return values;
}

function step(seg: Seg, v: unknown, doc: unknown): unknown[] {
  switch (seg.t) {
    case 'field':
      if (!isObj(v)) return [];
      return seg.names.filter((n) => n in v).map((n) => v[n]);
    case 'recursive':
      return descend(v).flatMap((x) => (isObj(x) && seg.name in x ? [x[seg.name]] : []));
    case 'index': {
      const list = Array.isArray(v) ? v : isObj(v) && seg.wildcard ? Object.keys(v).sort().map((k) => v[k]) : undefined;
      if (!list) return [];
      if (seg.wildcard) return list;
      const norm = (n: number) => (n < 0 ? n + list.length : n);
      if (seg.single) {
        const idx = norm(seg.start ?? 0);
        if (idx < 0 || idx >= list.length) throw new JsonPathError(`array index out of bounds: index ${seg.start}, length ${list.length}`);
        return [list[idx]];
      }
      return list.slice(norm(seg.start ?? 0), seg.end === undefined ? undefined : norm(seg.end));
    }
    case 'filter': {
      if (!Array.isArray(v)) return [];
      return v.filter((item) => matches(seg, item, doc));
    }
  }
}

function matches(seg: Extract<Seg, { t: 'filter' }>, item: unknown, doc: unknown): boolean {
  const left = evalPath('@', parsePath(seg.left).segs, item, doc);
  if (!seg.op) return left.length > 0;
  const right = /^['"]/.test(seg.right!) ? [seg.right!.slice(1, -1)] : /^-?[\d.]+$/.test(seg.right!) ? [Number(seg.right)] : evalPath(seg.right![0] === '$' ? '$' : '@', parsePath(seg.right!).segs, item, doc);
  if (left.length === 0 || right.length === 0) return false;
  const [a, b] = [left[0], right[0]];
  switch (seg.op) {
    case '==': return String(a) === String(b);
    case '!=': return String(a) !== String(b);
    case '<': return Number(a) < Number(b);
    case '>': return Number(a) > Number(b);
    case '<=': return Number(a) <= Number(b);
    case '>=': return Number(a) >= Number(b);
    case '=~': return new RegExp(String(b)).test(String(a));
  }
  return false;
}

function descend(v: unknown): unknown[] {
  const out: unknown[] = [v];
  if (Array.isArray(v)) for (const x of v) out.push(...descend(x));
  else if (isObj(v)) for (const k of Object.keys(v).sort()) out.push(...descend(v[k]));
  return out;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as kubectl's jsonpath prints it. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return goJson(v);
  return String(v);
}

/** Executes a template against an object. */
export function executeTemplate(nodes: Node[], doc: unknown, current: unknown = doc): string {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'text' || n.t === 'literal') out += n.text;
    else if (n.t === 'expr') out += evalPath(n.root, n.segs, current, doc).map(formatValue).join(' ');
    else {
      for (const item of evalPath(n.root, n.segs, current, doc)) {
        const items = Array.isArray(item) && n.segs.length > 0 && n.segs[n.segs.length - 1]!.t !== 'index' ? item : [item];
        for (const x of items) out += executeTemplate(n.body, doc, x);
      }
    }
  }
  return out;
}

/** kubectl's RelaxedJSONPathExpression: `.a.b`, `a.b` and `{.a.b}` all mean `{.a.b}`. */
export function relaxedPath(expr: string): string {
  const inner = expr.trim().replace(/^\{(.*)\}$/s, '$1');
  return `{${inner.startsWith('.') || inner.startsWith('$') || inner.startsWith('@') ? inner : `.${inner}`}}`;
}
