// The store's contract: a revisioned key/value map with watch. It knows nothing of Kubernetes:
// keys are strings ("/registry/apps/deployments/default/web"), values are opaque strings (JSON).
// Every write bumps one global revision; the API server uses it as resourceVersion.

export interface KeyValue<V = string> {
  key: string;
  /** The value; `listBytes` gives it as its UTF-8 bytes. */
  value: V;
  /** Revision of the write that created this key (since its last deletion). */
  createRevision: number;
  /** Revision of the last write to this key. */
  modRevision: number;
}

export interface ListOptions {
  /** At most this many items; 0 or absent means all. */
  limit?: number;
  /** Start after this key (exclusive): the continue point of the previous page. */
  startAfter?: string;
}

export interface ListResult<V = string> {
  items: KeyValue<V>[];
  /** The revision the list reflects. */
  revision: number;
  /** True when more items follow the last one returned. */
  more: boolean;
}

export type StoreEventType = 'put' | 'delete';

export interface StoreEvent {
  type: StoreEventType;
  /** For put: the new value. For delete: the value just before deletion. */
  kv: KeyValue;
  /** For put on an existing key: the previous value (absent on create). */
  prev?: KeyValue;
  /** The revision of this event (equals kv.modRevision for puts; the deletion's revision for deletes). */
  revision: number;
}

export interface WatchOptions {
  /** Deliver every event with revision > fromRevision; throws `StoreExpiredError` if compacted. */
  fromRevision: number;
}

export interface Watch {
  /** Stops delivery; idempotent. */
  close(): void;
}

export interface Store {
  /** The newest revision written (0 on an empty store). */
  currentRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys starting with `prefix`, in key order. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** `list` with each value as its UTF-8 bytes, for answers that pass stored values through unparsed. */
  listBytes(prefix: string, options?: ListOptions): Promise<ListResult<Buffer>>;
  /** Creates the key; throws `StoreKeyExistsError` when present. */
  create(key: string, value: string): Promise<KeyValue>;
  /**
   * Replaces the value if the key's modRevision still equals `expectedModRevision`.
   * Throws `StoreConflictError` on a stale revision, `StoreNotFoundError` when absent.
   */
  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>;
  /**
   * Read-modify-write with retries on conflict: `tryUpdate` receives the current value and
   * returns the new one (or throws to abort). Returning `undefined` means "no change".
   */
  guaranteedUpdate(key: string, tryUpdate: (current: KeyValue) => string | undefined | Promise<string | undefined>): Promise<KeyValue>;
  /** Deletes the key (optionally only at `expectedModRevision`); returns the deleted value with the deletion revision. */
  delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }>;
  /** Events for keys under `prefix`, in revision order, first the history after `fromRevision`, then live. */
  watch(prefix: string, options: WatchOptions, onEvent: (event: StoreEvent) => void, onError?: (err: Error) => void): Watch;
  /** The oldest revision still watchable from (watches from below it are expired). */
  compactedRevision(): Promise<number>;
  /** Drops history up to and including `revision`. */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

export class StoreKeyExistsError extends Error {
  constructor(readonly key: string) {
    super(`key exists: ${key}`);
    this.name = 'StoreKeyExistsError';
  }
}

export class StoreNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
    this.name = 'StoreNotFoundError';
  }
}

export class StoreConflictError extends Error {
  constructor(
    readonly key: string,
    readonly actualModRevision: number,
  ) {
    super(`revision conflict on ${key}`);
    this.name = 'StoreConflictError';
  }
}

export class StoreExpiredError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`The resourceVersion for the provided watch is too old: requested ${requested}, oldest available ${compacted + 1}`);
    this.name = 'StoreExpiredError';
  }
}
