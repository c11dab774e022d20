// Times as the API writes them, and a deadline on work in progress.
import type { Clock } from '@mini-kube/runtime';


/** metav1.MicroTime: six fraction digits. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

/** Whether `work` settles (resolves or rejects) within `ms` on `clock`; it goes on either way. */
export function settlesWithin(work: Promise<unknown>, ms: number, clock: Clock): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(() => resolve(false), ms);
    const settled = (): void => {
      timer.cancel();
      resolve(true);
    };
    work.then(settled, settled);
  });
}
