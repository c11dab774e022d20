// `get`: objects in any -o format (tables are get-table.ts), -w watches, -f names objects by file.
import { StatusError } from '@mini-kube/machinery';
import type { Ctx } from '../context.js';
import { resourcePath, type ApiResource } from '../discovery.js';
import { CliError, ReportedErrors, reportError } from '../errors.js';
import { jsonLines } from '../http.js';
import { printTables, type TableGetOptions } from './get-table.js';
import { targetsFromManifests } from '../manifests.js';
import { evalPath, parsePath, relaxedPath } from '../printers/jsonpath.js';
import { isObjectFormat, objectPrinter } from '../printers/output.js';
import type { Table } from '../printers/table.js';
import { listObjects, multipleTypes, namespaceFor, resolveTargets, type Target } from '../targets.js';

/** The table flags, plus what only `get` takes (-f, -R, --show-kind). */
interface GetOptions extends Omit<TableGetOptions, 'sortRows'> {
  filename?: string[];
  recursive?: boolean;
  showKind?: boolean;
}

export async function run(ctx: Ctx, args: string[], opts: GetOptions): Promise<number> {
  const targets = opts.filename?.length ? await targetsFromManifests(ctx, opts.filename, !!opts.recursive) : await resolveTargets(ctx, args);
  if ((opts.watch || opts.watchOnly) && targets.length > 1) throw new CliError('you may only specify a single resource type');
  const single = targets.length === 1 && targets[0]!.names.length === 1;
  if (isObjectFormat(opts.output)) return printObjects(ctx, targets, opts, single);
  return printTables(ctx, targets, { ...opts, sortRows: (table) => sortRows(table, opts.sortBy) }, multipleTypes(args) || !!opts.showKind);
}

async function printObjects(ctx: Ctx, targets: Target[], opts: GetOptions, single: boolean): Promise<number> {
  const print = objectPrinter(opts.output!, opts.headers === false);
  const objects: any[] = [];
  let failed = false;
  for (const t of targets) {
    if (t.names.length === 0) {
      const list = await listObjects(ctx, t.resource, { allNamespaces: opts.allNamespaces, labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
      objects.push(...list.items);
      if (opts.watch || opts.watchOnly) {
        if (!opts.watchOnly) ctx.out(print(list.items, false));
        return watchObjects(ctx, t.resource, opts, list.resourceVersion, print);
      }
      continue;
    }
    for (const name of t.names) {
      try {
        objects.push(await ctx.http.json('GET', resourcePath(t.resource, namespaceFor(ctx, t.resource), name), { resource: t.resource.resource, name }));
      } catch (err) {
        if (opts.ignoreNotFound && err instanceof StatusError && err.code === 404) continue;
        failed = true;
        reportError(err);
      }
    }
  }
  sortObjects(objects, opts.sortBy);
  if (single && objects.length === 1) ctx.out(print(objects, true));
  else if (objects.length > 0 || /^(json|yaml)$/.test(opts.output!)) ctx.out(print(objects, false));
  if (failed) throw new ReportedErrors();
  return 0;
}

async function watchObjects(ctx: Ctx, r: ApiResource, opts: GetOptions, rv: string, print: (o: any[], single: boolean) => string): Promise<number> {
  const res = await ctx.http.stream('GET', resourcePath(r, namespaceFor(ctx, r, opts.allNamespaces)), { query: { labelSelector: opts.selector, fieldSelector: opts.fieldSelector, resourceVersion: rv, watch: 'true' } });
  for await (const event of jsonLines(res)) {
    if (event.type === 'BOOKMARK') continue;
    ctx.out(print([event.object], true));
  }
  return 0;
}

function sortKey(obj: unknown, expr: string): unknown {
  const { root, segs } = parsePath(relaxedPath(expr).slice(1, -1));
  return evalPath(root, segs, obj, obj)[0];
}

function compare(a: unknown, b: unknown): number {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function sortObjects(objects: any[], sortBy?: string): void {
  if (sortBy) objects.sort((x, y) => compare(sortKey(x, sortBy), sortKey(y, sortBy)));
}

function sortRows(table: Table, sortBy?: string): void {
  if (sortBy) table.rows.sort((x, y) => compare(sortKey(x.object, sortBy), sortKey(y.object, sortBy)));
}
