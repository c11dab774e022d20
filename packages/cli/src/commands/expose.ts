// `expose TYPE NAME --port=P`: a Service selecting the pods of a deployment, replica set, replication
// controller, pod or service, with ports introspected from the pod template when --port is absent.
import type { Ctx } from '../context.js';
import { CliError } from '../errors.js';
import { getObject, resolveTargets } from '../targets.js';
import { createObject, parseLabels, type CreateFlags } from './create-object.js';

export interface ExposeFlags extends CreateFlags {
  port?: string;
  targetPort?: string;
  type?: string;
  name?: string;
  protocol?: string;
  selector?: string;
  labels?: string;
}

/** The map-based selector kubectl derives from the object. */
export function selectorOf(obj: any): Record<string, string> {
  switch (obj.kind) {
    case 'Pod':
      return obj.metadata?.labels ?? {};
    case 'Service':
    case 'ReplicationController':
      if (!obj.spec?.selector) throw new CliError(`the ${obj.kind.toLowerCase()} has no pod selector set`);
      return obj.spec.selector;
    case 'Deployment':
    case 'ReplicaSet': {
      const sel = obj.spec?.selector ?? {};
      if (sel.matchExpressions?.length) throw new CliError(`couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`);
      return sel.matchLabels ?? {};
    }
  }
  throw new CliError(`cannot expose a ${obj.kind}`);
}

/** Container ports of the pods the object manages (or the Service's ports). */
export function portsOf(obj: any): { port: number; protocol: string }[] {
  if (obj.kind === 'Service') return (obj.spec?.ports ?? []).map((p: any) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));
  const spec = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  return (spec?.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
}

const intOrString = (v: string): number | string => (/^\d+$/.test(v) ? Number(v) : v);

export function serviceFor(obj: any, flags: ExposeFlags): any {
  const ports = flags.port ? [{ port: Number(flags.port), protocol: flags.protocol ?? portsOf(obj).find((p) => p.port === Number(flags.port))?.protocol ?? 'TCP' }] : portsOf(obj);
  if (ports.length === 0) throw new CliError("couldn't find port via --port flag or introspection");
  const specPorts = ports.map((p, i) => ({
    ...(ports.length > 1 ? { name: `port-${i + 1}` } : {}),
    port: p.port,
    protocol: flags.protocol ?? p.protocol,
    targetPort: flags.targetPort ? intOrString(flags.targetPort) : p.port,
  }));
  const selector = flags.selector ? parseLabels(flags.selector) : selectorOf(obj);
  const labels = flags.labels ? parseLabels(flags.labels) : obj.metadata?.labels;
  const spec: any = { ports: specPorts, selector };
  if (flags.type) spec.type = flags.type;
  return { apiVersion: 'v1', kind: 'Service', metadata: { creationTimestamp: null, name: flags.name ?? obj.metadata.name, ...(labels && Object.keys(labels).length ? { labels } : {}) }, spec, status: { loadBalancer: {} } };
}

export async function run(ctx: Ctx, args: string[], flags: ExposeFlags): Promise<number> {
  const targets = await resolveTargets(ctx, args);
  const names = targets.flatMap((t) => t.names.map((name) => ({ r: t.resource, name })));
  if (names.length === 0) throw new CliError('You must provide one or more resources by argument or filename.');
  for (const { r, name } of names) {
    const obj = await getObject(ctx, r, name);
    obj.kind ??= r.kind;
    await createObject(ctx, serviceFor(obj, flags), 'kubectl-expose', 'exposed', flags);
  }
  return 0;
}
