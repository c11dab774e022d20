// Test helpers: backends to run the contract against, and a watch that records what it sees.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store, type StoreEvent, type StoreOptions, type WatchOptions } from '../src/index.js';

export interface Backend {
  name: string;
  open(options?: StoreOptions): Promise<Store>;
  cleanup(): void;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mini-kube-store-'));
}

export function memoryBackend(): Backend {
  return { name: 'memory', open: (options) => openStore('memory', options), cleanup: () => {} };
}

export function sqliteBackend(): Backend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    open: (options) => {
      const dir = tempDir();
      dirs.push(dir);
      return openStore(`sqlite:${join(dir, 'state.db')}`, options);
    },
    cleanup: () => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Recorder {
  events: StoreEvent[];
  errors: Error[];
  close(): void;
  /** Resolves once `count` events have arrived. */
  waitFor(count: number): Promise<StoreEvent[]>;
}

export function record(store: Store, prefix: string, options: WatchOptions): Recorder {
  const events: StoreEvent[] = [];
  const errors: Error[] = [];
  const waiters: Array<() => void> = [];
  const watch = store.watch(
    prefix,
    options,
    (event) => {
      events.push(event);
      for (const wake of waiters.splice(0)) wake();
    },
    (err) => errors.push(err),
  );
  const waitFor = async (count: number): Promise<StoreEvent[]> => {
    const deadline = Date.now() + 5000;
    while (events.length < count) {
      if (Date.now() > deadline) throw new Error(`waited for ${count} events, got ${events.length}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return events;
  };
  return { events, errors, close: () => watch.close(), waitFor };
}

/** A compact view of events for equality checks: "put /a=1@3". */
export function summary(events: StoreEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.kv.key}=${e.kv.value}@${e.revision}`);
}
