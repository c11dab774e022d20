// Dropping unknown fields: what the real server's decoder does with fields it does not know when
// field validation does not refuse them (Warn, the default, or Ignore).

/** Splits `spec.containers[0].imagee` into `['spec', 'containers', 0, 'imagee']`. */
function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [];
    if (m[1]) out.push(m[1]);
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

/** Removes each unknown field (as `checkFields` names them) from `obj`, in place. */
export function pruneFields(obj: unknown, paths: string[]): void {
  for (const path of paths) {
    const parts = segments(path);
    let node: unknown = obj;
    for (const part of parts.slice(0, -1)) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[part] : undefined;
    const last = parts.at(-1);
    if (last !== undefined && node !== null && typeof node === 'object' && !Array.isArray(node)) delete (node as Record<string, unknown>)[last];
  }
}
