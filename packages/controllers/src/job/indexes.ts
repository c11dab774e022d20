// Completion indexes of Indexed Jobs (indexed_job_utils.go): the index a pod carries, the compact
// interval form of status.completedIndexes ("0-2,5"), and which indexes still need a pod.
import type { Pod } from 'kubernetes-types/core/v1';
import { COMPLETION_INDEX } from './types.js';

/** The pod's completion index from its annotation (or label), undefined when missing or invalid. */
export function completionIndex(pod: Pod): number | undefined {
  const raw = pod.metadata?.annotations?.[COMPLETION_INDEX] ?? pod.metadata?.labels?.[COMPLETION_INDEX];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const ix = Number(raw);
  return Number.isSafeInteger(ix) ? ix : undefined;
}

/** A valid index of a job with `completions` completions. */
export const validIndex = (pod: Pod, completions: number): number | undefined => {
  const ix = completionIndex(pod);
  return ix !== undefined && ix < completions ? ix : undefined;
};

/** Parses "0-2,5" into sorted distinct indexes below `completions`; malformed parts are skipped. */
export function parseIndexes(text: string | undefined, completions: number): number[] {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const first = Number(m[1]);
    const last = Math.min(Number(m[2] ?? m[1]), completions - 1);
    for (let i = first; i <= last; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

/** Formats indexes as intervals: [0,1,2,5] → "0-2,5". */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The lowest `count` indexes below `completions` that neither succeeded nor have a pod holding them. */
export function firstPendingIndexes(count: number, completions: number, succeeded: ReadonlySet<number>, held: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let ix = 0; ix < completions && out.length < count; ix++) {
    if (!succeeded.has(ix) && !held.has(ix)) out.push(ix);
  }
  return out;
}
