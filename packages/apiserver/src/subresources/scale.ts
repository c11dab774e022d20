// The scale subresource (autoscaling/v1 Scale) of deployments, replicasets and statefulsets.
import type { KObject, LabelSelector, ResourceInfo } from '@mini-kube/api';
import { applyPatch, badRequest, selectorFromLabelSelector } from '@mini-kube/machinery';
import type { Registry, RequestContext, WriteOptions } from '../registry/registry.js';

interface Scalable {
  spec?: { replicas?: number; selector?: LabelSelector };
  status?: { replicas?: number };
}

export function toScale(obj: KObject): KObject {
  const { spec, status } = obj as unknown as Scalable;
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: spec?.replicas ?? 0 },
    status: { replicas: status?.replicas ?? 0, selector: selectorFromLabelSelector(spec?.selector).toString() },
  };
}

function replicasOf(scale: KObject): number {
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw badRequest('spec.replicas: an integer is required in a Scale');
  return replicas;
}

async function setReplicas(
  registry: Registry,
  r: ResourceInfo,
  namespace: string | undefined,
  name: string,
  replicas: number,
  resourceVersion: string | undefined,
  ctx: RequestContext,
  options: WriteOptions,
): Promise<KObject> {
  const patch: Record<string, unknown> = { spec: { replicas } };
  if (resourceVersion) patch.metadata = { resourceVersion };
  const { object } = await registry.patch(r, namespace, name, 'application/merge-patch+json', patch, ctx, options);
  return toScale(object);
}

export async function updateScale(
  registry: Registry,
  r: ResourceInfo,
  namespace: string | undefined,
  name: string,
  body: KObject,
  ctx: RequestContext,
  options: WriteOptions,
): Promise<KObject> {
  return setReplicas(registry, r, namespace, name, replicasOf(body), body.metadata?.resourceVersion || undefined, ctx, options);
}

export async function patchScale(
  registry: Registry,
  r: ResourceInfo,
  namespace: string | undefined,
  name: string,
  contentType: string,
  patch: unknown,
  ctx: RequestContext,
  options: WriteOptions,
): Promise<KObject> {
  const current = toScale(await registry.get(r, namespace, name));
  const patched = applyPatch(contentType, current, patch, 'autoscaling', 'Scale') as KObject;
  const precondition = (patch as { metadata?: { resourceVersion?: string } })?.metadata?.resourceVersion;
  return setReplicas(registry, r, namespace, name, replicasOf(patched), precondition, ctx, options);
}
