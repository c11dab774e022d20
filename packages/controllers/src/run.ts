// How every controller of the manager runs: once the shared caches are synced, workers reconcile
// keys from its queue until the manager stops.
import { runController, type WorkQueue } from '@mini-kube/runtime';
import type { ControllerContext } from './context.js';

export async function runWhenSynced(ctx: ControllerContext, name: string, queue: WorkQueue, reconcile: (key: string) => Promise<void>): Promise<void> {
  await Promise.resolve(); // the manager starts the informers right after every controller registered
  try {
    await ctx.informers.waitForSync(ctx.signal);
  } catch {
    return; // stopped before the caches synced
  }
  await runController(queue, { name, workers: ctx.options.workers, signal: ctx.signal, reconcile });
}
