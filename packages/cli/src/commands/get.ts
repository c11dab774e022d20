// `get`: server-side Tables laid out like kubectl's printer, or objects in any -o format; -w watches.
import { StatusError } from '@mini-kube/machinery';
import type { Ctx } from '../context.js';
import { kindPrefix, resourcePath, type ApiResource } from '../discovery.js';
import { CliError, ReportedErrors, reportError } from '../errors.js';
import { jsonLines, TABLE_ACCEPT } from '../http.js';
import { readManifests } from '../manifests.js';
import { evalPath, parsePath, relaxedPath } from '../printers/jsonpath.js';
import { isObjectFormat, objectPrinter } from '../printers/output.js';
import { headerLine, rowLine, type Table, type TableOptions } from '../printers/table.js';
import { TabWriter } from '../printers/tabwriter.js';
import { listObjects, multipleTypes, namespaceFor, resolveTargets, type Target } from '../targets.js';

interface GetOptions {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  filename?: string[];
  recursive?: boolean;
  watch?: boolean;
  watchOnly?: boolean;
  outputWatchEvents?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  headers?: boolean; // commander's --no-headers
  sortBy?: string;
  ignoreNotFound?: boolean;
  showKind?: boolean;
}

export async function run(ctx: Ctx, args: string[], opts: GetOptions): Promise<number> {
  const targets = opts.filename?.length ? await targetsFromFiles(ctx, opts) : await resolveTargets(ctx, args);
  if ((opts.watch || opts.watchOnly) && targets.length > 1) throw new CliError('you may only specify a single resource type');
  const single = targets.length === 1 && targets[0]!.names.length === 1;
  return isObjectFormat(opts.output) ? printObjects(ctx, targets, opts, single) : printTables(ctx, targets, opts, multipleTypes(args) || !!opts.showKind);
}

async function targetsFromFiles(ctx: Ctx, opts: GetOptions): Promise<Target[]> {
  const targets: Target[] = [];
  for (const m of await readManifests(opts.filename!, !!opts.recursive)) {
    const resource = await ctx.discovery.byKind(m.object.apiVersion, m.object.kind);
    if (!resource) throw new CliError(`no matches for kind "${m.object.kind}" in version "${m.object.apiVersion}"`);
    targets.push({ resource, names: [m.object.metadata?.name] });
  }
  return targets;
}

function noResources(ctx: Ctx, opts: GetOptions, targets: Target[]): void {
  const namespaced = targets.some((t) => t.resource.namespaced);
  ctx.err(opts.allNamespaces || !namespaced ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`);
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

async function fetchTable(ctx: Ctx, r: ApiResource, opts: GetOptions, name?: string): Promise<Table> {
  const ns = namespaceFor(ctx, r, opts.allNamespaces && !name);
  const query = name ? {} : { labelSelector: opts.selector, fieldSelector: opts.fieldSelector, limit: opts.sortBy ? undefined : 500, includeObject: opts.sortBy ? 'Object' : undefined };
  const table: Table = await ctx.http.json('GET', resourcePath(r, ns, name), { accept: TABLE_ACCEPT, query, resource: r.resource, name });
  let cont = table.metadata?.continue;
  while (cont) {
    const page: Table = await ctx.http.json('GET', resourcePath(r, ns), { accept: TABLE_ACCEPT, query: { ...query, continue: cont } });
    table.rows.push(...page.rows);
    cont = page.metadata?.continue;
  }
  return table;
}

async function printTables(ctx: Ctx, targets: Target[], opts: GetOptions, withKind: boolean): Promise<number> {
  const writer = new TabWriter();
  let printedAny = false;
  let failed = false;
  for (const t of targets) {
    const tableOpts: TableOptions = {
      wide: opts.output === 'wide',
      withNamespace: !!opts.allNamespaces && t.resource.namespaced,
      showLabels: opts.showLabels,
      labelColumns: (opts.labelColumns ?? []).flatMap((l) => l.split(',')).filter(Boolean),
      kindPrefix: withKind ? kindPrefix(t.resource) : undefined,
      eventColumn: opts.outputWatchEvents && (opts.watch || opts.watchOnly),
    };
    let table: Table | undefined;
    if (t.names.length === 0) table = await fetchTable(ctx, t.resource, opts);
    else {
      for (const name of t.names) {
        try {
          const one = await fetchTable(ctx, t.resource, opts, name);
          if (table) table.rows.push(...one.rows);
          else table = one;
        } catch (err) {
          if (opts.ignoreNotFound && err instanceof StatusError && err.code === 404) continue;
          failed = true;
          reportError(err);
        }
      }
    }
    if (!table) continue;
    sortRows(table, opts.sortBy);
    if (opts.watch || opts.watchOnly) return watchTable(ctx, t.resource, opts, table, tableOpts, writer);
    if (table.rows.length === 0) continue;
    if (printedAny) ctx.out('\n');
    writer.resetWidths();
    if (opts.headers !== false) writer.write(`${headerLine(table.columnDefinitions, tableOpts)}\n`);
    for (const row of table.rows) writer.write(`${rowLine(table.columnDefinitions, row, tableOpts)}\n`);
    ctx.out(writer.flush());
    printedAny = true;
  }
  if (!printedAny && !failed) noResources(ctx, opts, targets);
  if (failed) throw new ReportedErrors();
  return 0;
}

async function watchTable(ctx: Ctx, r: ApiResource, opts: GetOptions, table: Table, tableOpts: TableOptions, writer: TabWriter): Promise<number> {
  let columns = table.columnDefinitions;
  let headerDone = false;
  const header = () => {
    if (!headerDone && opts.headers !== false) writer.write(`${headerLine(columns, tableOpts)}\n`);
    headerDone = true;
  };
  if (!opts.watchOnly) {
    if (table.rows.length) {
      header();
      for (const row of table.rows) writer.write(`${rowLine(columns, row, tableOpts, 'ADDED')}\n`);
      ctx.out(writer.flush());
    } else noResources(ctx, opts, [{ resource: r, names: [] }]);
  }
  const ns = namespaceFor(ctx, r, opts.allNamespaces);
  const res = await ctx.http.stream('GET', resourcePath(r, ns), { accept: TABLE_ACCEPT, query: { labelSelector: opts.selector, fieldSelector: opts.fieldSelector, resourceVersion: table.metadata?.resourceVersion, watch: 'true' } });
  for await (const event of jsonLines(res)) {
    const obj = event.object as Table;
    if (event.type === 'ERROR') {
      ctx.out(`${JSON.stringify(event.object)}\n`);
      break;
    }
    if (obj.columnDefinitions?.length) columns = obj.columnDefinitions;
    header();
    for (const row of obj.rows ?? []) writer.write(`${rowLine(columns, row, tableOpts, event.type)}\n`);
    ctx.out(writer.flush());
  }
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
