// Names the leaves that differ between two JSON values, for messages such as the Pod's
// "pod updates may not change fields other than ..." (the real server appends a cmp.Diff).
import { equal, isSet } from './fields.js';

export function diffPaths(a: unknown, b: unknown, path = '', limit = 10): string[] {
  if (equal(a, b)) return [];
  const bothObjects = isObject(a) && isObject(b);
  const bothArrays = Array.isArray(a) && Array.isArray(b) && a.length === b.length;
  if (!bothObjects && !bothArrays) return [path || '.'];
  const out: string[] = [];
  const keys = bothArrays ? (a as unknown[]).map((_, i) => i) : [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
  for (const k of keys) {
    const sub = typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    const av = (a as Record<string | number, unknown>)[k];
    const bv = (b as Record<string | number, unknown>)[k];
    out.push(...diffPaths(isSet(av) ? av : undefined, isSet(bv) ? bv : undefined, sub, limit - out.length));
    if (out.length >= limit) break;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
