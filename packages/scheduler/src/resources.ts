// Resource vectors as the scheduler counts them: millicores, bytes, pod slots and any other
// (extended, hugepages) resource as an integer. Parsed once per pod and per node.
import type { Pod } from '@mini-kube/api';
import { milliValue, parseQuantityExact, scaledValue } from '@mini-kube/machinery';

type ResourceList = Record<string, string | number> | undefined;

export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources and hugepages; a resource a node lacks counts as 0 allocatable. */
  scalar: Map<string, number>;
}

/** Containers that request no cpu or memory still count this much when scoring (as kube-scheduler does). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export const emptyResources = (): Resources => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: new Map() });

/** Quantity.Value(): whole units, rounded up. */
function wholeValue(q: string | number): number {
  return Number(scaledValue(parseQuantityExact(String(q)), 0));
}

/** Resources the scheduler ignores: `pods` is counted by number of pods, not requested. */
const isScalar = (name: string): boolean => name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage' && name !== 'pods';

export function fromResourceList(list: ResourceList): Resources {
  const r = emptyResources();
  addList(r, list);
  return r;
}

function addList(r: Resources, list: ResourceList): void {
  if (!list) return;
  for (const [name, q] of Object.entries(list)) {
    if (name === 'cpu') r.milliCPU += milliValue(String(q));
    else if (name === 'memory') r.memory += wholeValue(q);
    else if (name === 'ephemeral-storage') r.ephemeralStorage += wholeValue(q);
    else if (isScalar(name)) r.scalar.set(name, (r.scalar.get(name) ?? 0) + wholeValue(q));
  }
}

export function addResources(into: Resources, r: Resources, sign = 1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  for (const [name, v] of r.scalar) {
    const next = (into.scalar.get(name) ?? 0) + sign * v;
    if (next === 0) into.scalar.delete(name);
    else into.scalar.set(name, next);
  }
}

function maxInto(into: Resources, r: Resources): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  for (const [name, v] of r.scalar) into.scalar.set(name, Math.max(into.scalar.get(name) ?? 0, v));
}

interface ContainerLike {
  resources?: { requests?: ResourceList };
  restartPolicy?: string;
}

/**
 * What a pod asks of a node: the sum of its containers and sidecars (restartable init containers),
 * at least the largest init container plus the sidecars started before it (init containers run
 * one at a time), plus the pod overhead. With `nonZero`, a container without a cpu or memory
 * request counts the defaults, which is what scoring uses.
 */
export function podRequests(pod: Pod, nonZero = false): Resources {
  const spec = pod.spec;
  const total = emptyResources();
  const containerRequests = (c: ContainerLike): Resources => {
    const r = fromResourceList(c.resources?.requests);
    if (nonZero) {
      const req = c.resources?.requests ?? {};
      if (req.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
      if (req.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
    }
    return r;
  };
  for (const c of spec?.containers ?? []) addResources(total, containerRequests(c));
  const sidecars = emptyResources();
  const initPeak = emptyResources();
  for (const c of (spec?.initContainers ?? []) as ContainerLike[]) {
    const r = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      addResources(sidecars, r);
      maxInto(initPeak, sidecars);
    } else {
      addResources(r, sidecars);
      maxInto(initPeak, r);
    }
  }
  addResources(total, sidecars);
  maxInto(total, initPeak);
  addList(total, spec?.overhead as ResourceList);
  return total;
}

/** A node's allocatable resources and the number of pods it takes. */
export function nodeAllocatable(allocatable: ResourceList): { resources: Resources; pods: number } {
  const pods = allocatable?.pods;
  return { resources: fromResourceList(allocatable), pods: pods === undefined ? 0 : wholeValue(pods) };
}
