// Read-modify-write of a live object (or its status), retried on conflicts: the controller's
// writes always start from what the API server holds now, never from a cached copy.
import type { KObject, ResourceInfo } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';

const CONFLICT_RETRIES = 5;

export const isNotFound = (err: unknown): boolean => err instanceof StatusError && err.code === 404;

/**
 * Applies `change` (false: nothing to do) and writes the result; returns what was written, or the
 * live object when nothing changed, or undefined when the object is gone.
 */
export async function updateLive<T extends KObject>(
  client: ApiClient,
  resource: ResourceInfo,
  target: { namespace?: string; name: string },
  change: (obj: T) => boolean,
  subresource?: 'status',
): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      const live = await client.get<T>(resource, target.name, { namespace: target.namespace });
      if (!change(live)) return live;
      const opts = { namespace: target.namespace };
      return subresource ? await client.updateStatus<T>(resource, live, opts) : await client.update<T>(resource, live, opts);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      if (!(err instanceof StatusError && err.code === 409) || attempt >= CONFLICT_RETRIES) throw err;
    }
  }
}
