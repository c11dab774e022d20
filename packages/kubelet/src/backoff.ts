// The restart back-off of crashing containers, as client-go's flowcontrol.Backoff keeps it for the
// kubelet: the first restart is immediate and sets the delay to `base`; each later restart waits
// for the delay to pass since the container finished, then doubles it up to `max`. A container
// that went 2 × max without a restart starts over at `base`.

export interface BackoffEntry {
  delayMs: number;
  /** When the last restart happened. */
  lastRestart: number;
}

export interface BackoffLimits {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffLimits = { baseMs: 10_000, maxMs: 300_000 };

/** The time a container that finished at `finishedAt` may restart, if that is still after `now`. */
export function backoffUntil(entry: BackoffEntry | undefined, finishedAt: number, now: number): number | undefined {
  if (!entry) return undefined;
  const until = finishedAt + entry.delayMs;
  return now < until ? until : undefined;
}

/** The entry after a restart at `now`. */
export function nextBackoff(entry: BackoffEntry | undefined, now: number, limits: BackoffLimits): BackoffEntry {
  if (!entry || now - entry.lastRestart > 2 * limits.maxMs) return { delayMs: limits.baseMs, lastRestart: now };
  return { delayMs: Math.min(entry.delayMs * 2, limits.maxMs), lastRestart: now };
}

/** `200ms`, `10s`, `1m20s`, `5m0s`: a delay as Go's time.Duration prints it, for back-off messages. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${ms / 1000}s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return `${minutes}m${seconds}s`;
  return `${Math.floor(minutes / 60)}h${minutes % 60}m${seconds}s`;
}
