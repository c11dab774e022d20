// Checkpoints a SQLite file's WAL from a thread of its own. A checkpoint copies the WAL's pages into
// the database file and syncs it; left to SQLite, the commit that takes the WAL past 1,000 pages runs
// one on the writing connection, which stalls the API server's thread (≈ 2.5% of its time while
// 1,000 one-replica Deployments roll out). Once a store has written enough to need checkpoints, a
// worker with a second connection to the file runs them instead, and the writing connection keeps
// SQLite's own only as a backstop for a WAL the worker lets grow too large.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** WAL pages (4 KiB) after which the writing connection checkpoints by itself after all (40 MiB). */
const BACKSTOP_PAGES = 10_000;
/** SQLite's default, back in force if the worker fails. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

// CommonJS, as `eval` workers are; a PASSIVE checkpoint never waits for the writer.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
parentPort.on('message', (message) => {
  if (message === 'checkpoint') db.pragma('wal_checkpoint(PASSIVE)');
  else { db.close(); parentPort.close(); }
});
`;

/** better-sqlite3's entry file, for the worker to load (found from this module, bundled as ESM or CommonJS). */
function sqliteModule(): string {
  return createRequire(typeof __filename === 'string' ? __filename : import.meta.url).resolve('better-sqlite3');
}

export class Checkpointer {
  private worker: Worker | undefined;
  private readonly exited: Promise<void>;

  /** Checkpoints `db`'s file (in WAL mode) from a worker; undefined, with a warning, when no worker can start. */
  static start(db: Database.Database): Checkpointer | undefined {
    try {
      return new Checkpointer(db, new Worker(WORKER_SOURCE, { eval: true, workerData: { file: db.name, sqlite: sqliteModule() } }));
    } catch (err) {
      console.error(`store: no background checkpoints, the writer checkpoints: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  private constructor(db: Database.Database, worker: Worker) {
    worker.unref();
    this.worker = worker;
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.once('error', (err) => {
      console.error(`store: background checkpoints stopped, the writer checkpoints again: ${err.message}`);
      this.worker = undefined;
      if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    });
  }

  /** Asks for a checkpoint of what has been committed so far. */
  request(): void {
    this.worker?.postMessage('checkpoint');
  }

  /** Stops the worker (after the checkpoints asked for) and waits for it to end. */
  async close(): Promise<void> {
    this.worker?.ref(); // the process waits for it to close its connection
    this.worker?.postMessage('close');
    this.worker = undefined;
    await this.exited;
  }
}
