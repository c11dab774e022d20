// `top pods|nodes`: resource usage from the metrics.k8s.io API, laid out as kubectl top does.
import { scaledValue } from '@mini-kube/machinery';
import type { Ctx } from '../context.js';
import { CliError } from '../errors.js';
import { TabWriter } from '../printers/tabwriter.js';

interface TopFlags {
  allNamespaces?: boolean;
  selector?: string;
  containers?: boolean;
  headers?: boolean;
  sortBy?: string;
}

// Quantity.MilliValue() and Value(), both rounding up.
const milli = (q: string | undefined): number => (q ? Number(scaledValue(q, -3)) : 0);
const bytes = (q: string | undefined): number => (q ? Number(scaledValue(q, 0)) : 0);

export const cpuText = (q: string | undefined): string => `${milli(q)}m`;
export const memoryText = (q: string | undefined): string => `${Math.floor(bytes(q) / (1024 * 1024))}Mi`;
/** Every cell ends with a tab, as kubectl's metrics printer writes them (so the last column is padded too). */
const line = (cells: string[]): string => `${cells.map((c) => `${c}\t`).join('')}\n`;

export function podRows(items: any[], opts: { withNamespace: boolean; containers: boolean; sortBy?: string }): string[][] {
  const sorted = [...items].sort((a, b) => {
    if (opts.sortBy === 'cpu' || opts.sortBy === 'memory') return total(b, opts.sortBy) - total(a, opts.sortBy);
    return `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`);
  });
  const rows: string[][] = [];
  for (const m of sorted) {
    const ns = opts.withNamespace ? [m.metadata.namespace] : [];
    if (opts.containers) for (const c of m.containers ?? []) rows.push([...ns, m.metadata.name, c.name, cpuText(c.usage?.cpu), memoryText(c.usage?.memory)]);
    else rows.push([...ns, m.metadata.name, `${total(m, 'cpu')}m`, `${Math.floor(total(m, 'memory') / (1024 * 1024))}Mi`]);
  }
  return rows;
}

function total(m: any, resource: 'cpu' | 'memory'): number {
  return (m.containers ?? []).reduce((sum: number, c: any) => sum + (resource === 'cpu' ? milli(c.usage?.cpu) : bytes(c.usage?.memory)), 0);
}

export function nodeRow(m: any | undefined, node: any): string[] {
  if (!m) return [node.metadata.name, '<unknown>', '<unknown>', '<unknown>', '<unknown>'];
  const cpu = milli(m.usage?.cpu);
  const mem = bytes(m.usage?.memory);
  const allocCpu = milli(node.status?.allocatable?.cpu);
  const allocMem = bytes(node.status?.allocatable?.memory);
  const pct = (used: number, of: number) => (of ? `${Math.trunc((used / of) * 100)}%` : '<unknown>');
  return [node.metadata.name, `${cpu}m`, pct(cpu, allocCpu), `${Math.floor(mem / (1024 * 1024))}Mi`, pct(mem, allocMem)];
}

async function requireMetrics(ctx: Ctx): Promise<void> {
  const list = await ctx.discovery.resources(true);
  if (!list.some((r) => r.group === 'metrics.k8s.io' && r.version === 'v1beta1')) throw new CliError('Metrics API not available');
}

export async function run(ctx: Ctx, args: string[], flags: TopFlags): Promise<number> {
  const [what, name] = args;
  await requireMetrics(ctx);
  const writer = new TabWriter();
  const header = (cells: string[]) => flags.headers !== false && writer.write(line(cells));
  if (what === 'pod' || what === 'pods' || what === 'po') {
    const base = flags.allNamespaces ? '/apis/metrics.k8s.io/v1beta1/pods' : `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(ctx.namespace)}/pods`;
    const items = name ? [await ctx.http.json('GET', `${base}/${encodeURIComponent(name)}`, { resource: 'pods.metrics.k8s.io', name })] : (await ctx.http.json('GET', base, { query: { labelSelector: flags.selector } })).items ?? [];
    if (items.length === 0) {
      // kubectl: pods without metrics yet are an error; no pods at all just says so.
      const podsPath = flags.allNamespaces ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/pods`;
      const pods = await ctx.http.json('GET', podsPath, { query: { labelSelector: flags.selector, limit: 1 } });
      if (pods.items?.length) throw new CliError('metrics not available yet');
      ctx.err(flags.allNamespaces ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`);
      return 0;
    }
    const ns = flags.allNamespaces ? ['NAMESPACE'] : [];
    header(flags.containers ? [...ns, 'POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)'] : [...ns, 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    for (const row of podRows(items, { withNamespace: !!flags.allNamespaces, containers: !!flags.containers, sortBy: flags.sortBy })) writer.write(line(row));
  } else if (what === 'node' || what === 'nodes' || what === 'no') {
    const nodes = name ? [await ctx.http.json('GET', `/api/v1/nodes/${encodeURIComponent(name)}`, { resource: 'nodes', name })] : (await ctx.http.json('GET', '/api/v1/nodes', { query: { labelSelector: flags.selector } })).items ?? [];
    const metrics = name ? [await ctx.http.json('GET', `/apis/metrics.k8s.io/v1beta1/nodes/${encodeURIComponent(name)}`, { resource: 'nodes.metrics.k8s.io', name })] : (await ctx.http.json('GET', '/apis/metrics.k8s.io/v1beta1/nodes', { query: { labelSelector: flags.selector } })).items ?? [];
    if (metrics.length === 0) throw new CliError('metrics not available yet');
    header(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    const byName = new Map(metrics.map((m: any) => [m.metadata.name, m]));
    const sorted = [...nodes].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    for (const node of sorted) writer.write(line(nodeRow(byName.get(node.metadata.name), node)));
  } else throw new CliError(what ? `unknown command "${what}" for "mini-kubectl top"` : 'top needs one of: pod, node');
  ctx.out(writer.flush());
  return 0;
}
