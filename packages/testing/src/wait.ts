export interface WaitOptions {
  timeoutMs?: number; // default 10 s
  intervalMs?: number; // default 100 ms
  /** Names what was awaited in the timeout error. */
  message?: string;
  /** Gives up early, rejecting with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Calls `fn` until it returns a truthy value, which it resolves with. Errors thrown by `fn` count
 * as "not yet"; on timeout the last one is reported.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : `last value: ${JSON.stringify(last)}`;
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${opts.message ?? 'condition'} (${detail})`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
