// The objects the registry wrote last, by store key, with the revision that wrote them. A control
// loop's writes come in runs on the same few objects (a pod is created, bound, then given its
// status), so an update usually starts from the object the previous write made: taken from here,
// it need not be parsed from the stored text again (a parse was ≈ 7% of the API server's time
// under 1,000 one-replica Deployments).
//
// The objects are shared (with the write's answer and its watchers, and with later updates as their
// `old`), so nothing may change them. MINI_KUBE_FREEZE_SHARED=1 (set by the test suite) freezes
// them deeply, so that a change anywhere fails loudly instead of corrupting later writes.
import type { KObject } from '@mini-kube/api';

/** Enough for the objects that several writes in a row touch while a thousand are on the way. */
const DEFAULT_CAPACITY = 4096;
const FREEZE = process.env.MINI_KUBE_FREEZE_SHARED === '1';

export class WrittenObjects {
  /** Least recently written first (a Map keeps insertion order). */
  private readonly entries = new Map<string, { revision: number; object: KObject }>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** The object written at `key` by `revision`, if it is still here. */
  get(key: string, revision: number): KObject | undefined {
    const entry = this.entries.get(key);
    return entry?.revision === revision ? entry.object : undefined;
  }

  /** Records `object` as written at `key` by `revision`; its metadata.resourceVersion must say so. */
  set(key: string, revision: number, object: KObject): void {
    if (FREEZE) deepFreeze(object);
    this.entries.delete(key);
    this.entries.set(key, { revision, object });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
