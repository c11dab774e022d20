// `autoscale TYPE NAME --max=N [--min=N] [--cpu-percent=P]`: an autoscaling/v1 HorizontalPodAutoscaler
// targeting the object, as kubectl 1.32 creates it (as autoscaling/v2 when the server lacks v1).
import type { Ctx } from '../context.js';
import { groupVersion } from '../discovery.js';
import { CliError } from '../errors.js';
import { getObject, resolveTargets } from '../targets.js';
import { createObject, type CreateFlags } from './create-object.js';

export interface AutoscaleFlags extends CreateFlags {
  min?: string;
  max?: string;
  cpuPercent?: string;
  name?: string;
}

export function autoscalerFor(target: { apiVersion: string; kind: string; name: string }, flags: AutoscaleFlags): any {
  const max = Number(flags.max ?? -1);
  const min = Number(flags.min ?? -1);
  if (max < 1) throw new CliError('--max=MAXPODS is required and must be at least 1, max: ' + max);
  if (max < min) throw new CliError(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`);
  const spec: any = { maxReplicas: max, scaleTargetRef: { apiVersion: target.apiVersion, kind: target.kind, name: target.name } };
  if (min >= 0) spec.minReplicas = min;
  const cpu = Number(flags.cpuPercent ?? -1);
  if (cpu >= 0) spec.targetCPUUtilizationPercentage = cpu;
  return { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { creationTimestamp: null, name: flags.name ?? target.name }, spec, status: { currentReplicas: 0, desiredReplicas: 0 } };
}

/** The same autoscaler as autoscaling/v2, for servers that no longer serve v1. */
export function toV2(v1: any): any {
  const { targetCPUUtilizationPercentage: cpu, ...spec } = v1.spec;
  if (cpu !== undefined) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }];
  return { ...v1, apiVersion: 'autoscaling/v2', spec, status: { desiredReplicas: 0 } };
}

export async function run(ctx: Ctx, args: string[], flags: AutoscaleFlags): Promise<number> {
  for (const t of await resolveTargets(ctx, args)) {
    if (!t.resource.subresources.includes('scale')) throw new CliError(`cannot autoscale a ${t.resource.kind}: ${t.resource.resource} does not have a scale subresource`);
    for (const name of t.names) {
      await getObject(ctx, t.resource, name); // NotFound before creating an autoscaler of nothing
      const hpa = autoscalerFor({ apiVersion: groupVersion(t.resource), kind: t.resource.kind, name }, flags);
      const v1Served = flags.dryRun === 'client' || (await ctx.discovery.byKind('autoscaling/v1', 'HorizontalPodAutoscaler'));
      await createObject(ctx, v1Served ? hpa : toV2(hpa), 'kubectl-autoscale', 'autoscaled', flags);
    }
  }
  return 0;
}
