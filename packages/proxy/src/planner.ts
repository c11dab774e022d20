// The listeners of all Services, kept one Service at a time: the proxy reconciles a Service when it
// or its EndpointSlices change and hands the table that Service's listeners (`serviceListeners`);
// the table answers which listener keys changed. A contested address goes to the first Service by
// `namespace/name`, as in `desiredListeners`, so the table always equals what that would plan.
import type { ListenerSpec } from './plan.js';

/** Listener key → its spec now, or undefined when nothing listens there any more. */
export type ListenerChanges = Map<string, ListenerSpec | undefined>;

export class ListenerTable {
  /** Service key → its listeners by key (the first spec of a key within a Service wins). */
  private readonly byService = new Map<string, Map<string, ListenerSpec>>();
  /** Listener key → the Services that ask for it. */
  private readonly claims = new Map<string, Set<string>>();
  /** Listener key → the spec that won it. */
  private readonly winners = new Map<string, ListenerSpec>();

  /** Sets the listeners of one Service (none: the Service is gone); returns what changed. */
  set(serviceKey: string, specs: ListenerSpec[]): ListenerChanges {
    const before = this.byService.get(serviceKey);
    const own = new Map<string, ListenerSpec>();
    for (const spec of specs) if (!own.has(spec.key)) own.set(spec.key, spec);
    if (own.size) this.byService.set(serviceKey, own);
    else this.byService.delete(serviceKey);

    const changes: ListenerChanges = new Map();
    for (const key of new Set([...(before?.keys() ?? []), ...own.keys()])) {
      const claimants = this.claims.get(key) ?? new Set<string>();
      if (own.has(key)) claimants.add(serviceKey);
      else claimants.delete(serviceKey);
      if (claimants.size) this.claims.set(key, claimants);
      else this.claims.delete(key);

      const winner = claimants.size ? this.byService.get(first(claimants))!.get(key)! : undefined;
      if (winner === this.winners.get(key)) continue;
      if (winner) this.winners.set(key, winner);
      else this.winners.delete(key);
      changes.set(key, winner);
    }
    return changes;
  }

  /** The Services that have listeners. */
  get services(): string[] {
    return [...this.byService.keys()];
  }

  /** Every listener, by key. */
  get listeners(): ListenerSpec[] {
    return [...this.winners.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

const first = (keys: Set<string>): string => [...keys].reduce((a, b) => (b < a ? b : a));
