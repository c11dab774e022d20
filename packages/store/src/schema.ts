// SQLite schema and prepared statements. Everything here is prepared once at open, so no call
// pays for parsing SQL or checking the schema.
import type Database from 'better-sqlite3';
import type { KeyValue, StoreEvent } from './types.js';

// Every value is stored once, in the event that wrote it. `events` is the log: one row per
// revision (contiguous above the compacted revision) with the value a put wrote (NULL for a
// delete) and `prev_rev`, the put it replaced (an update's previous value, a delete's last value).
// `kv` maps each live key to the event holding its current value. Compaction keeps, like etcd, the
// latest put of each key at or below the compacted revision (see history.ts), so current values
// and the previous values of watchable events are always there. `meta` holds the compacted
// revision and `pruned`, how far compacted history has been dropped. The current revision is the
// newest event's revision, or the compacted revision when that is higher.
const SCHEMA_VERSION = 2;
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE kv (
  key TEXT PRIMARY KEY,
  create_rev INTEGER NOT NULL,
  mod_rev INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE events (
  rev INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  value TEXT,
  create_rev INTEGER NOT NULL,
  prev_rev INTEGER,
  ts INTEGER NOT NULL
);
`;

export interface KvRow<V = string> {
  key: string;
  value: V;
  create_rev: number;
  mod_rev: number;
}

/** An event joined with the put it replaced: `value` is the value written (the last value for a delete). */
export interface EventRow extends KvRow {
  rev: number;
  deleted: 0 | 1;
  prev_rev: number | null;
  prev_value: string | null;
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
  insertKv: Stmt<[string, number, number]>;
  updateKv: Stmt<[number, string]>;
  deleteKv: Stmt<[string]>;
  /** rev, key, deleted, value (null for deletes), create_rev, prev_rev, ts. */
  insertEvent: Stmt<[number, string, 0 | 1, string | null, number, number | null, number]>;
  /** Events in (after, upto] whose key starts with the prefix, oldest first. */
  eventsSince: Stmt<[{ after: number; upto: number; prefix: string; limit: number }], EventRow>;
  /** The oldest event at or after a revision (its revision and timestamp). */
  eventAtOrAfter: Stmt<[number], { rev: number; ts: number }>;
  /** Drops the puts replaced by the events in [lo, hi]. */
  deleteReplaced: Stmt<[{ lo: number; hi: number }]>;
  /** Drops the deletes in [lo, hi]. */
  deleteTombstones: Stmt<[{ lo: number; hi: number }]>;
  newestEvent: Stmt<[], { rev: number; ts: number }>;
  getMeta: Stmt<[string], number>;
  setMeta: Stmt<[string, number]>;
  /** List statements, one per combination of (exclusive lower bound, upper bound). */
  list: (exclusiveLower: boolean, bounded: boolean) => Stmt<[ListParams], KvRow>;
  /** The same lists with each value as its UTF-8 bytes (a Buffer), never decoded into a string. */
  listBytes: (exclusiveLower: boolean, bounded: boolean) => Stmt<[ListParams], KvRow<Buffer>>;
}

/** Creates the tables, or brings a file written by an older version up to date. */
export function applySchema(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) throw new Error(`the store file has schema version ${version}, newer than this mini-kube (${SCHEMA_VERSION})`);
  db.transaction(() => {
    const existing = db.prepare<[], number>("SELECT count(*) FROM sqlite_master WHERE name = 'kv'").pluck().get();
    if (existing) migrateFromV1(db);
    else db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/**
 * Version 1 stored values in `kv` and again in `events` (with the previous value). The current
 * values move into the log; the old history is dropped (compacted at the current revision), so a
 * watch from before the upgrade gets "too old" and relists, as after any compaction.
 */
function migrateFromV1(db: Database.Database): void {
  const newest = db.prepare<[], number | null>('SELECT max(rev) FROM events').pluck().get() ?? 0;
  const compacted = db.prepare<[], number | null>("SELECT max(value) FROM meta WHERE name = 'compacted'").pluck().get() ?? 0;
  const revision = Math.max(newest, compacted);
  db.exec(`
    ALTER TABLE kv RENAME TO kv_v1;
    ALTER TABLE events RENAME TO events_v1;
    ${SCHEMA}
    INSERT INTO events (rev, key, deleted, value, create_rev, prev_rev, ts)
      SELECT mod_rev, key, 0, value, create_rev, NULL, 0 FROM kv_v1;
    INSERT INTO kv (key, create_rev, mod_rev) SELECT key, create_rev, mod_rev FROM kv_v1;
    DROP TABLE kv_v1;
    DROP TABLE events_v1;
  `);
  const setMeta = db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
  setMeta.run('compacted', revision);
  setMeta.run('pruned', revision);
}

export function prepareStatements(db: Database.Database): Statements {
  const listVariants = new Map<string, Stmt<[ListParams], KvRow<string | Buffer>>>();
  for (const exclusive of [false, true]) {
    for (const bounded of [false, true]) {
      for (const bytes of [false, true]) {
        const lower = exclusive ? 'k.key > @lower' : 'k.key >= @lower';
        // Without an exact upper key (see keyRange), the prefix is checked row by row.
        const upper = bounded ? 'k.key < @upper' : 'substr(k.key, 1, length(@prefix)) = @prefix';
        // A CAST of text to BLOB reinterprets its UTF-8 bytes: better-sqlite3 then copies them into
        // a Buffer instead of decoding a JS string, which a list answered as bytes never needs.
        const value = bytes ? 'CAST(e.value AS BLOB) AS value' : 'e.value';
        const sql = `SELECT k.key, ${value}, k.create_rev, k.mod_rev FROM kv k JOIN events e ON e.rev = k.mod_rev
          WHERE ${lower} AND ${upper} ORDER BY k.key LIMIT @limit`;
        listVariants.set(`${exclusive}/${bounded}/${bytes}`, db.prepare<[ListParams], KvRow<string | Buffer>>(sql));
      }
    }
  }
  return {
    getKv: db.prepare('SELECT k.key, e.value, k.create_rev, k.mod_rev FROM kv k JOIN events e ON e.rev = k.mod_rev WHERE k.key = ?'),
    insertKv: db.prepare('INSERT INTO kv (key, create_rev, mod_rev) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING'),
    updateKv: db.prepare('UPDATE kv SET mod_rev = ? WHERE key = ?'),
    deleteKv: db.prepare('DELETE FROM kv WHERE key = ?'),
    insertEvent: db.prepare('INSERT INTO events (rev, key, deleted, value, create_rev, prev_rev, ts) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    eventsSince: db.prepare(
      `SELECT e.rev, e.key, e.deleted, coalesce(e.value, p.value) AS value, e.create_rev, e.rev AS mod_rev, e.prev_rev, p.value AS prev_value
        FROM events e LEFT JOIN events p ON p.rev = e.prev_rev
        WHERE e.rev > @after AND e.rev <= @upto AND substr(e.key, 1, length(@prefix)) = @prefix ORDER BY e.rev LIMIT @limit`,
    ),
    eventAtOrAfter: db.prepare('SELECT rev, ts FROM events WHERE rev >= ? ORDER BY rev LIMIT 1'),
    deleteReplaced: db.prepare(
      'DELETE FROM events WHERE rev IN (SELECT prev_rev FROM events WHERE rev BETWEEN @lo AND @hi AND prev_rev IS NOT NULL)',
    ),
    deleteTombstones: db.prepare('DELETE FROM events WHERE rev BETWEEN @lo AND @hi AND deleted = 1'),
    newestEvent: db.prepare('SELECT rev, ts FROM events ORDER BY rev DESC LIMIT 1'),
    getMeta: db.prepare<[string], number>('SELECT value FROM meta WHERE name = ?').pluck(),
    setMeta: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    list: (exclusive, bounded) => listVariants.get(`${exclusive}/${bounded}/false`) as Stmt<[ListParams], KvRow>,
    listBytes: (exclusive, bounded) => listVariants.get(`${exclusive}/${bounded}/true`) as Stmt<[ListParams], KvRow<Buffer>>,
  };
}

export function toKeyValue<V = string>(row: KvRow<V>): KeyValue<V> {
  return { key: row.key, value: row.value, createRevision: row.create_rev, modRevision: row.mod_rev };
}

export function toStoreEvent(row: EventRow): StoreEvent {
  if (row.deleted) {
    // A delete carries the last value: the put it replaced.
    const last = { key: row.key, value: row.value, createRevision: row.create_rev, modRevision: row.prev_rev! };
    return { type: 'delete', kv: last, revision: row.rev };
  }
  const event: StoreEvent = { type: 'put', kv: toKeyValue(row), revision: row.rev };
  if (row.prev_rev !== null && row.prev_value !== null) {
    event.prev = { key: row.key, value: row.prev_value, createRevision: row.create_rev, modRevision: row.prev_rev };
  }
  return event;
}
