// Pod subresources: binding (the scheduler's write), eviction (kubectl drain) and log.
import type { KObject, ResourceInfo } from '@mini-kube/api';
import { badRequest, conflict } from '@mini-kube/machinery';
import type { Registry, RequestContext } from '../registry/registry.js';
import { rfc3339 } from '../registry/prepare.js';

export const successStatus = (details?: Record<string, unknown>): Record<string, unknown> => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  ...(details ? { details } : {}),
  code: 201,
});

interface PodStatusLike {
  conditions?: { type: string; status: string; lastProbeTime?: string | null; lastTransitionTime?: string }[];
}

/**
 * POST pods/{name}/binding: sets spec.nodeName once, the PodScheduled condition, and the Binding's
 * annotations. Upstream writes the pod in storage directly (setPodHostAndAnnotations), so the
 * binding leaves managedFields as they are.
 */
export async function bindPod(registry: Registry, pods: ResourceInfo, namespace: string, name: string, body: KObject, ctx: RequestContext): Promise<void> {
  const target = (body as { target?: { kind?: string; name?: string } }).target;
  const annotations = body.metadata?.annotations;
  if (!target?.name) throw badRequest('Binding.target.name: Required value');
  if (target.kind && target.kind !== 'Node') throw badRequest(`Binding.target.kind: Unsupported value: "${target.kind}": supported values: "Node"`);
  const patch = (pod: KObject): KObject => {
    const spec = (pod.spec ??= {}) as { nodeName?: string };
    if (pod.metadata.deletionTimestamp) throw conflict('', 'pods', name, 'pod is being deleted, cannot be assigned to a host');
    if (spec.nodeName) throw conflict('', 'pods', name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    spec.nodeName = target.name;
    if (annotations && Object.keys(annotations).length > 0) pod.metadata.annotations = { ...pod.metadata.annotations, ...annotations };
    const status = (pod.status ??= {}) as PodStatusLike;
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(new Date()) });
    status.conditions = conditions;
    return pod;
  };
  await registry.mutate(pods, namespace, name, 'binding', ctx, patch);
}

/** POST pods/{name}/eviction: a graceful delete (PodDisruptionBudgets are not served). */
export async function evictPod(registry: Registry, pods: ResourceInfo, namespace: string, name: string, body: KObject, ctx: RequestContext): Promise<void> {
  const deleteOptions = (body as { deleteOptions?: { gracePeriodSeconds?: number; preconditions?: { uid?: string } } }).deleteOptions ?? {};
  await registry.delete(pods, namespace, name, ctx, {
    gracePeriodSeconds: deleteOptions.gracePeriodSeconds,
    preconditions: deleteOptions.preconditions,
  });
}

/** Where pod logs come from: by default the kubelet of the pod's node (node-proxy.ts). */
export type PodLogSource = (pod: KObject, options: Record<string, string | undefined>) => Promise<NodeJS.ReadableStream | string>;

export async function podLogs(pod: KObject, container: string | undefined, source: PodLogSource, options: Record<string, string | undefined>): Promise<NodeJS.ReadableStream | string> {
  const spec = pod.spec as { nodeName?: string; containers?: { name: string }[] } | undefined;
  const containers = spec?.containers ?? [];
  const chosen = container ?? (containers.length === 1 ? containers[0]!.name : undefined);
  if (!chosen) {
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`);
  }
  if (!containers.some((c) => c.name === chosen)) throw badRequest(`container ${chosen} is not valid for pod ${pod.metadata.name}`);
  if (!spec?.nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  return source(pod, { ...options, container: chosen });
}
