// The order of a merged list after a strategic merge patch, as apimachinery's strategicpatch
// computes it: items named in the patch (or in `$setElementOrder`) follow that order; items only
// on the server keep their live order; the two runs are interleaved using the live order, and a
// patch item the server has never seen goes before the server-only items that follow it.

export type Json = null | boolean | number | string | Json[] | JsonMap;
export interface JsonMap {
  [key: string]: Json;
}

export const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Position of `item` in `list`: by the value of `mergeKey` for maps, by value for scalars. */
export function indexIn(list: Json[], item: Json, mergeKey: string | undefined): number {
  if (mergeKey !== undefined && isMap(item)) {
    const want = item[mergeKey];
    return list.findIndex((x) => isMap(x) && x[mergeKey] === want);
  }
  return list.indexOf(item);
}

/** Splits `items` into those present in `by` and the rest, keeping their order. */
export function partition(items: Json[], by: Json[], mergeKey: string | undefined): [Json[], Json[]] {
  const present: Json[] = [];
  const absent: Json[] = [];
  for (const item of items) (indexIn(by, item, mergeKey) >= 0 ? present : absent).push(item);
  return [present, absent];
}

/** Stable sort of `items` by their position in `order`; items missing from it keep their place. */
function sortBy(items: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const ranked = items.map((item, i) => ({ item, i, at: indexIn(order, item, mergeKey) }));
  ranked.sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : a.i - b.i));
  return ranked.map((r) => r.item);
}

/**
 * Merges the patch items (sorted by `patchOrder`) with the server-only items (sorted by
 * `serverOrder`, the live list): a server-only item goes first only when both it and the next
 * patch item are in the live list and it comes before that patch item there.
 */
export function normalizeOrder(
  patchItems: Json[],
  serverOnly: Json[],
  patchOrder: Json[],
  serverOrder: Json[],
  mergeKey: string | undefined,
): Json[] {
  const right = sortBy(patchItems, patchOrder, mergeKey);
  const left = sortBy(serverOnly, serverOrder, mergeKey);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]!);
    else if (i >= left.length) out.push(right[j++]!);
    else {
      const li = indexIn(serverOrder, left[i]!, mergeKey);
      const ri = indexIn(serverOrder, right[j]!, mergeKey);
      out.push(li >= 0 && ri >= 0 && li < ri ? left[i++]! : right[j++]!);
    }
  }
  return out;
}
