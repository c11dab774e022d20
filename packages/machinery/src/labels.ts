// Label selectors as k8s.io/apimachinery/pkg/labels has them: requirements ANDed together,
// built from the `labelSelector` query string or from a metav1.LabelSelector.
import type { LabelSelector } from '@mini-kube/api';
import { badRequest } from './errors.js';
import { isQualifiedName, isValidLabelValue } from './validation.js';

export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export interface Selector {
  matches(labels: Record<string, string> | undefined): boolean;
  /** True when the selector restricts nothing (matches every object). */
  empty(): boolean;
  /** The canonical string form, e.g. `app=web,tier in (a,b)`. */
  toString(): string;
  /** The requirements, sorted by key; empty for both "everything" and "nothing". */
  readonly requirements: readonly Requirement[];
}

const quoteGo = (s: string): string => JSON.stringify(s);

/** Checks a requirement the way labels.NewRequirement does and throws a 400 with its message. */
export function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(`key: Invalid value: ${quoteGo(key)}: ${keyErrs.join('; ')}`);
  const vals = `[]string{${values.map(quoteGo).join(', ')}}`;
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(`values: Invalid value: ${vals}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(`values: Invalid value: ${vals}: exact-match compatibility requires one single value`);
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(`values: Invalid value: ${vals}: values set must be empty for exists and does not exist`);
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(`values: Invalid value: ${vals}: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (!/^[-+]?\d+$/.test(v)) errs.push(`values[${i}]: Invalid value: ${quoteGo(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length) errs.push(`values[${i}][${key}]: Invalid value: ${quoteGo(v)}: ${valueErrs.join('; ')}`);
  });
  if (errs.length === 1) throw badRequest(errs[0]!);
  if (errs.length > 1) throw badRequest(`[${errs.join(', ')}]`);
  return { key, operator, values: [...values] };
}

export function requirementMatches(r: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels![r.key]! : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(value!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[-+]?\d+$/.test(value!) || r.values.length !== 1) return false;
      const have = BigInt(value!);
      const want = BigInt(r.values[0]!);
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

export function requirementToString(r: Requirement): string {
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(',');
  switch (r.operator) {
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

class RequirementsSelector implements Selector {
  readonly requirements: readonly Requirement[];
  constructor(requirements: Requirement[]) {
    // Sorted by key (stably) so the string form is deterministic, as in Go.
    this.requirements = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  matches(labels: Record<string, string> | undefined): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels));
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
}

const NOTHING: Selector = {
  requirements: [],
  matches: () => false,
  empty: () => false,
  toString: () => '',
};

export const everything = (): Selector => new RequirementsSelector([]);
export const nothing = (): Selector => NOTHING;

export function selectorFromRequirements(requirements: Requirement[]): Selector {
  return new RequirementsSelector(requirements);
}

/** A selector matching exactly these labels (no validation); an empty set matches everything. */
export function selectorFromSet(set: Record<string, string> | undefined): Selector {
  return new RequirementsSelector(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: '=', values: [v] })));
}

const EXPRESSION_OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: null/undefined matches nothing, `{}` matches everything.
 * An invalid selector throws a 400 StatusError.
 */
export function selectorFromLabelSelector(sel: LabelSelector | null | undefined): Selector {
  if (sel === null || sel === undefined) return NOTHING;
  const labels = sel.matchLabels ?? {};
  const expressions = sel.matchExpressions ?? [];
  if (Object.keys(labels).length + expressions.length === 0) return everything();
  const reqs = Object.entries(labels).map(([k, v]) => newRequirement(k, '=', [v]));
  for (const expr of expressions) {
    const op = EXPRESSION_OPERATORS[expr.operator];
    if (!op) throw badRequest(`${quoteGo(expr.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(expr.key, op, expr.values ?? []));
  }
  return new RequirementsSelector(reqs);
}

// Parsed selectors by their LabelSelector's JSON: a controller parses its owner's selector on every
// sync and for every event, and each new version of the owner brings a new (equal) LabelSelector.
// Bounded: past the bound the table starts afresh.
const parsedSelectors = new Map<string, Selector | Error>();
const MAX_PARSED_SELECTORS = 4096;

/**
 * `selectorFromLabelSelector`, remembered: equal LabelSelectors (by JSON) share one Selector
 * (immutable). An invalid one throws the same error each time.
 */
export function cachedSelectorFromLabelSelector(sel: LabelSelector | null | undefined): Selector {
  if (sel === null || sel === undefined) return NOTHING;
  const key = JSON.stringify(sel);
  let parsed = parsedSelectors.get(key);
  if (parsed === undefined) {
    try {
      parsed = selectorFromLabelSelector(sel);
    } catch (err) {
      parsed = err as Error;
    }
    if (parsedSelectors.size >= MAX_PARSED_SELECTORS) parsedSelectors.clear();
    parsedSelectors.set(key, parsed);
  }
  if (parsed instanceof Error) throw parsed;
  return parsed;
}
