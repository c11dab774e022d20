// Remembers the slices this controller wrote for each Service, so a reconcile that would plan from a
// cache not yet showing those writes (and, say, create a duplicate slice) waits instead
// (endpointslice's EndpointSliceTracker, by resourceVersion).
import type { EndpointSliceObject } from '../endpoints/types.js';

export class SliceTracker {
  /** service key → slice name → resourceVersion written, or 'deleted'. */
  private readonly written = new Map<string, Map<string, string>>();

  wrote(serviceKey: string, slice: EndpointSliceObject): void {
    this.forService(serviceKey).set(slice.metadata.name!, slice.metadata.resourceVersion!);
  }

  deleted(serviceKey: string, slice: EndpointSliceObject): void {
    this.forService(serviceKey).set(slice.metadata.name!, 'deleted');
  }

  /** Whether `cached` (the cache's slices of this Service) reflects every write; forgets them once it does. */
  caughtUp(serviceKey: string, cached: EndpointSliceObject[]): boolean {
    const written = this.written.get(serviceKey);
    if (!written) return true;
    const byName = new Map(cached.map((s) => [s.metadata.name!, s]));
    for (const [name, rv] of written) {
      const slice = byName.get(name);
      if (rv === 'deleted' ? slice !== undefined : !slice || Number(slice.metadata.resourceVersion) < Number(rv)) return false;
    }
    this.written.delete(serviceKey);
    return true;
  }

  forget(serviceKey: string): void {
    this.written.delete(serviceKey);
  }

  private forService(key: string): Map<string, string> {
    let m = this.written.get(key);
    if (!m) this.written.set(key, (m = new Map()));
    return m;
  }
}
