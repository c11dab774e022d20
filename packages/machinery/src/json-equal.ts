// Structural equality of JSON values, as their JSON says: a missing member equals one set to
// undefined (JSON.stringify drops both). Allocates nothing, unlike comparing JSON texts.
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], other[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in x) if (!jsonEqual(x[k], Object.hasOwn(y, k) ? y[k] : undefined)) return false;
  for (const k in y) if (y[k] !== undefined && !Object.hasOwn(x, k)) return false;
  return true;
}
