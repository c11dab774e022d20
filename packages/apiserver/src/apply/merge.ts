// Merging an applied configuration into the live object, and removing the fields an applier
// gave up (structured-merge-diff's Merge and RemoveItems, over plain JSON).
import type { ListType } from '@mini-kube/machinery';
import type { FieldSet } from './fieldset.js';
import { isRecord, itemPathElement, keyFieldValue, type Schema } from './schema.js';
import { deepEqual } from './typed.js';

/**
 * `config` merged over `live`: maps merge key by key, granular lists item by item (keeping
 * live-only items where they were), everything else is replaced. A `null` in the config
 * removes the field, as converting the merged object back to its type would.
 */
export function mergeObjects(
  live: Record<string, unknown>,
  config: Record<string, unknown>,
  schema: Schema,
): Record<string, unknown> {
  return mergeMap(live, config, [], schema);
}

function mergeMap(
  live: Record<string, unknown>,
  config: Record<string, unknown>,
  names: string[],
  schema: Schema,
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(live);
  for (const [name, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (value === null) delete out[name];
    else out[name] = mergeValue(live[name], value, [...names, name], schema);
  }
  return out;
}

function mergeValue(live: unknown, config: unknown, names: string[], schema: Schema): unknown {
  if (Array.isArray(config)) {
    const listType = schema.listType(names);
    if (listType.type === 'atomic') return structuredClone(config);
    return mergeList(Array.isArray(live) ? live : [], config, listType, names, schema);
  }
  if (isRecord(config) && !schema.isAtomicMap(names)) {
    return mergeMap(isRecord(live) ? live : {}, config, names, schema);
  }
  return structuredClone(config);
}

// Items of both lists are merged; the config's order wins for them, and live-only items stay
// between them where they were (a simplification of structured-merge-diff's interleaving).
function mergeList(live: unknown[], config: unknown[], listType: ListType, names: string[], schema: Schema): unknown[] {
  const key = (item: unknown): string => itemPathElement(item, listType);
  const liveByKey = new Map(live.map((item) => [key(item), item]));
  const configKeys = new Set(config.map(key));
  const merged = (item: unknown): unknown => mergeValue(liveByKey.get(key(item)), item, names, schema);
  const out: unknown[] = [];
  const done = new Set<string>();
  let c = 0;
  for (const item of live) {
    const k = key(item);
    if (!configKeys.has(k)) {
      out.push(structuredClone(item));
      continue;
    }
    // Emit config items up to and including this shared one.
    while (c < config.length && !done.has(k)) {
      const next = config[c++];
      const nextKey = key(next);
      if (done.has(nextKey)) continue;
      out.push(merged(next));
      done.add(nextKey);
    }
  }
  for (; c < config.length; c++) {
    const next = config[c];
    if (!done.has(key(next))) {
      out.push(merged(next));
      done.add(key(next));
    }
  }
  return out;
}

/**
 * Removes from `obj` (in place) the fields of `drop` that `keep` does not claim. A map or list
 * item is kept while `keep` claims anything below it; a map or list emptied by the removal goes
 * too, unless `keep` claims it.
 */
export function removeFields(obj: Record<string, unknown>, drop: FieldSet, keep: FieldSet | undefined): void {
  for (const [key, dropChild] of drop.children) {
    const keepChild = keep?.children.get(key);
    const found = locate(obj, key);
    if (!found) continue;
    if (dropChild.member && !keepChild) {
      found.remove();
      continue;
    }
    const value = found.value;
    if (dropChild.children.size === 0 || !(isRecord(value) || Array.isArray(value))) continue;
    const wasEmpty = isEmpty(value);
    removeFields(value as Record<string, unknown>, dropChild, keepChild);
    if (!wasEmpty && isEmpty(value) && !keepChild?.member) found.remove();
  }
}

const isEmpty = (value: object): boolean => Object.keys(value).length === 0;

interface Located {
  value: unknown;
  remove(): void;
}

/** The child of a map or list that a FieldsV1 path element names. */
function locate(container: unknown, key: string): Located | undefined {
  const body = key.slice(2);
  if (key.startsWith('f:')) {
    if (!isRecord(container) || !(body in container)) return undefined;
    return { value: container[body], remove: () => delete container[body] };
  }
  if (!Array.isArray(container)) return undefined;
  const index = findItem(container, key[0]!, body);
  if (index < 0) return undefined;
  return { value: container[index], remove: () => container.splice(index, 1) };
}

function findItem(items: unknown[], type: string, body: string): number {
  const wanted: unknown = type === 'i' ? Number(body) : JSON.parse(body);
  if (type === 'i') return (wanted as number) < items.length ? (wanted as number) : -1;
  if (type === 'v') return items.findIndex((item) => deepEqual(item, wanted));
  const keys = Object.entries(wanted as Record<string, unknown>);
  return items.findIndex((item) => isRecord(item) && keys.every(([k, v]) => deepEqual(keyFieldValue(item, k), v)));
}
