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
 * withoutHash as JSON, memoized per template object: a sync compares the deployment's template
 * with each ReplicaSet's several times, and the objects come from caches that are never mutated.
 */
const comparable = new WeakMap<PodTemplateSpec, string | undefined>();

function comparableForm(template: PodTemplateSpec | undefined): string | undefined {
  if (!template) return JSON.stringify(withoutHash(template));
  if (!comparable.has(template)) comparable.set(template, JSON.stringify(withoutHash(template)));
  return comparable.get(template);
}

/** True when two templates are the same apart from the hash label (EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return comparableForm(a) === comparableForm(b);
}

const UTF8 = new TextEncoder();

/** FNV-1a, 32 bits, over bytes. */
function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/**
 * The pod-template-hash of `template` (controller.ComputeHash): FNV-32a of the canonical template,
 * then of `collisionCount` (little-endian) when set, printed in decimal and mapped onto the safe
 * alphabet — hence values like "7c5ddbdf54". A new collisionCount yields a new name after a clash.
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = fnv32a(UTF8.encode(comparableForm(template) ?? '{}'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return [...String(h)].map((ch) => SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}
