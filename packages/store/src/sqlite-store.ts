// The Store on better-sqlite3. Every call runs synchronously on one connection, so a write's
// read-check-write is atomic without locks. Writes are group-committed (see group-commit.ts): each
// batch is one transaction in which every write that passes its checks takes the next revision, and
// the batch's events reach watchers in revision order right after its commit, before any other write.
import { setImmediate as nextTick } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { Checkpointer } from './checkpointer.js';
import { GroupCommit, type PendingWrite } from './group-commit.js';
import { lastRevisionBefore, pruneHistory } from './history.js';
import { keyRange } from './key-range.js';
import { applySchema, prepareStatements, toKeyValue, toStoreEvent, type KvRow, type ListParams, type Statements } from './schema.js';
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
import { ValueCache } from './value-cache.js';
import { WatchHub, Watcher } from './watch-hub.js';

export interface StoreOptions {
  /** How long events stay watchable (default 5 minutes). */
  historyWindowMs?: number;
  /** How often history older than the window is compacted (default 1 minute; 0 disables the timer). */
  compactIntervalMs?: number;
}

/** How a write fails alone: its check found the key absent, present, or at another revision. */
type StoreCheckError = StoreKeyExistsError | StoreNotFoundError | StoreConflictError;

function isCheckError(err: unknown): err is StoreCheckError {
  return err instanceof StoreKeyExistsError || err instanceof StoreNotFoundError || err instanceof StoreConflictError;
}

const DEFAULT_HISTORY_WINDOW_MS = 5 * 60_000;
const DEFAULT_COMPACT_INTERVAL_MS = 60_000;
/** Replayed history is read in pages so a long replay never holds the whole window in memory. */
const REPLAY_PAGE = 1000;
/** A file store checkpoints from a worker (checkpointer.ts) after every so many writes, the first time included. */
const CHECKPOINT_EVERY_WRITES = 500;

export class SqliteStore implements Store {
  private readonly stmts: Statements;
  /** Runs a function in a transaction (BEGIN / COMMIT, or ROLLBACK when it throws). */
  private readonly inTransaction: <T>(run: () => T) => T;
  private readonly writes = new GroupCommit((batch) => this.commitBatch(batch));
  private readonly hub = new WatchHub();
  private readonly historyWindowMs: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private revision: number;
  private compacted: number;
  /** Event timestamps never go backwards, so history can be searched by time (see history.ts). */
  private lastTimestamp: number;
  private closed = false;
  /** The current values as bytes, once a list has asked for them. */
  private valueCache: ValueCache | undefined;
  /** The keys written by the batch being committed, which the value cache does not show yet. */
  private readonly batchKeys = new Set<string>();
  /** Started by the first CHECKPOINT_EVERY_WRITES writes to a file (null: it could not start). */
  private checkpointer: Checkpointer | undefined | null;
  private writesSinceCheckpoint = 0;

  constructor(
    private readonly db: Database.Database,
    options: StoreOptions = {},
  ) {
    applySchema(db);
    this.stmts = prepareStatements(db);
    const transaction = db.transaction((run: () => unknown) => run());
    this.inTransaction = <T>(run: () => T) => transaction(run) as T;
    this.compacted = this.stmts.getMeta.get('compacted') ?? 0;
    const newest = this.stmts.newestEvent.get();
    this.revision = Math.max(newest?.rev ?? 0, this.compacted);
    this.lastTimestamp = newest?.ts ?? 0;
    this.historyWindowMs = options.historyWindowMs ?? DEFAULT_HISTORY_WINDOW_MS;
    // A compaction cut short (by a crash) finishes dropping its rows.
    this.pruneHistory().catch((err) => console.error('store compaction failed:', err));
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

  /** From the value cache once a list has loaded it (it holds every acknowledged write), else from SQLite. */
  async get(key: string): Promise<KeyValue | undefined> {
    if (this.valueCache) return this.valueCache.get(key);
    const row = this.stmts.getKv.get(key);
    return row && toKeyValue(row);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    return this.listWith(this.stmts.list, prefix, options);
  }

  /** Answered from the value cache, filled by one scan on the first call (see value-cache.ts). */
  async listBytes(prefix: string, options: ListOptions = {}): Promise<ListResult<Buffer>> {
    this.assertOpen();
    this.valueCache ??= new ValueCache(this.listWith(this.stmts.listBytes, '', {}).items);
    return { ...this.valueCache.list(prefix, options), revision: this.revision };
  }

  private listWith<V>(statement: (exclusive: boolean, bounded: boolean) => Database.Statement<[ListParams], KvRow<V>>, prefix: string, options: ListOptions): ListResult<V> {
    const range = keyRange(prefix, options.startAfter);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const stmt = statement(range.exclusive, range.upper !== undefined);
    // One row past the limit tells whether more follow.
    const rows = stmt.all({ lower: range.lower, upper: range.upper, prefix, limit: limit ? limit + 1 : -1 });
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    return { items: rows.map((row) => toKeyValue(row)), revision: this.revision, more };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const kv = await this.write(key, (rev, ts) => {
      this.batchKeys.add(key);
      if (this.stmts.insertKv.run(key, rev, rev).changes === 0) throw new StoreKeyExistsError(key);
      this.stmts.insertEvent.run(rev, key, 0, value, rev, null, ts);
      return { type: 'put', kv: { key, value, createRevision: rev, modRevision: rev }, revision: rev };
    });
    return kv.kv;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    const event = await this.write(key, (rev, ts) => {
      const prev = this.current(key, expectedModRevision);
      this.stmts.updateKv.run(rev, key);
      this.stmts.insertEvent.run(rev, key, 0, value, prev.createRevision, prev.modRevision, ts);
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
    const event = await this.write(key, (rev, ts) => {
      const last = this.current(key, expectedModRevision);
      this.stmts.deleteKv.run(key);
      this.stmts.insertEvent.run(rev, key, 1, null, last.createRevision, last.modRevision, ts);
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
    // Raise the mark first: from now on no event at or below it is read, so the rows can go in chunks.
    this.stmts.setMeta.run('compacted', target);
    this.compacted = target;
    await this.pruneHistory();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.writes.flush(); // queued writes commit (and are acknowledged) before the connection closes
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.hub.closeAll();
    this.valueCache = undefined;
    await this.checkpointer?.close();
    this.db.close();
  }

  /**
   * Queues one write for the next group commit. `apply` does the SQL at the revision it is given and
   * returns the event. It must make its checks before it changes anything: a failed check (a
   * `StoreCheckError`) then fails that write alone, with no savepoint needed to undo it.
   */
  private write(key: string, apply: PendingWrite['apply']): Promise<StoreEvent> {
    this.assertOpen();
    if (key === '') throw new Error('store keys must not be empty');
    return this.writes.submit(apply);
  }

  /**
   * Commits a batch as one transaction; each write that passes its checks takes the next revision.
   * After the commit, the events are published in revision order and the writes settled.
   */
  private commitBatch(batch: PendingWrite[]): void {
    const ts = Math.max(Date.now(), this.lastTimestamp);
    const outcomes: Array<StoreEvent | StoreCheckError> = [];
    let rev = this.revision;
    this.batchKeys.clear();
    try {
      this.inTransaction(() => {
        for (const write of batch) {
          try {
            outcomes.push(write.apply(rev + 1, ts));
            rev++;
          } catch (err) {
            if (!isCheckError(err)) throw err;
            outcomes.push(err);
          }
        }
      });
    } catch (err) {
      // Anything else (an SQLite error) rolled the whole batch back. Each write is tried again in a
      // transaction of its own, so the error stays with the write that caused it.
      if (batch.length > 1) batch.forEach((write) => this.commitBatch([write]));
      else batch[0]!.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    // The revision moves to the batch's last first: handlers that list while the batch is published
    // see rows up to there, and must not be told an older revision.
    this.revision = rev;
    this.lastTimestamp = ts;
    this.checkpointNowAndThen(batch.length);
    // The cache takes the whole batch before any of it is published, so that reads made by handlers
    // meanwhile agree with that revision.
    if (this.valueCache) for (const outcome of outcomes) if (!(outcome instanceof Error)) this.valueCache.apply(outcome);
    batch.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof Error) {
        write.reject(outcome);
      } else {
        this.hub.publish(outcome);
        write.resolve(outcome);
      }
    });
  }

  /** Asks a file store's checkpointer (started by the first call) for a checkpoint every CHECKPOINT_EVERY_WRITES writes. */
  private checkpointNowAndThen(writes: number): void {
    this.writesSinceCheckpoint += writes;
    if (this.writesSinceCheckpoint < CHECKPOINT_EVERY_WRITES || this.db.memory) return;
    this.writesSinceCheckpoint = 0;
    if (this.checkpointer === undefined) this.checkpointer = Checkpointer.start(this.db) ?? null;
    this.checkpointer?.request();
  }

  /**
   * The key's current value (inside a batch's transaction), checked against the expected revision
   * when one is given. The value cache has every committed write: it answers unless this batch
   * already wrote the key.
   */
  private current(key: string, expectedModRevision?: number): KeyValue {
    const cached = !this.batchKeys.has(key) && this.valueCache;
    this.batchKeys.add(key);
    const kv = cached ? cached.get(key) : this.currentRow(key);
    if (!kv) throw new StoreNotFoundError(key);
    if (expectedModRevision !== undefined && kv.modRevision !== expectedModRevision) {
      throw new StoreConflictError(key, kv.modRevision);
    }
    return kv;
  }

  private currentRow(key: string): KeyValue | undefined {
    const row = this.stmts.getKv.get(key);
    return row && toKeyValue(row);
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

  private pruneHistory(): Promise<void> {
    return pruneHistory(this.stmts, this.inTransaction, () => this.closed);
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
