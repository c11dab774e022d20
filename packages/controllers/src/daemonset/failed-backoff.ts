// Backoff for deleting failed daemon pods, per DaemonSet and node (failedPodsBackoff): a kubelet
// that keeps rejecting the pod must not make the controller delete and recreate it in a hot loop.
const INITIAL_MS = 1000;
const MAX_MS = 15 * 60 * 1000;

export class FailedPodBackoff {
  private readonly entries = new Map<string, { delayMs: number; at: number }>();

  /** Ms left before the next deletion on this node may happen (0: go ahead, and the delay doubles). */
  next(key: string, now: number): number {
    const entry = this.entries.get(key);
    if (entry && now - entry.at < entry.delayMs) return entry.delayMs - (now - entry.at);
    const delayMs = entry ? Math.min(entry.delayMs * 2, MAX_MS) : INITIAL_MS;
    this.entries.set(key, { delayMs, at: now });
    return 0;
  }

  /** Forgets entries idle for longer than the longest delay. */
  gc(now: number): void {
    for (const [key, e] of this.entries) if (now - e.at > 2 * MAX_MS) this.entries.delete(key);
  }
}
