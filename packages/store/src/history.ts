// Watch history upkeep: finding the events older than the window, and dropping them.
import { setImmediate as nextTick } from 'node:timers/promises';
import type { Statements } from './schema.js';

/** Rows deleted per transaction, so a large compaction never blocks the event loop for long. */
const DELETE_CHUNK = 5000;

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

/** Deletes the events at or below `revision`, a chunk per tick, until done or `stopped()`. */
export async function compactEvents(stmts: Statements, revision: number, stopped: () => boolean): Promise<void> {
  for (;;) {
    if (stopped()) return;
    const oldest = stmts.oldestEventRev.get();
    if (oldest === null || oldest === undefined || oldest > revision) return;
    stmts.deleteEventsUpTo.run(Math.min(revision, oldest + DELETE_CHUNK - 1));
    await nextTick();
  }
}
