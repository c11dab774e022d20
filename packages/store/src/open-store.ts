// Opens a store from its command-line spelling: `memory`, `sqlite:<file>` or `etcd://host:port`.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore, type StoreOptions } from './sqlite-store.js';
import type { Store } from './types.js';

export async function openStore(spec: string, options: StoreOptions = {}): Promise<Store> {
  if (spec === 'memory') return new SqliteStore(new Database(':memory:'), options);
  if (spec.startsWith('sqlite:')) {
    const file = spec.slice('sqlite:'.length);
    if (file === '') throw new Error('the sqlite store needs a file: --store sqlite:<path>');
    mkdirSync(dirname(file), { recursive: true });
    return new SqliteStore(openSqliteFile(file), options);
  }
  if (spec.startsWith('etcd://')) throw new Error('the etcd store is not yet supported; use --store sqlite or memory');
  throw new Error(`unknown store "${spec}": expected memory, sqlite:<file> or etcd://host:port`);
}

/**
 * WAL with synchronous=NORMAL: a commit returns once its frames are written to the WAL file, in
 * the kernel's page cache. That survives the process being killed (SIGKILL, a crash), which is the
 * failure this store promises to survive; only a power loss or kernel crash could lose the last
 * commits (never corrupt the file). FULL would fsync each commit at ~8x the cost per write.
 */
function openSqliteFile(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -32000'); // 32 MiB of page cache
  return db;
}
