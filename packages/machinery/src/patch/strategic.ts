// Strategic merge patch (application/strategic-merge-patch+json), following
// k8s.io/apimachinery/pkg/util/strategicpatch as the server applies it (MergeParallelList and
// IgnoreUnmatchedNulls on). Lists merge by the key `listTypeAt` gives; other lists are replaced.
// Values with no live counterpart are cleaned of directives and nulls, which the real server
// gets for free by decoding into typed structs.
import { badRequest, StatusError } from '../errors.js';
import { listTypeAt } from './list-types.js';
import { indexIn, isMap, normalizeOrder, partition, type Json, type JsonMap } from './order.js';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

const show = (v: unknown): string => JSON.stringify(v);

/** Applies `patch` to `original` for an object of the given group and kind. Inputs are not mutated. */
export function strategicMergePatch<T extends object>(original: T, patch: unknown, group: string, kind: string): T {
  if (!isMap(patch)) {
    throw badRequest(`json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`);
  }
  const merger = new Merger(group, kind);
  return merger.mergeMap(structuredClone(original) as JsonMap, structuredClone(patch), []) as T;
}

class Merger {
  constructor(
    private readonly group: string,
    private readonly kind: string,
  ) {}

  /** Merges `patch` into `original` (both owned by us: they may be mutated). */
  mergeMap(original: JsonMap | undefined, patch: JsonMap, path: string[]): JsonMap {
    if (PATCH in patch) {
      const directive = patch[PATCH];
      delete patch[PATCH];
      if (directive === 'replace') return this.mergeMap(undefined, patch, path);
      if (directive === 'delete') return {};
      if (directive !== 'merge') throw badRequest(`unknown patch type: ${String(directive)} in map: ${show(patch)}`);
    }
    const out = original ?? {};
    this.applyRetainKeys(out, patch);
    this.applySetElementOrder(out, patch, path);
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith(DELETE_FROM)) {
        this.deleteFromPrimitiveList(out, key.slice(DELETE_FROM.length), value);
        continue;
      }
      if (value === null) {
        delete out[key];
        continue;
      }
      const live = out[key];
      const at = [...path, key];
      if (isMap(live) && isMap(value)) out[key] = this.mergeMap(live, value, at);
      else if (Array.isArray(live) && Array.isArray(value)) out[key] = this.mergeList(live, value, at);
      else out[key] = this.fresh(value, at);
    }
    return out;
  }

  /** A value with nothing to merge into: nested maps are cleaned, lists keep their items. */
  private fresh(value: Json, path: string[]): Json {
    if (isMap(value)) return this.mergeMap(undefined, value, path);
    if (!Array.isArray(value)) return value;
    // Directive-only items ({"$patch": "replace"}, {"name": "x", "$patch": "delete"}) have nothing to act on.
    return value.filter((item) => !(isMap(item) && PATCH in item)).map((item) => this.fresh(item, path));
  }

  private mergeList(original: Json[], patch: Json[], path: string[]): Json[] {
    const listType = listTypeAt(this.group, this.kind, path);
    if (listType.type === 'atomic') return this.fresh(patch, path) as Json[];
    if (original.length === 0 && patch.length === 0) return original;
    const sample = original[0] ?? patch[0];
    if (Array.isArray(sample)) throw new StatusError(422, 'Invalid', 'lists of lists are not supported');
    if (!isMap(sample)) {
      const merged = [...new Set([...original, ...patch])];
      const [fromPatch, serverOnly] = partition(merged, patch, undefined);
      return normalizeOrder(fromPatch, serverOnly, patch, original, undefined);
    }
    if (listType.type !== 'map') throw badRequest(`cannot merge lists without merge key for ${path.join('.')}`);
    const key = listType.keys[0]!;
    const { live, items } = this.applyListDirectives(original, patch, key);
    const merged = [...live];
    for (const item of items) {
      const at = indexIn(merged, item, key);
      if (at >= 0) merged[at] = this.mergeMap(merged[at] as JsonMap, item as JsonMap, path);
      else merged.push(this.mergeMap(undefined, item as JsonMap, path));
    }
    const [fromPatch, serverOnly] = partition(merged, items, key);
    return normalizeOrder(fromPatch, serverOnly, items, live, key);
  }

  /**
   * Handles `$patch` items of a merging list: `delete` drops live items with that key,
   * `replace` makes the other patch items the whole list. Returns what is left to merge.
   */
  private applyListDirectives(original: Json[], patch: Json[], key: string): { live: Json[]; items: Json[] } {
    let live = original;
    let replace = false;
    const items: Json[] = [];
    for (const item of patch) {
      if (!isMap(item)) throw badRequest(`expected a map in merging list, but received ${show(item)}`);
      if (!(PATCH in item)) {
        if (!(key in item)) throw badRequest(`map: ${show(item)} does not contain declared merge key: ${key}`);
        items.push(item);
        continue;
      }
      const directive = item[PATCH];
      if (directive === 'delete') {
        if (!(key in item)) throw badRequest(`map: ${show(item)} does not contain declared merge key: ${key}`);
        live = live.filter((x) => !(isMap(x) && x[key] === item[key]));
      } else if (directive === 'replace') {
        replace = true;
      } else if (directive === 'merge') {
        throw badRequest('merging lists cannot yet be specified in the patch');
      } else {
        throw badRequest(`unknown patch type: ${String(directive)} in map: ${show(item)}`);
      }
    }
    return replace ? { live: [], items } : { live, items };
  }

  /** `$retainKeys: [..]` drops every live key not listed; the patch may only set listed keys. */
  private applyRetainKeys(original: JsonMap, patch: JsonMap): void {
    if (!(RETAIN_KEYS in patch)) return;
    const keep = patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
    if (!Array.isArray(keep)) throw badRequest('invalid patch format of retainKeys');
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith(DELETE_FROM) || k.startsWith(SET_ORDER)) continue;
      if (!keep.includes(k)) throw badRequest('invalid patch format of retainKeys');
    }
    for (const k of Object.keys(original)) if (!keep.includes(k)) delete original[k];
  }

  /** `$setElementOrder/<list>` merges that list now and puts its items in the given order. */
  private applySetElementOrder(original: JsonMap, patch: JsonMap, path: string[]): void {
    for (const [directiveKey, order] of Object.entries(patch)) {
      if (!directiveKey.startsWith(SET_ORDER)) continue;
      delete patch[directiveKey];
      const listKey = directiveKey.slice(SET_ORDER.length);
      if (!Array.isArray(order) || listKey === '') throw badRequest('invalid patch format of setElementOrder list');
      const live = original[listKey];
      const patchList = patch[listKey];
      if (patchList === null) continue; // the main loop deletes the list
      if ((live !== undefined && !Array.isArray(live)) || (patchList !== undefined && !Array.isArray(patchList))) {
        throw badRequest('invalid patch format of setElementOrder list');
      }
      const at = [...path, listKey];
      const listType = listTypeAt(this.group, this.kind, at);
      const key = listType.type === 'map' ? listType.keys[0] : undefined;
      if (patchList) checkOrderMatchesPatch(patchList, order, key);
      let merged: Json[];
      if (live && patchList) merged = this.mergeList(live, patchList, at);
      else if (patchList) merged = this.mergeList([], patchList, at);
      else if (live) merged = live;
      else continue;
      if (listType.type !== 'atomic') {
        const [fromPatch, serverOnly] = partition(merged, order, key);
        merged = normalizeOrder(fromPatch, serverOnly, order, live ?? [], key);
      }
      original[listKey] = merged;
      delete patch[listKey];
    }
  }

  private deleteFromPrimitiveList(original: JsonMap, listKey: string, values: Json): void {
    if (!Array.isArray(values) || listKey === '') throw badRequest('invalid patch format of primitive list');
    const live = original[listKey];
    if (Array.isArray(live)) original[listKey] = live.filter((v) => !values.includes(v));
  }
}

/** The patch list's items (deletions aside) must appear in `$setElementOrder` in the same order. */
function checkOrderMatchesPatch(patchList: Json[], order: Json[], key: string | undefined): void {
  const items = patchList.filter((item) => !(isMap(item) && PATCH in item));
  let p = 0;
  for (let o = 0; o < order.length && p < items.length; o++) {
    if (indexIn([order[o]!], items[p]!, key) === 0) p++;
  }
  if (p < items.length) {
    throw badRequest(`The order in patch list:\n${show(patchList)}\n doesn't match $setElementOrder list:\n${show(order)}\n`);
  }
}
