// The -o formats that print objects rather than server tables: json, yaml, name, jsonpath,
// jsonpath-file, custom-columns and custom-columns-file.
import { readFileSync } from 'node:fs';
import { CliError } from '../errors.js';
import { kindPrefix } from '../discovery.js';
import { printJson } from './json.js';
import { evalPath, executeTemplate, formatValue, parsePath, parseTemplate, relaxedPath } from './jsonpath.js';
import { tabulate } from './tabwriter.js';
import { toYaml } from './yaml.js';

export type ObjectPrinter = (objects: any[], single: boolean) => string;

/** The List kubectl prints for several objects. */
export function asList(objects: any[]): any {
  return { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
}

/** `pod/a`, `deployment.apps/web`. */
export function objectName(obj: any): string {
  const apiVersion: string = obj.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  return `${kindPrefix({ kind: obj.kind ?? '', group })}/${obj.metadata?.name ?? ''}`;
}

/** Formats handled here; the others (none, wide) print server tables. */
export function isObjectFormat(format: string | undefined): format is string {
  return !!format && format !== 'wide';
}

/** kubectl hides metadata.managedFields unless --show-managed-fields. */
function withoutManagedFields(obj: any): any {
  if (!obj?.metadata?.managedFields) return obj;
  const { managedFields: _omit, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

export function objectPrinter(format: string, noHeaders = false): ObjectPrinter {
  const print = basePrinter(format, noHeaders);
  return (objects, single) => print(objects.map(withoutManagedFields), single);
}

function basePrinter(format: string, noHeaders: boolean): ObjectPrinter {
  const [kind, arg = ''] = splitFormat(format);
  switch (kind) {
    case 'json':
      return (objs, single) => printJson(single ? objs[0] : asList(objs));
    case 'yaml':
      return (objs, single) => toYaml(single ? objs[0] : asList(objs));
    case 'name':
      return (objs) => objs.map((o) => `${objectName(o)}\n`).join('');
    case 'jsonpath':
    case 'jsonpath-file':
    case 'jsonpath-as-json': {
      const text = kind === 'jsonpath-file' ? readFileSync(arg, 'utf8') : arg;
      if (!text) throw new CliError('template format specified but no template given');
      const nodes = parseTemplate(text);
      return (objs, single) => executeTemplate(nodes, single ? objs[0] : asList(objs));
    }
    case 'custom-columns':
    case 'custom-columns-file':
      return customColumns(kind === 'custom-columns' ? arg : columnsFromFile(arg), noHeaders);
  }
  throw new CliError(`unable to match a printer suitable for the output format "${format}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`);
}

function splitFormat(format: string): [string, string?] {
  const eq = format.indexOf('=');
  return eq < 0 ? [format] : [format.slice(0, eq), format.slice(eq + 1)];
}

/** A custom-columns file: a header line and a line of expressions, whitespace separated. */
function columnsFromFile(file: string): string {
  const [header = '', exprs = ''] = readFileSync(file, 'utf8').split('\n');
  const names = header.trim().split(/\s+/);
  const paths = exprs.trim().split(/\s+/);
  return names.map((n, i) => `${n}:${paths[i] ?? ''}`).join(',');
}

function customColumns(spec: string, noHeaders: boolean): ObjectPrinter {
  if (!spec) throw new CliError('custom-columns format specified but no custom columns given');
  const columns = spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new CliError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    const expr = relaxedPath(part.slice(colon + 1)).slice(1, -1);
    return { header: part.slice(0, colon), ...parsePath(expr) };
  });
  return (objs) => {
    const lines = noHeaders ? [] : [columns.map((c) => c.header).join('\t')];
    for (const o of objs) {
      lines.push(
        columns
          .map((c) => {
            const values = evalPath(c.root, c.segs, o, o);
            return values.length === 0 ? '<none>' : values.map(formatValue).join(',');
          })
          .join('\t'),
      );
    }
    return tabulate(lines);
  };
}
