// Pod template identity: the `pod-template-hash` a Deployment gives the ReplicaSet of a template,
// and the semantic comparison that finds that ReplicaSet again (EqualIgnoreHash). Both work on a
// canonical form, so key order, nulls and empty maps/lists (which Go's semantic equality treats as
// absent) never make two equal templates differ.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Alphabet of rand.SafeEncodeString: no vowels, no look-alikes, so a hash never spells a word. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The value with object keys sorted and null/undefined/empty members dropped (undefined when empty itself). */
export function canonical(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v) ?? null);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

/** The template without the `pod-template-hash` label, in canonical form. */
function withoutHash(template: PodTemplateSpec | undefined): unknown {
  const labels = { ...(template?.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return canonical({ ...template, metadata: { ...template?.metadata, labels } });
}

/**
 * True when two templates are the same apart from the hash label (EqualIgnoreHash): equal in their
 * canonical forms, compared in place (a sync compares the deployment's template with each of its
 * ReplicaSets', which are new objects at each of their status writes, so nothing is memoized).
 */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  if (a === b) return true;
  const { metadata: metaA, ...restA } = a ?? {};
  const { metadata: metaB, ...restB } = b ?? {};
  const { labels: labelsA, ...otherMetaA } = metaA ?? {};
  const { labels: labelsB, ...otherMetaB } = metaB ?? {};
  return sameCanonical(restA, restB) && sameCanonical(otherMetaA, otherMetaB) && sameLabelsIgnoringHash(labelsA, labelsB);
}

function sameLabelsIgnoringHash(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  for (const key in x) if (key !== POD_TEMPLATE_HASH_LABEL && !sameCanonical(x[key], own(y, key))) return false;
  for (const key in y) if (key !== POD_TEMPLATE_HASH_LABEL && !Object.hasOwn(x, key) && !isAbsent(y[key])) return false;
  return true;
}

/** A member of a parsed object, never one it inherits (a label may be called "constructor"). */
const own = (o: Record<string, unknown>, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/** Whether `canonical` drops the value: null, undefined, or an array or object with nothing kept in it. */
function isAbsent(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    for (const key in value) if (!isAbsent((value as Record<string, unknown>)[key])) return false;
    return true;
  }
  return false;
}

/** `JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))`, without building either. */
function sameCanonical(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const absentA = isAbsent(a);
  if (absentA || isAbsent(b)) return absentA && isAbsent(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    // canonical keeps an array's absent items, as null.
    for (let i = 0; i < a.length; i++) if (!sameCanonical(a[i], b[i])) return false;
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object') return false; // different primitives (a === b failed)
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const key in x) if (!sameCanonical(x[key], own(y, key))) return false;
  for (const key in y) if (!Object.hasOwn(x, key) && !isAbsent(y[key])) return false;
  return true;
}

const UTF8 = new TextEncoder();

/** FNV-1a, 32 bits, over bytes. */
function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  // An indexed loop: this runs once per new ReplicaSet, often before the function is optimized,
  // where an iterator over the bytes costs several times more.
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h;
}

/**
 * The pod-template-hash of `template` (controller.ComputeHash): FNV-32a of the canonical template,
 * then of `collisionCount` (little-endian) when set, printed in decimal and mapped onto the safe
 * alphabet — hence values like "7c5ddbdf54". A new collisionCount yields a new name after a clash.
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = fnv32a(UTF8.encode(JSON.stringify(withoutHash(template) ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return [...String(h)].map((ch) => SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}
