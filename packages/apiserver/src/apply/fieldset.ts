// A set of field paths, stored as the tree that the FieldsV1 format serializes
// (sigs.k8s.io/structured-merge-diff fieldpath.Set). A path is a list of path elements spelled
// as FieldsV1 keys: `f:name` (a field), `k:{"name":"nginx"}` (a list item by its keys),
// `v:"x"` (a set item by value), `i:0` (a list item by index).

export type Path = readonly string[];

// Most nodes are leaves: they share this empty map instead of each allocating one.
const NO_CHILDREN: ReadonlyMap<string, FieldSet> = new Map();

export class FieldSet {
  /** Whether the path that leads to this node is itself in the set (`.` in FieldsV1). */
  member = false;
  private kids: Map<string, FieldSet> | undefined;

  get children(): ReadonlyMap<string, FieldSet> {
    return this.kids ?? NO_CHILDREN;
  }

  /** The child node for `key`, created when missing; for building a set. */
  child(key: string): FieldSet {
    const kids = (this.kids ??= new Map());
    let node = kids.get(key);
    if (!node) {
      node = new FieldSet();
      kids.set(key, node);
    }
    return node;
  }

  insert(path: Path): this {
    let node: FieldSet = this;
    for (const key of path) node = node.child(key);
    node.member = true;
    return this;
  }

  has(path: Path): boolean {
    let node: FieldSet | undefined = this;
    for (const key of path) node = node?.children.get(key);
    return node?.member ?? false;
  }

  /** Whether both hold the same paths (sets without empty nodes, as all sets here are). */
  equals(other: FieldSet): boolean {
    if (this.member !== other.member || this.children.size !== other.children.size) return false;
    for (const [key, a] of this.children) {
      const b = other.children.get(key);
      if (!b || !a.equals(b)) return false;
    }
    return true;
  }

  isEmpty(): boolean {
    if (this.member) return false;
    for (const child of this.children.values()) if (!child.isEmpty()) return false;
    return true;
  }

  // The set operations share the unchanged subtrees of their operands: a set is never changed once
  // built (only `insert`, `child` and the decoders write, on a set they are building).

  union(other: FieldSet): FieldSet {
    if (other.isEmptyNode()) return this;
    if (this.isEmptyNode()) return other;
    const out = new FieldSet();
    out.member = this.member || other.member;
    for (const [key, a] of this.children) {
      const b = other.children.get(key);
      out.adopt(key, b ? a.union(b) : a);
    }
    for (const [key, b] of other.children) if (!this.children.has(key)) out.adopt(key, b);
    return out;
  }

  /** The paths of this set that are not in `other` (exact paths: descendants are kept). */
  difference(other: FieldSet): FieldSet {
    if (other.isEmptyNode()) return this;
    const out = new FieldSet();
    out.member = this.member && !other.member;
    for (const [key, a] of this.children) {
      const b = other.children.get(key);
      out.adopt(key, b ? a.difference(b) : a);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && other.member;
    for (const [key, a] of this.children) {
      const b = other.children.get(key);
      if (b) out.adopt(key, a.intersection(b));
    }
    return out;
  }

  /** Like `difference`, but a member of `other` also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    if (other.isEmptyNode()) return this;
    const out = new FieldSet();
    out.member = this.member && !other.member;
    for (const [key, a] of this.children) {
      const b = other.children.get(key);
      if (!b) out.adopt(key, a);
      else if (!b.member) out.adopt(key, a.recursiveDifference(b));
    }
    return out;
  }

  /** A copy without the empty nodes that building may leave (an empty map's node). */
  withoutEmptyNodes(): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [key, a] of this.children) out.adopt(key, a.withoutEmptyNodes());
    return out;
  }

  /** Every path in the set, in structured-merge-diff's order: members of a node, then its children. */
  paths(prefix: string[] = []): string[][] {
    const keys = sortKeys([...this.children.keys()]);
    const out: string[][] = [];
    for (const key of keys) if (this.children.get(key)!.member) out.push([...prefix, key]);
    for (const key of keys) {
      const child = this.children.get(key)!;
      if (child.children.size > 0) out.push(...child.paths([...prefix, key]));
    }
    return out;
  }

  // Nodes made by the set operations keep only non-empty children, and built sets have no empty
  // nodes either, so a node is empty exactly when it is no member and has no children (O(1)).
  private isEmptyNode(): boolean {
    return !this.member && this.children.size === 0;
  }

  private adopt(key: string, node: FieldSet): void {
    if (!node.isEmptyNode()) (this.kids ??= new Map()).set(key, node);
  }
}

const EMPTY = new FieldSet();

export function fieldSetOf(...paths: Path[]): FieldSet {
  const set = new FieldSet();
  for (const path of paths) set.insert(path);
  return set;
}

// ---- path elements ----

/** JSON with object keys sorted, as FieldsV1 spells key and value path elements. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const fieldKey = (name: string): string => `f:${name}`;
export const itemKeyOf = (keyFields: Record<string, unknown>): string => `k:${canonicalJson(keyFields)}`;
export const valueKeyOf = (value: unknown): string => `v:${canonicalJson(value)}`;

// FieldsV1 orders children by element type (fields, keys, values, indexes), then by spelling.
const TYPE_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };
export function compareFieldKeys(a: string, b: string): number {
  const byType = (TYPE_ORDER[a[0]!] ?? 9) - (TYPE_ORDER[b[0]!] ?? 9);
  return byType !== 0 ? byType : a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys(keys: string[]): string[] {
  return keys.sort(compareFieldKeys);
}

/** A path as the real server prints it in conflicts: `.spec.containers[name="nginx"].image`. */
export function pathToString(path: Path): string {
  return path.map(elementToString).join('');
}

function elementToString(key: string): string {
  const body = key.slice(2);
  switch (key[0]) {
    case 'f':
      return `.${body}`;
    case 'k': {
      const fields = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(fields).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    }
    case 'v':
      return `[=${body}]`;
    default:
      return `[${body}]`;
  }
}

// ---- FieldsV1 ----

export type FieldsV1 = { [key: string]: FieldsV1 };

export function encodeFieldsV1(set: FieldSet): FieldsV1 {
  const out = encodeNode(set);
  if (set.children.size > 0) knownCanonical.add(out);
  return out;
}

function encodeNode(set: FieldSet): FieldsV1 {
  const out: FieldsV1 = {};
  if (set.member && set.children.size > 0) out['.'] = {};
  for (const key of sortKeys([...set.children.keys()])) out[key] = encodeNode(set.children.get(key)!);
  return out;
}

// FieldsV1 known to be canonical: encoded here, or checked once. Entries of managedFields are read
// again by every later write of their object (from the registry's written objects, which nothing
// may change), so each is walked once, not at every write.
const knownCanonical = new WeakSet<object>();

/**
 * Whether `raw` is a non-empty FieldsV1 exactly as `encodeFieldsV1` spells its set: decoding and
 * encoding it again gives it back unchanged (the same keys in the same order). Walks it, allocating
 * nothing, the first time it is asked about that object.
 */
export function isCanonicalFieldsV1(raw: unknown): raw is FieldsV1 {
  if (!isPlainObject(raw)) return false;
  if (knownCanonical.has(raw)) return true;
  if (canonicalChildren(raw, false) <= 0) return false;
  knownCanonical.add(raw);
  return true;
}

/** The number of children of a canonical node (one that is a member when `member`), or -1 when not canonical. */
function canonicalChildren(node: Record<string, unknown>, member: boolean): number {
  let previous: string | undefined;
  let children = 0;
  let first = true;
  for (const key in node) {
    const value = node[key];
    if (!isPlainObject(value)) return -1;
    if (key === '.') {
      // Only first, only on a member, only empty.
      if (!first || !member || !isEmptyObject(value)) return -1;
    } else {
      if (previous !== undefined && compareFieldKeys(previous, key) >= 0) return -1;
      previous = key;
      children++;
      // A leaf is `{}`; a node with children is a member exactly when it starts with ".".
      if (!isEmptyObject(value) && canonicalChildren(value, firstKey(value) === '.') <= 0) return -1;
    }
    first = false;
  }
  // A member with children says so with "."; a member without is `{}` (checked by the caller).
  if (member && children === 0) return -1;
  return children;
}

/** Whether any path of `set` is in the set that canonical FieldsV1 `raw` encodes (no decoding). */
export function rawIntersects(raw: FieldsV1, set: FieldSet): boolean {
  for (const [key, node] of set.children) {
    const value = raw[key];
    if (value === undefined || !Object.hasOwn(raw, key)) continue;
    const first = firstKey(value);
    if (node.member && (first === undefined || first === '.')) return true;
    if (node.children.size > 0 && first !== undefined && rawIntersects(value, node)) return true;
  }
  return false;
}

/** Whether every path of `set` is in the set that canonical FieldsV1 `raw` encodes (no decoding). */
export function rawContains(raw: FieldsV1, set: FieldSet): boolean {
  for (const [key, node] of set.children) {
    const value = raw[key];
    if (value === undefined || !Object.hasOwn(raw, key)) return false;
    const first = firstKey(value);
    if (node.member && first !== undefined && first !== '.') return false;
    if (node.children.size > 0 && (first === undefined || !rawContains(value, node))) return false;
  }
  return true;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function firstKey(o: object): string | undefined {
  for (const key in o) return key;
  return undefined;
}

const isEmptyObject = (o: object): boolean => firstKey(o) === undefined;

export function decodeFieldsV1(raw: unknown): FieldSet {
  const set = new FieldSet();
  fill(set, raw);
  return set;
}

function fill(node: FieldSet, raw: unknown): void {
  if (raw === null || typeof raw !== 'object') return;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === '.') {
      node.member = true;
      continue;
    }
    const child = node.child(key);
    const hasChildren = value !== null && typeof value === 'object' && Object.keys(value).length > 0;
    if (hasChildren) fill(child, value);
    else child.member = true;
  }
}
