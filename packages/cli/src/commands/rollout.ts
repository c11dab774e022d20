// `rollout status|history|undo|restart|pause|resume` with kubectl's messages and exit codes, plus
// `history --diff` and a fail-fast `status` when new pods crash-loop or cannot pull their image.
import type { Ctx } from '../context.js';
import { describePodTemplate } from '../describe/containers.js';
import { selectorString } from '../describe/format.js';
import { splitReplicaSets, templatesEqual } from '../describe/template.js';
import { PrefixWriter } from '../describe/writer.js';
import { kindPrefix, qualified, resourcePath, type ApiResource } from '../discovery.js';
import { CliError } from '../errors.js';
import { tabulate } from '../printers/tabwriter.js';
import { CHANGE_CAUSE, cleanTemplate, diffTemplates, formatChanges, revisions, rollbackPatch, type Revision } from '../rollout/history.js';
import { podFailure, rolloutStatus } from '../rollout/status.js';
import { resolveTargets } from '../targets.js';
import { parseDuration, watchObject } from '../watch.js';

interface RolloutFlags {
  revision?: string;
  toRevision?: string;
  timeout?: string;
  watch?: string;
  waitOnErrors?: boolean;
  diff?: boolean;
  namespace?: string;
}

interface Item {
  r: ApiResource;
  name: string;
  ns?: string;
}

const SUBCOMMANDS = ['status', 'history', 'undo', 'restart', 'pause', 'resume'];

export async function run(ctx: Ctx, args: string[], opts: RolloutFlags): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || !SUBCOMMANDS.includes(sub)) throw new CliError(sub ? `unknown command "${sub}" for "mini-kubectl rollout"` : `rollout needs one of: ${SUBCOMMANDS.join(', ')}`);
  const items: Item[] = [];
  for (const t of await resolveTargets(ctx, rest)) {
    if (!t.names.length) throw new CliError('required resource not specified');
    for (const name of t.names) items.push({ r: t.resource, name, ns: t.resource.namespaced ? ctx.namespace : undefined });
  }
  for (const item of items) {
    const obj = await get(ctx, item);
    if (sub === 'status') await status(ctx, item, obj, opts);
    else if (sub === 'history') await history(ctx, item, obj, opts);
    else if (sub === 'undo') await undo(ctx, item, obj, opts);
    else await pauseResumeRestart(ctx, sub, item, obj);
  }
  return 0;
}

const get = (ctx: Ctx, { r, name, ns }: Item) => ctx.http.json('GET', resourcePath(r, ns, name), { resource: qualified(r), name });

async function status(ctx: Ctx, item: Item, obj: any, opts: RolloutFlags): Promise<void> {
  const revision = Number(opts.revision ?? 0);
  if (opts.watch === 'false') {
    ctx.out(rolloutStatus(item.r.kind, obj, revision).message);
    return;
  }
  const timeoutMs = parseDuration(opts.timeout, Infinity) || Infinity;
  let stop = false;
  const watching = watchObject(
    ctx,
    item.r,
    item.ns,
    item.name,
    (o) => {
      if (!o) throw new CliError(`object has been deleted`);
      const s = rolloutStatus(item.r.kind, o, revision);
      ctx.out(s.message);
      return s.done ? { done: true } : { done: false };
    },
    timeoutMs,
    'timed out waiting for the condition',
  );
  try {
    await (opts.waitOnErrors ? watching : Promise.race([watching, failFast(ctx, item, obj, () => stop)]));
  } finally {
    stop = true;
  }
}

/** Polls the rollout's new pods; rejects with the first crash-loop or image-pull failure. */
async function failFast(ctx: Ctx, item: Item, obj: any, stopped: () => boolean): Promise<never> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000).unref());
    if (stopped()) return new Promise<never>(() => undefined);
    const failure = podFailure(await rolloutPods(ctx, item).catch(() => []));
    if (failure) throw new CliError(`${item.r.kind.toLowerCase().replace('daemonset', 'daemon set')} "${obj.metadata.name}" rollout failed: ${failure} (use --wait-on-errors to keep waiting)`);
  }
}

async function rolloutPods(ctx: Ctx, item: Item): Promise<any[]> {
  const obj = await get(ctx, item);
  let selector = selectorString(obj.spec?.selector);
  if (item.r.kind === 'Deployment') {
    const rss = await ctx.http.json('GET', `/apis/apps/v1/namespaces/${item.ns}/replicasets`, { query: { labelSelector: selector } });
    const { newRS } = splitReplicaSets(obj, rss.items ?? []);
    if (!newRS) return [];
    selector = `${selector},pod-template-hash=${newRS.metadata.labels?.['pod-template-hash'] ?? ''}`;
  }
  const pods = await ctx.http.json('GET', `/api/v1/namespaces/${item.ns}/pods`, { query: { labelSelector: selector } });
  return pods.items ?? [];
}

async function deploymentRevisions(ctx: Ctx, item: Item, obj: any): Promise<Revision[]> {
  const rss = await ctx.http.json('GET', `/apis/apps/v1/namespaces/${item.ns}/replicasets`, { query: { labelSelector: selectorString(obj.spec?.selector) } });
  return revisions(obj, rss.items ?? []);
}

/** DaemonSets and StatefulSets keep their history in ControllerRevisions. */
async function controllerRevisions(ctx: Ctx, item: Item, obj: any): Promise<{ revision: number; annotations: Record<string, string> }[]> {
  const list = await ctx.http.json('GET', `/apis/apps/v1/namespaces/${item.ns}/controllerrevisions`, { query: { labelSelector: selectorString(obj.spec?.selector) } });
  return (list.items ?? [])
    .filter((cr: any) => (cr.metadata.ownerReferences ?? []).some((o: any) => o.controller && o.uid === obj.metadata.uid))
    .map((cr: any) => ({ revision: Number(cr.revision ?? 0), annotations: cr.metadata.annotations ?? {} }))
    .sort((a: any, b: any) => a.revision - b.revision);
}

async function history(ctx: Ctx, item: Item, obj: any, opts: RolloutFlags): Promise<void> {
  const header = `${kindPrefix(item.r)}/${item.name}`;
  const revs = item.r.kind === 'Deployment' ? await deploymentRevisions(ctx, item, obj) : [];
  const entries = item.r.kind === 'Deployment' ? revs.map((r) => ({ revision: r.revision, annotations: r.rs.metadata.annotations ?? {} })) : await controllerRevisions(ctx, item, obj);
  const wanted = Number(opts.revision ?? 0);
  if (wanted > 0) {
    const rev = revs.find((r) => r.revision === wanted);
    if (!rev) throw new CliError('unable to find the specified revision');
    const w = new PrefixWriter();
    describePodTemplate(w, { ...rev.rs.spec.template, metadata: { ...rev.rs.spec.template.metadata } });
    ctx.out(`${header} with revision #${wanted}\n${w.raw()}\n`);
    return;
  }
  if (!entries.length) {
    ctx.out(`${header} \nNo rollout history found.\n`);
    return;
  }
  const lines = ['REVISION\tCHANGE-CAUSE', ...entries.map((e) => `${e.revision}\t${e.annotations[CHANGE_CAUSE] || '<none>'}`)];
  ctx.out(`${header} \n${tabulate(lines, { minWidth: 0, padding: 2, rememberWidths: false })}\n`);
  if (opts.diff) {
    for (let i = 1; i < revs.length; i++) {
      ctx.out(formatChanges(revs[i - 1]!.revision, revs[i]!.revision, diffTemplates(cleanTemplate(revs[i - 1]!.rs), cleanTemplate(revs[i]!.rs))));
    }
  }
}

async function undo(ctx: Ctx, item: Item, obj: any, opts: RolloutFlags): Promise<void> {
  if (item.r.kind !== 'Deployment') throw new CliError(`no rollbacker has been implemented for ${item.r.kind}`);
  if (obj.spec?.paused) throw new CliError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  const revs = await deploymentRevisions(ctx, item, obj);
  const toRevision = Number(opts.toRevision ?? 0);
  let target: Revision | undefined;
  if (toRevision > 0) {
    target = revs.find((r) => r.revision === toRevision);
    if (!target) throw new CliError(`unable to find specified revision ${toRevision} in history`);
  } else {
    if (revs.length < 2) throw new CliError('no rollout history found');
    target = revs[revs.length - 2];
  }
  const prefix = `${kindPrefix(item.r)}/${item.name}`;
  if (templatesEqual(target!.rs.spec?.template, obj.spec?.template)) {
    ctx.out(`${prefix} skipped rollback (current template already matches revision ${target!.revision})\n`);
    return;
  }
  await ctx.http.json('PATCH', resourcePath(item.r, item.ns, item.name), { body: rollbackPatch(obj, target!.rs), contentType: 'application/json-patch+json', resource: qualified(item.r), name: item.name });
  ctx.out(`${prefix} rolled back\n`);
}

async function pauseResumeRestart(ctx: Ctx, sub: string, item: Item, obj: any): Promise<void> {
  const id = `${qualified(item.r)} "${item.name}"`;
  const paused = !!obj.spec?.paused;
  let body: unknown;
  if (sub === 'pause') {
    if (item.r.kind !== 'Deployment') throw new CliError(`${id} pausing is not supported`);
    if (paused) throw new CliError(`${id} is already paused`);
    body = { spec: { paused: true } };
  } else if (sub === 'resume') {
    if (item.r.kind !== 'Deployment') throw new CliError(`${id} resuming is not supported`);
    if (!paused) throw new CliError(`${id} is not paused`);
    body = { spec: { paused: null } };
  } else {
    if (paused) throw new CliError(`${id} can't restart paused deployment (run rollout resume first)`);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    body = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now } } } } };
  }
  await ctx.http.json('PATCH', resourcePath(item.r, item.ns, item.name), { body, contentType: 'application/strategic-merge-patch+json', query: { fieldManager: 'kubectl-rollout' }, resource: qualified(item.r), name: item.name });
  ctx.out(`${kindPrefix(item.r)}/${item.name} ${sub === 'pause' ? 'paused' : sub === 'resume' ? 'resumed' : 'restarted'}\n`);
}
