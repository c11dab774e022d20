// The key range of a prefix scan. SQLite compares TEXT keys by their UTF-8 bytes, which orders
// them by code point, so "every key starting with P" is the range [P, P with its last character
// incremented). That holds when the last character is a BMP character whose successor is too.

/** The smallest key greater than every key starting with `prefix`, or undefined when none exists cheaply. */
export function prefixUpperBound(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  const last = prefix.charCodeAt(prefix.length - 1);
  const incrementable = last < 0xd7ff || (last >= 0xe000 && last < 0xffff);
  if (!incrementable) return undefined;
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

export interface KeyRange {
  lower: string;
  /** True when `lower` itself is excluded (a continue point). */
  exclusive: boolean;
  /** Exclusive upper key; absent means "check the prefix row by row". */
  upper?: string;
}

/** The range of keys under `prefix` that come after `startAfter` (when given). */
export function keyRange(prefix: string, startAfter?: string): KeyRange {
  const upper = prefixUpperBound(prefix);
  // A continue point below the prefix changes nothing; one inside it moves the lower bound.
  if (startAfter !== undefined && startAfter >= prefix) return { lower: startAfter, exclusive: true, upper };
  return { lower: prefix, exclusive: false, upper };
}
