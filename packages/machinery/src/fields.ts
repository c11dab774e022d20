// Field selectors (`fieldSelector=spec.nodeName=n1,status.phase!=Failed`) as
// k8s.io/apimachinery/pkg/fields parses them: comma-separated terms, `=`/`==`/`!=`, and values
// where `\`, `,` and `=` are escaped with a backslash.
import { badRequest } from './errors.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '==' | '!=';
  value: string;
}

export interface FieldSelector {
  /** The terms, sorted as the real parser sorts them. */
  readonly requirements: readonly FieldRequirement[];
  /** `get` returns a field's value as a string; undefined counts as "". */
  matches(get: (field: string) => string | undefined): boolean;
  empty(): boolean;
  /** The value `field` must equal for a match (from `=` or `==`), if any. */
  requiresExactMatch(field: string): string | undefined;
  toString(): string;
}

const OPERATORS = ['!=', '==', '='] as const;

/** Escapes `\`, `,` and `=` in a value so it can go into a field selector. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

export function unescapeFieldValue(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const next = s[i + 1];
      if (next !== '\\' && next !== ',' && next !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${next ?? ''}`);
      }
      out += next;
      i++;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  return out;
}

/** Splits on commas that are not escaped; the escapes stay in the terms. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** The first operator in the term splits it: field names have no escapes. */
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    const op = OPERATORS.find((o) => term.startsWith(o, i));
    if (op) return { field: term.slice(0, i), operator: op, value: term.slice(i + op.length) };
  }
  return undefined;
}

class Fields implements FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}
  matches(get: (field: string) => string | undefined): boolean {
    return this.requirements.every((r) => ((get(r.field) ?? '') === r.value) === (r.operator !== '!='));
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator !== '!=')?.value;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** Parses a `fieldSelector` query value; "" selects everything. Bad input throws a 400 StatusError. */
export function parseFieldSelector(s: string): FieldSelector {
  const terms = s === '' ? [] : splitTerms(s).sort();
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const req = splitTerm(term);
    if (!req) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    requirements.push({ ...req, value: unescapeFieldValue(req.value) });
  }
  return new Fields(requirements);
}

/** A selector requiring each field to equal its value (fields.SelectorFromSet). */
export function fieldSelectorFromSet(set: Record<string, string>): FieldSelector {
  const reqs = Object.keys(set)
    .sort()
    .map((field): FieldRequirement => ({ field, operator: '=', value: set[field]! }));
  return new Fields(reqs);
}
