// Structural equality of JSON values; a missing key equals one set to undefined.
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((x, i) => deepEqual(x, other[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k of Object.keys(x)) if (!deepEqual(x[k], y[k])) return false;
  for (const k of Object.keys(y)) if (y[k] !== undefined && !Object.hasOwn(x, k)) return false;
  return true;
}
