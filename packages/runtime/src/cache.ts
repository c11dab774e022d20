// The informer's cache: objects by key, with a built-in namespace index and named custom indexes,
// so that a lister's per-namespace list and `byIndex` never scan the whole cache.
import type { KObject } from '@mini-kube/api';
import type { Selector } from '@mini-kube/machinery';
import { objectKey } from './keys.js';
import type { IndexFunc, Lister } from './types.js';

interface Index<T extends KObject> {
  fn: IndexFunc<T>;
  /** index value → key → object, for the objects that have it (objects, so byIndex needs no lookups) */
  values: Map<string, Map<string, T>>;
}

export class Cache<T extends KObject> implements Lister<T> {
  private readonly items = new Map<string, T>();
  /** namespace ('' for cluster-scoped objects) → name → object */
  private readonly byNamespace = new Map<string, Map<string, T>>();
  private readonly indexes = new Map<string, Index<T>>();

  get size(): number {
    return this.items.size;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.byNamespace.get(namespace ?? '')?.get(name);
  }

  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  list(namespace?: string, selector?: Selector): T[] {
    const source = namespace === undefined ? this.items.values() : (this.byNamespace.get(namespace)?.values() ?? []);
    const filter = selector && !selector.empty() ? selector : undefined;
    const out: T[] = [];
    for (const obj of source) if (!filter || filter.matches(obj.metadata.labels)) out.push(obj);
    return out;
  }

  keys(): IterableIterator<string> {
    return this.items.keys();
  }

  /** Adds an index, built at once over what is cached. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexes.has(name)) throw new Error(`index ${name} already exists`);
    const index: Index<T> = { fn, values: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of this.items) addToIndex(index, key, obj);
  }

  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`index ${name} does not exist`);
    const objects = index.values.get(value);
    return objects ? Array.from(objects.values()) : [];
  }

  /** Stores `obj` (whose key the caller may have at hand), returning what it replaced. */
  upsert(obj: T, key = objectKey(obj)): T | undefined {
    const old = this.items.get(key);
    this.items.set(key, obj);
    const ns = obj.metadata.namespace ?? '';
    let names = this.byNamespace.get(ns);
    if (!names) this.byNamespace.set(ns, (names = new Map()));
    names.set(obj.metadata.name ?? '', obj);
    for (const index of this.indexes.values()) {
      const values = index.fn(obj);
      // A new version mostly keeps its index values (its node, its owner): it only replaces the old one there.
      if (old) for (const value of index.fn(old)) if (!values.includes(value)) removeFromIndex(index, value, key);
      for (const value of values) addToIndexValue(index, value, key, obj);
    }
    return old;
  }

  /** Removes the object with `key`, returning it. */
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    const ns = old.metadata.namespace ?? '';
    const names = this.byNamespace.get(ns);
    names?.delete(old.metadata.name ?? '');
    if (names?.size === 0) this.byNamespace.delete(ns);
    return old;
  }

  private unindex(key: string, obj: T): void {
    for (const index of this.indexes.values()) for (const value of index.fn(obj)) removeFromIndex(index, value, key);
  }
}

function addToIndex<T extends KObject>(index: Index<T>, key: string, obj: T): void {
  for (const value of index.fn(obj)) addToIndexValue(index, value, key, obj);
}

function addToIndexValue<T extends KObject>(index: Index<T>, value: string, key: string, obj: T): void {
  let objects = index.values.get(value);
  if (!objects) index.values.set(value, (objects = new Map()));
  objects.set(key, obj);
}

function removeFromIndex<T extends KObject>(index: Index<T>, value: string, key: string): void {
  const objects = index.values.get(value);
  objects?.delete(key);
  if (objects?.size === 0) index.values.delete(value);
}
