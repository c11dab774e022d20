// Watch history upkeep: finding the events older than the window, and dropping them.
import { setImmediate as nextTick } from 'node:timers/promises';
import type { Statements } from './schema.js';

/** Revisions pruned per transaction, so a large compaction never blocks the event loop for long. */
const PRUNE_CHUNK = 5000;

/**
 * The newest revision whose event is older than `cutoffMs`, or `compacted` when there is none.
 * Revisions in (compacted, current] each have one event and timestamps never decrease, so a
 * binary search by revision finds it with a few primary-key lookups instead of a time index.
 */
export function lastRevisionBefore(stmts: Statements, compacted: number, current: number, cutoffMs: number): number {
  let lo = compacted; // known to be "old enough" (or the floor)
  let hi = current + 1; // known to be too new (or past the end)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const event = stmts.eventAtOrAfter.get(mid);
    if (event && event.rev <= current && event.ts < cutoffMs) lo = event.rev;
    else hi = mid;
  }
  return lo;
}

/**
 * Drops the history at or below the compacted revision that nothing can read any more: each event
 * replaced by a later event that is also at or below it, and each delete. What stays there is the
 * latest put of each key: its current value, or the previous value of a still watchable event.
 * Works through (pruned, compacted] a chunk per transaction and tick; the progress is stored with
 * each chunk, so a compaction cut short by a crash resumes at the next open, and concurrent calls
 * neither redo nor skip a range.
 */
export async function pruneHistory(stmts: Statements, inTransaction: <T>(run: () => T) => T, stopped: () => boolean): Promise<void> {
  const pruneChunk = (): boolean =>
    inTransaction(() => {
      const pruned = stmts.getMeta.get('pruned') ?? 0;
      const compacted = stmts.getMeta.get('compacted') ?? 0;
      if (pruned >= compacted) return false;
      const range = { lo: pruned + 1, hi: Math.min(compacted, pruned + PRUNE_CHUNK) };
      stmts.deleteReplaced.run(range);
      stmts.deleteTombstones.run(range);
      stmts.setMeta.run('pruned', range.hi);
      return true;
    });
  while (!stopped() && pruneChunk()) await nextTick();
}
