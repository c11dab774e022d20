// Shared helpers of the strategy tests: the Strategy of a kind, and create/update as the registry runs them.
import { RESOURCES, type KObject } from '@mini-kube/api';
import type { FieldError } from '@mini-kube/machinery';
import { strategyFor } from '../src/strategies/index.js';
import type { Strategy } from '../src/strategies/types.js';

export function strategy(kind: string, group = ''): Strategy {
  const info = RESOURCES.find((r) => r.kind === kind && r.group === group);
  if (!info) throw new Error(`no resource ${group}/${kind}`);
  return strategyFor(info);
}

/** Defaults then validates a new object; returns the defaulted object and the errors. */
export function create(kind: string, group: string, obj: KObject): { obj: KObject; errors: FieldError[] } {
  const s = strategy(kind, group);
  const copy = structuredClone(obj);
  s.defaults(copy);
  return { obj: copy, errors: s.validate(copy) };
}

/** Defaults `next` and validates it as an update of the (defaulted) `prev`. */
export function update(kind: string, group: string, prev: KObject, next: KObject): FieldError[] {
  const s = strategy(kind, group);
  const old = structuredClone(prev);
  const cur = structuredClone(next);
  s.defaults(old);
  s.defaults(cur);
  return s.validateUpdate(cur, old);
}

export const show = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);
