// SQLite schema and prepared statements. Everything here is prepared once at open, so no call
// pays for parsing SQL or checking the schema.
import type Database from 'better-sqlite3';
import type { KeyValue, StoreEvent } from './types.js';

// `kv` holds the current value of each key. `events` is the watch history: one row per revision
// (revisions are contiguous), with the value after the write (the last value for deletes) and the
// value before it, so a watch can resume from any revision after a restart. `meta` holds the
// compacted revision. The current revision is not stored separately: it is the newest event's
// revision, or the compacted revision once compaction has dropped every event.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  create_rev INTEGER NOT NULL,
  mod_rev INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  rev INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  value TEXT NOT NULL,
  create_rev INTEGER NOT NULL,
  mod_rev INTEGER NOT NULL,
  prev_value TEXT,
  prev_mod_rev INTEGER,
  ts INTEGER NOT NULL
);
`;

export interface KvRow {
  key: string;
  value: string;
  create_rev: number;
  mod_rev: number;
}

export interface EventRow extends KvRow {
  rev: number;
  deleted: 0 | 1;
  prev_value: string | null;
  prev_mod_rev: number | null;
  ts: number;
}

/** Named parameters of a list query (better-sqlite3 ignores extra ones, so one shape serves all variants). */
export interface ListParams {
  lower: string;
  upper?: string;
  prefix?: string;
  /** -1 means no limit. */
  limit: number;
}

type Stmt<P extends unknown[], R = unknown> = Database.Statement<P, R>;

export interface Statements {
  getKv: Stmt<[string], KvRow>;
  insertKv: Stmt<[string, string, number, number]>;
  updateKv: Stmt<[string, number, string]>;
  deleteKv: Stmt<[string]>;
  insertEvent: Stmt<[number, string, 0 | 1, string, number, number, string | null, number | null, number]>;
  /** Events in (after, upto] whose key starts with the prefix, oldest first. */
  eventsSince: Stmt<[{ after: number; upto: number; prefix: string; limit: number }], EventRow>;
  /** The oldest event at or after a revision (its revision and timestamp). */
  eventAtOrAfter: Stmt<[number], { rev: number; ts: number }>;
  deleteEventsUpTo: Stmt<[number]>;
  oldestEventRev: Stmt<[], number | null>;
  newestEvent: Stmt<[], { rev: number; ts: number }>;
  getMeta: Stmt<[string], number>;
  setMeta: Stmt<[string, number]>;
  /** List statements, one per combination of (exclusive lower bound, upper bound). */
  list: (exclusiveLower: boolean, bounded: boolean) => Stmt<[ListParams], KvRow>;
}

export function applySchema(db: Database.Database): void {
  db.exec(SCHEMA);
}

export function prepareStatements(db: Database.Database): Statements {
  const listVariants = new Map<string, Stmt<[ListParams], KvRow>>();
  for (const exclusive of [false, true]) {
    for (const bounded of [false, true]) {
      const lower = exclusive ? 'key > @lower' : 'key >= @lower';
      // Without an exact upper key (see keyRange), the prefix is checked row by row.
      const upper = bounded ? 'key < @upper' : 'substr(key, 1, length(@prefix)) = @prefix';
      const sql = `SELECT key, value, create_rev, mod_rev FROM kv WHERE ${lower} AND ${upper} ORDER BY key LIMIT @limit`;
      listVariants.set(`${exclusive}/${bounded}`, db.prepare<[ListParams], KvRow>(sql));
    }
  }
  return {
    getKv: db.prepare('SELECT key, value, create_rev, mod_rev FROM kv WHERE key = ?'),
    insertKv: db.prepare('INSERT INTO kv (key, value, create_rev, mod_rev) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING'),
    updateKv: db.prepare('UPDATE kv SET value = ?, mod_rev = ? WHERE key = ?'),
    deleteKv: db.prepare('DELETE FROM kv WHERE key = ?'),
    insertEvent: db.prepare(
      'INSERT INTO events (rev, key, deleted, value, create_rev, mod_rev, prev_value, prev_mod_rev, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    eventsSince: db.prepare(
      'SELECT * FROM events WHERE rev > @after AND rev <= @upto AND substr(key, 1, length(@prefix)) = @prefix ORDER BY rev LIMIT @limit',
    ),
    eventAtOrAfter: db.prepare('SELECT rev, ts FROM events WHERE rev >= ? ORDER BY rev LIMIT 1'),
    deleteEventsUpTo: db.prepare('DELETE FROM events WHERE rev <= ?'),
    oldestEventRev: db.prepare<[], number | null>('SELECT min(rev) FROM events').pluck(),
    newestEvent: db.prepare('SELECT rev, ts FROM events ORDER BY rev DESC LIMIT 1'),
    getMeta: db.prepare<[string], number>('SELECT value FROM meta WHERE name = ?').pluck(),
    setMeta: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    list: (exclusive, bounded) => listVariants.get(`${exclusive}/${bounded}`)!,
  };
}

export function toKeyValue(row: KvRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.create_rev, modRevision: row.mod_rev };
}

export function toStoreEvent(row: EventRow): StoreEvent {
  const kv = toKeyValue(row);
  if (row.deleted) return { type: 'delete', kv, revision: row.rev };
  const event: StoreEvent = { type: 'put', kv, revision: row.rev };
  if (row.prev_value !== null && row.prev_mod_rev !== null) {
    event.prev = { key: row.key, value: row.prev_value, createRevision: row.create_rev, modRevision: row.prev_mod_rev };
  }
  return event;
}
