// kubectl's client-side apply patch (apimachinery strategicpatch.CreateThreeWayMergePatch):
// changes and additions come from diffing live → desired, deletions from diffing the last
// applied configuration → desired, so fields other writers set are kept. Pure functions.
import { listTypeAt } from '@mini-kube/machinery';

type Json = any;
type JsonMap = Record<string, Json>;

/** Where patch metadata comes from; `undefined` group means "no schema": every list atomic, like a JSON merge patch. */
export interface PatchSchema {
  group?: string;
  kind: string;
}

interface DiffOptions {
  ignoreDeletions?: boolean;
  ignoreChangesAndAdditions?: boolean;
}

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isMap(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

/** The fields with a `retainKeys` patch strategy in the built-in types. */
function retainKeys(schema: PatchSchema, path: string[]): boolean {
  const p = path.join('.');
  if (schema.group === undefined) return false;
  return (schema.kind === 'Deployment' && p === 'spec.strategy') || /(^|\.)volumes$/.test(p);
}

function mergeKeyAt(schema: PatchSchema, path: string[]): string | 'set' | undefined {
  if (schema.group === undefined) return undefined;
  const t = listTypeAt(schema.group, schema.kind, path);
  if (t.type === 'map') return t.keys[0];
  if (t.type === 'set') return 'set';
  return undefined;
}

function diffMaps(original: JsonMap, modified: JsonMap, schema: PatchSchema, path: string[], opts: DiffOptions): JsonMap {
  const patch: JsonMap = {};
  const buildRetainKeys = retainKeys(schema, path);
  const retained: string[] = [];
  for (const key of Object.keys(modified)) {
    const mod = modified[key];
    if (buildRetainKeys && mod !== null) retained.push(key);
    if (!(key in original)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = mod;
      continue;
    }
    const orig = original[key];
    const sameType = isMap(orig) === isMap(mod) && Array.isArray(orig) === Array.isArray(mod) && typeof orig === typeof mod && (orig === null) === (mod === null);
    if (!sameType) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = mod;
    } else if (isMap(orig)) {
      const sub = diffMaps(orig, mod, schema, [...path, key], opts);
      if (Object.keys(sub).length) patch[key] = sub;
    } else if (Array.isArray(orig)) {
      diffSlice(key, orig, mod, schema, [...path, key], patch, opts);
    } else if (!opts.ignoreChangesAndAdditions && !deepEqual(orig, mod)) {
      patch[key] = mod;
    }
  }
  if (!opts.ignoreDeletions) for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  const extraInOriginal = Object.keys(original).some((k) => !(k in modified));
  if (retained.length && (Object.keys(patch).length || extraInOriginal)) patch.$retainKeys = retained.sort();
  return patch;
}

function diffSlice(key: string, original: Json[], modified: Json[], schema: PatchSchema, path: string[], patch: JsonMap, opts: DiffOptions): void {
  const mergeKey = mergeKeyAt(schema, path);
  if (mergeKey === undefined) {
    if (!opts.ignoreChangesAndAdditions && !deepEqual(original, modified)) patch[key] = modified;
    return;
  }
  if (original.length === 0) {
    if (modified.length && !opts.ignoreChangesAndAdditions) patch[key] = modified;
    return;
  }
  if (mergeKey === 'set' || !isMap(original[0] ?? modified[0])) {
    const added = opts.ignoreChangesAndAdditions ? [] : modified.filter((v) => !original.some((o) => deepEqual(o, v)));
    const removed = opts.ignoreDeletions ? [] : original.filter((v) => !modified.some((m) => deepEqual(m, v)));
    if (added.length) patch[key] = added;
    if (removed.length) patch[`$deleteFromPrimitiveList/${key}`] = removed;
    if ((removed.length && !opts.ignoreDeletions) || (!opts.ignoreChangesAndAdditions && !deepEqual(original, modified))) patch[`$setElementOrder/${key}`] = modified;
    return;
  }
  const keyOf = (v: JsonMap) => String(v[mergeKey]);
  const changes: Json[] = [];
  const deletions: Json[] = [];
  for (const mod of modified as JsonMap[]) {
    const orig = (original as JsonMap[]).find((o) => keyOf(o) === keyOf(mod));
    if (!orig) {
      if (!opts.ignoreChangesAndAdditions) changes.push(mod);
      continue;
    }
    const sub = diffMaps(orig, mod, schema, [...path.slice(0, -1), `${path[path.length - 1]}`], opts);
    if (Object.keys(sub).length) changes.push({ ...sub, [mergeKey]: mod[mergeKey] });
  }
  if (!opts.ignoreDeletions) {
    for (const orig of original as JsonMap[]) if (!(modified as JsonMap[]).some((m) => keyOf(m) === keyOf(orig))) deletions.push({ $patch: 'delete', [mergeKey]: orig[mergeKey] });
  }
  const list = [...changes, ...deletions];
  const orderSame = deepEqual(
    (original as JsonMap[]).filter((o) => (modified as JsonMap[]).some((m) => keyOf(m) === keyOf(o))).map(keyOf),
    (modified as JsonMap[]).filter((m) => (original as JsonMap[]).some((o) => keyOf(o) === keyOf(m))).map(keyOf),
  );
  if (list.length) patch[key] = list;
  if ((!opts.ignoreChangesAndAdditions && (list.length || !orderSame)) || (!opts.ignoreDeletions && list.length)) {
    patch[`$setElementOrder/${key}`] = (modified as JsonMap[]).map((m) => ({ [mergeKey]: m[mergeKey] }));
  }
}

/** Merges the deletions patch with the changes patch (changes win; items of merged lists with the same merge key merge). */
function mergePatches(deletions: JsonMap, changes: JsonMap, schema: PatchSchema, path: string[]): JsonMap {
  const out: JsonMap = { ...deletions };
  for (const [k, v] of Object.entries(changes)) {
    const d = out[k];
    if (isMap(d) && isMap(v)) out[k] = mergePatches(d, v, schema, [...path, k]);
    else if (Array.isArray(d) && Array.isArray(v) && !k.startsWith('$')) out[k] = mergeLists(d, v, schema, [...path, k]);
    else out[k] = v;
  }
  return out;
}

function mergeLists(deletions: Json[], changes: Json[], schema: PatchSchema, path: string[]): Json[] {
  const key = mergeKeyAt(schema, path);
  if (key === undefined || key === 'set') return [...changes, ...deletions.filter((x) => !changes.some((y) => deepEqual(x, y)))];
  const out = changes.map((c) => {
    const d = deletions.find((x) => isMap(x) && isMap(c) && x[key] === c[key] && x.$patch !== 'delete');
    return d ? mergePatches(d, c, schema, path) : c;
  });
  for (const d of deletions) if (!changes.some((c) => isMap(c) && isMap(d) && c[key] === d[key])) out.push(d);
  return out;
}

/**
 * The patch that turns `current` into `modified` while deleting only what `original` (the last
 * applied configuration) had and `modified` dropped. `{}` means unchanged.
 */
export function threeWayPatch(original: JsonMap | undefined, modified: JsonMap, current: JsonMap, schema: PatchSchema): JsonMap {
  // Item paths inside merged lists use the list field name, which is what listTypeAt expects.
  const changes = diffMaps(current, modified, schema, [], { ignoreDeletions: true });
  const deletions = diffMaps(original ?? {}, modified, schema, [], { ignoreChangesAndAdditions: true });
  return mergePatches(deletions, changes, schema, []);
}
