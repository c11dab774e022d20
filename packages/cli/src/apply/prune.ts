// `apply --prune -l <selector>`: after applying, delete the objects of the default prune kinds
// that carry the selector and the last-applied annotation but were not in this apply.
import type { Ctx } from '../context.js';
import { dryRunOf } from './locate.js';
import { LAST_APPLIED } from './last-applied.js';
import { kindPrefix, resourcePath } from '../discovery.js';
import { listObjects } from '../targets.js';

/** kubectl's default prune allowlist (group/version/Kind). */
export const PRUNE_KINDS = [
  'v1/ConfigMap', 'v1/Endpoints', 'v1/Namespace', 'v1/PersistentVolumeClaim', 'v1/PersistentVolume', 'v1/Pod',
  'v1/ReplicationController', 'v1/Secret', 'v1/Service', 'batch/v1/Job', 'batch/v1/CronJob',
  'networking.k8s.io/v1/Ingress', 'apps/v1/DaemonSet', 'apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet',
];

export interface Applied {
  uids: Set<string>;
  /** Namespaces the applied objects live in. */
  namespaces: Set<string>;
}

/** Whether an object listed for pruning should go. */
export function shouldPrune(obj: any, applied: Applied): boolean {
  return !!obj.metadata?.annotations?.[LAST_APPLIED] && !applied.uids.has(obj.metadata.uid) && !obj.metadata.deletionTimestamp;
}

export async function prune(ctx: Ctx, applied: Applied, selector: string | undefined, dryRun: string | undefined): Promise<void> {
  const dry = dryRunOf(dryRun);
  for (const gvk of PRUNE_KINDS) {
    const kind = gvk.slice(gvk.lastIndexOf('/') + 1);
    const r = await ctx.discovery.byKind(gvk.slice(0, gvk.lastIndexOf('/')), kind);
    if (!r || !r.verbs.includes('delete')) continue;
    const namespaces = r.namespaced ? [...applied.namespaces] : [undefined];
    for (const ns of namespaces) {
      const { items } = await listObjects(ctx, r, { labelSelector: selector, namespace: ns });
      for (const obj of items.filter((o) => shouldPrune(o, applied))) {
        const name = obj.metadata.name;
        if (!dry.client) await ctx.http.json('DELETE', resourcePath(r, ns, name), { query: { dryRun: dry.query }, body: { propagationPolicy: 'Background' }, resource: r.resource, name });
        ctx.out(`${kindPrefix(r)}/${name} pruned${dry.suffix}\n`);
      }
    }
  }
}
