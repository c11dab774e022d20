// The reconcile loop: workers take keys from a queue and reconcile them, one key at a time each.
import { StatusError } from '@mini-kube/machinery';
import type { ControllerOptions } from './types.js';
import type { WorkQueue } from './work-queue.js';

/**
 * Runs `workers` loops of get → reconcile → forget/done until `signal` aborts, then shuts the
 * queue down and resolves once every in-flight reconcile has finished. A reconcile that throws is
 * retried with the queue's per-key backoff.
 */
export async function runController(queue: WorkQueue, opts: ControllerOptions): Promise<void> {
  const { signal } = opts;
  const stop = (): void => queue.shutDown();
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });

  const worker = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await opts.reconcile(key);
        queue.forget(key);
      } catch (err) {
        if (!signal.aborted) {
          logFailure(opts.name, key, err);
          queue.addRateLimited(key);
        }
      } finally {
        queue.done(key);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.workers ?? 1) }, worker));
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

function logFailure(name: string, key: string, err: unknown): void {
  // A conflict means the cache was behind the server: routine with optimistic concurrency.
  if (err instanceof StatusError && err.code === 409) return;
  const message = err instanceof Error ? err.message : String(err);
  console.error(`${name}: reconcile ${key} failed (will retry): ${message}`);
}
