// The "Non-terminated Pods" and "Allocated resources" tables of describe node:
// resourcehelper.PodRequestsAndLimits summed per pod and over the node.
import { formatQuantity, parseQuantityExact, type Quantity } from '@mini-kube/machinery';
import { since } from './format.js';

type ResourceMap = Map<string, Quantity>;

function add(a: Quantity, b: Quantity): Quantity {
  const e = Math.min(a.exponent, b.exponent);
  const m = a.mantissa * 10n ** BigInt(a.exponent - e) + b.mantissa * 10n ** BigInt(b.exponent - e);
  return { mantissa: m, exponent: e, format: a.format };
}

function max(a: Quantity, b: Quantity): Quantity {
  const e = Math.min(a.exponent, b.exponent);
  return a.mantissa * 10n ** BigInt(a.exponent - e) >= b.mantissa * 10n ** BigInt(b.exponent - e) ? a : b;
}

function addList(into: ResourceMap, list: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = parseQuantityExact(v);
    const prev = into.get(k);
    into.set(k, prev ? add(prev, q) : q);
  }
}

/** Sum of the containers, at least the largest init container, plus overhead. */
export function podRequestsAndLimits(pod: any): { reqs: ResourceMap; limits: ResourceMap } {
  const reqs: ResourceMap = new Map();
  const limits: ResourceMap = new Map();
  for (const c of pod.spec?.containers ?? []) {
    addList(reqs, c.resources?.requests);
    addList(limits, c.resources?.limits);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [target, list] of [[reqs, c.resources?.requests], [limits, c.resources?.limits]] as const) {
      for (const [k, v] of Object.entries((list ?? {}) as Record<string, string>)) {
        const q = parseQuantityExact(v);
        const prev = target.get(k);
        target.set(k, prev ? max(prev, q) : q);
      }
    }
  }
  if (pod.spec?.overhead) {
    addList(reqs, pod.spec.overhead);
    addList(limits, pod.spec.overhead);
  }
  return { reqs, limits };
}

const ZERO: Quantity = { mantissa: 0n, exponent: 0, format: 'DecimalSI' };
const str = (q: Quantity | undefined) => formatQuantity(q ?? ZERO);
const num = (q: Quantity | undefined, milli: boolean) => {
  if (!q) return 0;
  const v = Number(q.mantissa) * 10 ** q.exponent;
  return milli ? Math.ceil(v * 1000) : Math.ceil(v);
};
const pct = (q: Quantity | undefined, total: Quantity | undefined, milli: boolean) => {
  const t = num(total, milli);
  return t === 0 ? 0 : Math.trunc((num(q, milli) / t) * 100);
};

export function nodeResourceLines(node: any, pods: any[]): { podLines: string[]; totals: string[] } {
  const source = Object.keys(node.status?.allocatable ?? {}).length ? node.status.allocatable : (node.status?.capacity ?? {});
  const alloc: ResourceMap = new Map();
  addList(alloc, source);
  const cpu = alloc.get('cpu');
  const mem = alloc.get('memory');
  const totalReqs: ResourceMap = new Map();
  const totalLimits: ResourceMap = new Map();
  const podLines = pods.map((pod) => {
    const { reqs, limits } = podRequestsAndLimits(pod);
    for (const [k, v] of reqs) totalReqs.set(k, totalReqs.has(k) ? add(totalReqs.get(k)!, v) : v);
    for (const [k, v] of limits) totalLimits.set(k, totalLimits.has(k) ? add(totalLimits.get(k)!, v) : v);
    const cell = (q: Quantity | undefined, total: Quantity | undefined, milli: boolean) => `${str(q)} (${pct(q, total, milli)}%)`;
    return `${pod.metadata.namespace}\t${pod.metadata.name}\t\t${cell(reqs.get('cpu'), cpu, true)}\t${cell(limits.get('cpu'), cpu, true)}\t${cell(reqs.get('memory'), mem, false)}\t${cell(limits.get('memory'), mem, false)}\t${since(pod.metadata.creationTimestamp)}`;
  });
  const total = (name: string, milli: boolean) => `${name}\t${str(totalReqs.get(name))} (${pct(totalReqs.get(name), alloc.get(name), milli)}%)\t${str(totalLimits.get(name))} (${pct(totalLimits.get(name), alloc.get(name), milli)}%)`;
  const totals = [total('cpu', true), total('memory', false), total('ephemeral-storage', false)];
  const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods']);
  const keys = [...alloc.keys()];
  for (const k of keys.filter((k) => k.startsWith('hugepages-')).sort()) totals.push(total(k, false));
  for (const k of keys.filter((k) => !standard.has(k) && !k.startsWith('hugepages-') && !k.startsWith('requests.') && !k.startsWith('limits.')).sort()) totals.push(`${k}\t${str(totalReqs.get(k))}\t${str(totalLimits.get(k))}`);
  return { podLines, totals };
}
