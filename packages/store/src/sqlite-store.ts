// The Store on better-sqlite3. Every call runs synchronously on one connection, so a write's
// read-check-write is atomic without locks, and its event reaches watchers before any other write.
import { setImmediate as nextTick } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { compactEvents, lastRevisionBefore } from './history.js';
import { keyRange } from './key-range.js';
import { applySchema, prepareStatements, toKeyValue, toStoreEvent, type Statements } from './schema.js';
import {
  StoreConflictError,
  StoreExpiredError,
  StoreKeyExistsError,
  StoreNotFoundError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type StoreEvent,
  type Watch,
  type WatchOptions,
} from './types.js';
import { WatchHub, Watcher } from './watch-hub.js';

export interface StoreOptions {
  /** How long events stay watchable (default 5 minutes). */
  historyWindowMs?: number;
  /** How often history older than the window is compacted (default 1 minute; 0 disables the timer). */
  compactIntervalMs?: number;
}

const DEFAULT_HISTORY_WINDOW_MS = 5 * 60_000;
const DEFAULT_COMPACT_INTERVAL_MS = 60_000;
/** Replayed history is read in pages so a long replay never holds the whole window in memory. */
const REPLAY_PAGE = 1000;

export class SqliteStore implements Store {
  private readonly stmts: Statements;
  /** One transaction wrapper for every write (BEGIN / COMMIT, or ROLLBACK when `apply` throws). */
  private readonly inTransaction: (apply: (rev: number, ts: number) => StoreEvent, rev: number, ts: number) => StoreEvent;
  private readonly hub = new WatchHub();
  private readonly historyWindowMs: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private revision: number;
  private compacted: number;
  /** Event timestamps never go backwards, so history can be searched by time (see history.ts). */
  private lastTimestamp: number;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    options: StoreOptions = {},
  ) {
    applySchema(db);
    this.stmts = prepareStatements(db);
    this.inTransaction = db.transaction((apply: (rev: number, ts: number) => StoreEvent, rev: number, ts: number) => apply(rev, ts));
    this.compacted = this.stmts.getMeta.get('compacted') ?? 0;
    const newest = this.stmts.newestEvent.get();
    this.revision = Math.max(newest?.rev ?? 0, this.compacted);
    this.lastTimestamp = newest?.ts ?? 0;
    this.historyWindowMs = options.historyWindowMs ?? DEFAULT_HISTORY_WINDOW_MS;
    const interval = options.compactIntervalMs ?? DEFAULT_COMPACT_INTERVAL_MS;
    if (interval > 0) {
      const compactOrWarn = () => this.compactExpiredHistory().catch((err) => console.error('store compaction failed:', err));
      this.timer = setInterval(compactOrWarn, interval);
      this.timer.unref();
    }
  }

  async currentRevision(): Promise<number> {
    return this.revision;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const row = this.stmts.getKv.get(key);
    return row && toKeyValue(row);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const range = keyRange(prefix, options.startAfter);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const stmt = this.stmts.list(range.exclusive, range.upper !== undefined);
    // One row past the limit tells whether more follow.
    const rows = stmt.all({ lower: range.lower, upper: range.upper, prefix, limit: limit ? limit + 1 : -1 });
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    return { items: rows.map(toKeyValue), revision: this.revision, more };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const kv = this.write(key, (rev, ts) => {
      if (this.stmts.insertKv.run(key, value, rev, rev).changes === 0) throw new StoreKeyExistsError(key);
      this.stmts.insertEvent.run(rev, key, 0, value, rev, rev, null, null, ts);
      return { type: 'put', kv: { key, value, createRevision: rev, modRevision: rev }, revision: rev };
    });
    return kv.kv;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    const event = this.write(key, (rev, ts) => {
      const prev = this.current(key, expectedModRevision);
      this.stmts.updateKv.run(value, rev, key);
      this.stmts.insertEvent.run(rev, key, 0, value, prev.createRevision, rev, prev.value, prev.modRevision, ts);
      return { type: 'put', kv: { key, value, createRevision: prev.createRevision, modRevision: rev }, prev, revision: rev };
    });
    return event.kv;
  }

  async guaranteedUpdate(
    key: string,
    tryUpdate: (current: KeyValue) => string | undefined | Promise<string | undefined>,
  ): Promise<KeyValue> {
    for (;;) {
      const current = await this.get(key);
      if (!current) throw new StoreNotFoundError(key);
      const next = await tryUpdate(current);
      if (next === undefined || next === current.value) return current;
      try {
        return await this.update(key, next, current.modRevision);
      } catch (err) {
        // Someone wrote in between (tryUpdate may await): start again from the newer value.
        if (!(err instanceof StoreConflictError)) throw err;
      }
    }
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }> {
    const event = this.write(key, (rev, ts) => {
      const last = this.current(key, expectedModRevision);
      this.stmts.deleteKv.run(key);
      this.stmts.insertEvent.run(rev, key, 1, last.value, last.createRevision, last.modRevision, null, null, ts);
      return { type: 'delete', kv: last, revision: rev };
    });
    return { kv: event.kv, revision: event.revision };
  }

  watch(prefix: string, options: WatchOptions, onEvent: (event: StoreEvent) => void, onError?: (err: Error) => void): Watch {
    this.assertOpen();
    if (options.fromRevision < this.compacted) throw new StoreExpiredError(options.fromRevision, this.compacted);
    const watcher = new Watcher(prefix, options.fromRevision, onEvent, onError, (w) => this.hub.remove(w));
    this.hub.add(watcher);
    this.replay(watcher, this.revision).catch((err: Error) => watcher.fail(err));
    return { close: () => watcher.close() };
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    const target = Math.min(revision, this.revision);
    if (target <= this.compacted) return;
    // Raise the mark first: from now on nothing at or below it is read, so the rows can go in chunks.
    this.stmts.setMeta.run('compacted', target);
    this.compacted = target;
    await compactEvents(this.stmts, target, () => this.closed);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.hub.closeAll();
    this.db.close();
  }

  /**
   * Runs one write as a transaction at the next revision, then publishes its event.
   * `apply` does the SQL and returns the event; throwing from it rolls the write back.
   */
  private write(key: string, apply: (rev: number, ts: number) => StoreEvent): StoreEvent {
    this.assertOpen();
    if (key === '') throw new Error('store keys must not be empty');
    const rev = this.revision + 1;
    const ts = Math.max(Date.now(), this.lastTimestamp);
    const event = this.inTransaction(apply, rev, ts);
    this.revision = rev;
    this.lastTimestamp = ts;
    this.hub.publish(event);
    return event;
  }

  /** The key's current value, checked against the expected revision when one is given. */
  private current(key: string, expectedModRevision?: number): KeyValue {
    const row = this.stmts.getKv.get(key);
    if (!row) throw new StoreNotFoundError(key);
    if (expectedModRevision !== undefined && row.mod_rev !== expectedModRevision) {
      throw new StoreConflictError(key, row.mod_rev);
    }
    return toKeyValue(row);
  }

  /** Delivers history in (watcher's revision, upto], page by page, then lets the watcher go live. */
  private async replay(watcher: Watcher, upto: number): Promise<void> {
    await Promise.resolve(); // the caller holds the watch handle before its first event
    while (!watcher.closed && !this.closed && watcher.lastRevision < upto) {
      // A compaction (e.g. from a handler) may have overtaken this replay.
      if (watcher.lastRevision < this.compacted) {
        watcher.fail(new StoreExpiredError(watcher.lastRevision, this.compacted));
        return;
      }
      const params = { after: watcher.lastRevision, upto, prefix: watcher.prefix, limit: REPLAY_PAGE };
      const page = this.stmts.eventsSince.all(params);
      for (const row of page) watcher.deliver(toStoreEvent(row));
      if (page.length < REPLAY_PAGE) break;
      await nextTick(); // a long replay must not hold the event loop; live events queue meanwhile
    }
    if (!this.closed) watcher.goLive();
  }

  private async compactExpiredHistory(): Promise<void> {
    if (this.closed) return;
    const target = lastRevisionBefore(this.stmts, this.compacted, this.revision, Date.now() - this.historyWindowMs);
    if (target > this.compacted) await this.compact(target);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}
