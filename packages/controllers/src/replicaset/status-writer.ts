// Writing a workload's status through /status, only when it changed, the way the real controllers
// serialise it: counters that are 0 are omitted (they are `omitempty` in the Go types).
import type { KObject, ResourceInfo } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { REPLICASETS } from './types.js';
import { jsonEqual } from '@mini-kube/machinery';

const OMIT_WHEN_ZERO = new Set([
  'fullyLabeledReplicas',
  'readyReplicas',
  'availableReplicas',
  'observedGeneration',
  'updatedReplicas',
  'unavailableReplicas',
]);

/** The status as the API would store it: zero omitempty counters and undefined members dropped. */
export function compactStatus<S extends object>(status: S, keepZeroReplicas: boolean): S {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(status)) {
    if (v === undefined || (v === 0 && (OMIT_WHEN_ZERO.has(k) || (k === 'replicas' && !keepZeroReplicas)))) continue;
    out[k] = v;
  }
  return out as S;
}

/**
 * Writes `status` unless the object already has it. A conflict is retried once on a fresh read
 * (updateReplicaSetStatus); a second failure throws, so the key is retried later.
 */
export async function writeStatus<S extends object>(
  client: ApiClient,
  obj: KObject & { status?: S },
  status: S,
  resource: ResourceInfo = REPLICASETS,
): Promise<S> {
  // ReplicaSetStatus.replicas is not omitempty; DeploymentStatus.replicas is.
  const next = compactStatus(status, resource === REPLICASETS);
  if (jsonEqual(obj.status ?? {}, next)) return next;
  let current: KObject = obj;
  for (let attempt = 0; ; attempt++) {
    try {
      // The server stores `next` as it is (it is already in the stored form): its answer is not read.
      await client.updateStatus(resource, { ...current, status: next }, { discardResult: true });
      return next;
    } catch (err) {
      if (attempt >= 1 || (err as { code?: number }).code !== 409) throw err;
      current = await client.get(resource, obj.metadata.name!, { namespace: obj.metadata.namespace });
    }
  }
}
