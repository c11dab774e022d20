// Informer-style waiting on one object: list by name, then watch from the list's
// resourceVersion until a predicate holds, the object is deleted, or the timeout passes.
import type { Ctx } from './context.js';
import { resourcePath, type ApiResource } from './discovery.js';
import { CliError } from './errors.js';
import { jsonLines } from './http.js';

/** `30s`, `5m`, `1h`, `0` (no wait), plain seconds; -1 or undefined for none. */
export function parseDuration(text: string | undefined, fallbackMs = Infinity): number {
  if (text === undefined || text === '') return fallbackMs;
  let ms = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) ms += Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000);
  if (text.startsWith('-')) return Infinity;
  return ms;
}

export type Verdict = { done: true; value?: unknown } | { done: false };

/**
 * Calls `check` with the object (or undefined once it is gone) on the list and every watch event;
 * resolves with the first `done` verdict, rejects with a timeout CliError.
 */
export async function watchObject(ctx: Ctx, r: ApiResource, namespace: string | undefined, name: string, check: (obj: any | undefined) => Verdict, timeoutMs: number, timeoutMessage: string): Promise<unknown> {
  const abort = new AbortController();
  const timer = Number.isFinite(timeoutMs) ? setTimeout(() => abort.abort(), timeoutMs) : undefined;
  const timedOut = new Promise<never>((_, reject) => abort.signal.addEventListener('abort', () => reject(new CliError(timeoutMessage))));
  timedOut.catch(() => undefined);
  try {
    return await Promise.race([loop(), timedOut]);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }

  async function loop(): Promise<unknown> {
    const fieldSelector = `metadata.name=${name}`;
    for (;;) {
      const list = await ctx.http.json('GET', resourcePath(r, namespace), { query: { fieldSelector, limit: 500, resourceVersion: 0 } });
      const first = check(list.items?.[0]);
      if (first.done) return first.value;
      const res = await ctx.http.stream('GET', resourcePath(r, namespace), { query: { fieldSelector, resourceVersion: list.metadata?.resourceVersion, watch: 'true', allowWatchBookmarks: 'true' } });
      abort.signal.addEventListener('abort', () => res.destroy());
      try {
        for await (const event of jsonLines(res)) {
          if (event.type === 'BOOKMARK') continue;
          if (event.type === 'ERROR') break; // expired: list again
          const verdict = check(event.type === 'DELETED' ? undefined : event.object);
          if (verdict.done) return verdict.value;
        }
      } catch (err) {
        if (abort.signal.aborted) return new Promise(() => undefined);
        throw err;
      }
      if (abort.signal.aborted) return new Promise(() => undefined);
    }
  }
}

export async function waitForDeletion(ctx: Ctx, r: ApiResource, namespace: string | undefined, name: string, timeout?: string): Promise<void> {
  const ms = parseDuration(timeout, Infinity);
  await watchObject(ctx, r, namespace, name, (obj) => (obj ? { done: false } : { done: true }), ms === 0 ? Infinity : ms, `timed out waiting for the condition on ${r.resource}/${name}`);
}
