// `wait --for=condition=X[=value]|delete|create|jsonpath='{...}'=value` on one or many objects.
import type { Ctx } from '../context.js';
import { kindPrefix, type ApiResource } from '../discovery.js';
import { CliError } from '../errors.js';
import { evalPath, formatValue, parsePath, relaxedPath } from '../printers/jsonpath.js';
import { listObjects, namespaceFor, resolveTargets } from '../targets.js';
import { parseDuration, watchObject, type Verdict } from '../watch.js';

type Condition = { kind: 'delete' } | { kind: 'create' } | { kind: 'condition'; type: string; value: string } | { kind: 'jsonpath'; path: string; value?: string };

export function parseFor(spec: string | undefined): Condition {
  if (!spec) throw new CliError('--for must be specified');
  if (spec === 'delete') return { kind: 'delete' };
  if (spec === 'create') return { kind: 'create' };
  if (spec.startsWith('condition=')) {
    const [type, value = 'True'] = spec.slice('condition='.length).split('=');
    return { kind: 'condition', type: type!, value };
  }
  if (spec.startsWith('jsonpath=')) {
    const body = spec.slice('jsonpath='.length);
    const close = body.lastIndexOf('}');
    const path = close >= 0 ? body.slice(0, close + 1) : body.split('=')[0]!;
    const rest = body.slice(path.length);
    return { kind: 'jsonpath', path, value: rest.startsWith('=') ? rest.slice(1) : undefined };
  }
  throw new CliError(`unrecognized condition: "${spec}"`);
}

export function checkCondition(cond: Condition, obj: any): boolean {
  switch (cond.kind) {
    case 'delete': return obj === undefined;
    case 'create': return obj !== undefined;
    case 'condition': {
      const c = (obj?.status?.conditions ?? []).find((x: any) => x.type.toLowerCase() === cond.type.toLowerCase());
      return !!c && String(c.status).toLowerCase() === cond.value.toLowerCase();
    }
    case 'jsonpath': {
      if (!obj) return false;
      const { root, segs } = parsePath(relaxedPath(cond.path).slice(1, -1));
      const values = evalPath(root, segs, obj, obj);
      if (cond.value === undefined) return values.length > 0;
      return values.length > 0 && values.every((v) => formatValue(v) === cond.value);
    }
  }
}

export async function run(ctx: Ctx, args: string[], opts: { for?: string; timeout?: string; selector?: string; all?: boolean; allNamespaces?: boolean; fieldSelector?: string }): Promise<number> {
  const cond = parseFor(opts.for);
  const timeoutMs = parseDuration(opts.timeout, 30_000);
  const items: { r: ApiResource; ns?: string; name: string }[] = [];
  for (const t of await resolveTargets(ctx, args)) {
    if (t.names.length) for (const name of t.names) items.push({ r: t.resource, ns: namespaceFor(ctx, t.resource), name });
    else {
      const list = await listObjects(ctx, t.resource, { allNamespaces: opts.allNamespaces, labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
      if (list.items.length === 0) throw new CliError('no matching resources found');
      for (const o of list.items) items.push({ r: t.resource, ns: o.metadata.namespace, name: o.metadata.name });
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (const { r, ns, name } of items) {
    const check = (obj: any): Verdict => (checkCondition(cond, obj) ? { done: true } : { done: false });
    const message = `timed out waiting for the condition on ${r.resource}/${name}`;
    await watchObject(ctx, r, ns, name, check, Math.max(0, deadline - Date.now()), message);
    ctx.out(`${kindPrefix(r)}/${name} condition met\n`);
  }
  return 0;
}
