// `cordon`, `uncordon` and `drain`: mark nodes (un)schedulable; drain then evicts their pods through
// pods/<p>/eviction and waits until each is gone (kubectl-wire.md §12).
import type { Ctx } from '../context.js';
import { dryRunOf } from '../apply/locate.js';
import { resourcePath } from '../discovery.js';
import { CliError, isNotFound } from '../errors.js';
import { listObjects, resolveTargets } from '../targets.js';
import { parseDuration } from '../watch.js';
import { drainPlan, type DrainFlags } from '../nodes/drain-plan.js';

type DryRun = ReturnType<typeof dryRunOf>;

interface NodeFlags extends DrainFlags {
  verb: 'cordon' | 'uncordon' | 'drain';
  selector?: string;
  dryRun?: string;
  timeout?: string;
  gracePeriod?: string;
  disableEviction?: boolean;
}

export async function run(ctx: Ctx, args: string[], opts: NodeFlags): Promise<number> {
  const nodes = await selectNodes(ctx, args, opts.selector);
  const dry = dryRunOf(opts.dryRun);
  for (const node of nodes) {
    await setUnschedulable(ctx, node, opts.verb !== 'uncordon', dry);
    if (opts.verb === 'drain') await drain(ctx, node.metadata.name, opts, dry);
  }
  return 0;
}

async function selectNodes(ctx: Ctx, args: string[], selector?: string): Promise<any[]> {
  const r = await ctx.discovery.resolve('nodes');
  if (args.length === 0) {
    if (!selector) throw new CliError('resource(s) were provided, but no name was specified');
    return (await listObjects(ctx, r, { labelSelector: selector })).items;
  }
  const names = (await resolveTargets(ctx, args[0]!.includes('/') ? args : ['nodes', ...args])).flatMap((t) => t.names);
  return Promise.all(names.map((name) => ctx.http.json('GET', resourcePath(r, undefined, name), { resource: 'nodes', name })));
}

async function setUnschedulable(ctx: Ctx, node: any, value: boolean, dry: DryRun): Promise<void> {
  const name = node.metadata.name;
  if (!!node.spec?.unschedulable === value) {
    ctx.out(`node/${name} already ${value ? 'cordoned' : 'uncordoned'}\n`);
    return;
  }
  if (!dry.client) {
    await ctx.http.json('PATCH', `/api/v1/nodes/${encodeURIComponent(name)}`, { query: { dryRun: dry.query }, body: { spec: { unschedulable: value ? true : null } }, contentType: 'application/strategic-merge-patch+json', resource: 'nodes', name });
  }
  ctx.out(`node/${name} ${value ? 'cordoned' : 'uncordoned'}${dry.suffix}\n`);
}

async function drain(ctx: Ctx, nodeName: string, opts: NodeFlags, dry: DryRun): Promise<void> {
  const pods = (await ctx.http.json('GET', '/api/v1/pods', { query: { fieldSelector: `spec.nodeName=${nodeName}`, limit: 500 } })).items ?? [];
  const plan = drainPlan(pods, opts);
  if (plan.errors.length) throw new CliError(`unable to drain node "${nodeName}" due to error: ${plan.errors[0]}, continuing command...\nThere are pending nodes to be drained:\n ${nodeName}\n${plan.errors[0]}`);
  if (plan.warnings.length) ctx.err(`Warning: ${plan.warnings[0]}\n`);
  const deadline = Date.now() + (parseDuration(opts.timeout, Infinity) || Infinity);
  const grace = Number(opts.gracePeriod ?? -1);
  const deleteOptions = grace >= 0 ? { gracePeriodSeconds: grace } : {};
  await Promise.all(
    plan.evict.map(async (pod) => {
      const { name, namespace, uid } = pod.metadata;
      if (dry.client || dry.query) return ctx.out(`evicting pod ${namespace}/${name}${dry.suffix}\n`);
      ctx.out(`evicting pod ${namespace}/${name}\n`);
      await evict(ctx, pod, deleteOptions, deadline, !!opts.disableEviction);
      await waitGone(ctx, namespace, name, uid, deadline);
      ctx.out(`pod/${name} ${opts.disableEviction ? 'deleted' : 'evicted'}\n`);
    }),
  );
  ctx.out(`node/${nodeName} drained${dry.suffix}\n`);
}

async function evict(ctx: Ctx, pod: any, deleteOptions: object, deadline: number, disableEviction: boolean): Promise<void> {
  const { name, namespace } = pod.metadata;
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
  for (;;) {
    try {
      if (disableEviction) await ctx.http.json('DELETE', path, { body: deleteOptions, resource: 'pods', name });
      else await ctx.http.json('POST', `${path}/eviction`, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace }, deleteOptions }, resource: 'pods', name });
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      // 429: a PodDisruptionBudget forbids it for now; kubectl retries every 5 s.
      if ((err as { code?: number }).code !== 429 || Date.now() > deadline) throw err;
      ctx.err(`error when evicting pods/"${name}" -n "${namespace}" (will retry after 5s): ${(err as Error).message}\n`);
      await new Promise((r) => setTimeout(r, Math.min(5000, Math.max(0, deadline - Date.now()))));
    }
  }
}

/** Polls about once a second, as kubectl does, until the pod is gone or replaced by a new one of the same name. */
async function waitGone(ctx: Ctx, namespace: string, name: string, uid: string, deadline: number): Promise<void> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
  for (;;) {
    try {
      const pod = await ctx.http.json('GET', path, { resource: 'pods', name });
      if (pod.metadata?.uid !== uid) return;
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (Date.now() > deadline) throw new CliError(`error when waiting for pod "${name}" in namespace "${namespace}" to terminate: global timeout reached`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
