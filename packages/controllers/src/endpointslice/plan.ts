// Pure: which EndpointSlices to create, update and delete so a Service's slices hold exactly the
// desired endpoint groups, at most `maxPerSlice` endpoints each. Existing slices are reused (same
// ports first) to limit churn; a Service without endpoints keeps one empty placeholder slice.
import { isDeepStrictEqual } from 'node:util';
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1';
import type { OwnerReference } from '@mini-kube/api';
import type { EndpointSliceObject } from '../endpoints/types.js';
import { portsKey, type EndpointGroup } from './endpoints.js';

export const MAX_ENDPOINTS_PER_SLICE = 100;

/** What every slice of one Service carries. */
export interface SliceMeta {
  namespace: string;
  /** generateName of new slices: the Service's name and a dash. */
  generateName: string;
  labels: Record<string, string>;
  owner: OwnerReference;
}

export interface SlicePlan {
  create: EndpointSliceObject[];
  update: EndpointSliceObject[];
  delete: EndpointSliceObject[];
}

interface Chunk {
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

const endpointKey = (e: Endpoint): string => `${e.addresses[0] ?? ''}/${e.targetRef?.uid ?? ''}`;

function chunks(groups: EndpointGroup[], maxPerSlice: number, placeholder: boolean): Chunk[] {
  const out: Chunk[] = [];
  for (const g of groups) {
    const sorted = [...g.endpoints].sort((a, b) => endpointKey(a).localeCompare(endpointKey(b), 'en', { numeric: true }));
    for (let i = 0; i < sorted.length; i += maxPerSlice) out.push({ ports: g.ports, endpoints: sorted.slice(i, i + maxPerSlice) });
  }
  // The placeholder: a Service with no endpoints still has one (empty) slice.
  if (out.length === 0 && placeholder) out.push({ ports: [], endpoints: [] });
  return out;
}

function fill(base: EndpointSliceObject | undefined, chunk: Chunk, meta: SliceMeta): EndpointSliceObject {
  const metadata = base
    ? { ...base.metadata, labels: meta.labels, ownerReferences: [meta.owner] }
    : { generateName: meta.generateName, namespace: meta.namespace, labels: meta.labels, ownerReferences: [meta.owner] };
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType: 'IPv4', endpoints: chunk.endpoints, ports: chunk.ports };
}

const unchanged = (slice: EndpointSliceObject, want: EndpointSliceObject): boolean =>
  isDeepStrictEqual(slice.endpoints ?? [], want.endpoints) &&
  isDeepStrictEqual(slice.ports ?? [], want.ports) &&
  isDeepStrictEqual(slice.metadata.labels ?? {}, want.metadata.labels) &&
  isDeepStrictEqual(slice.metadata.ownerReferences ?? [], want.metadata.ownerReferences);

export interface PlanOptions {
  maxPerSlice?: number;
  /** Keep one empty slice when there are no endpoints (the controller does; mirroring does not). */
  placeholder?: boolean;
}

export function planSlices(groups: EndpointGroup[], existing: EndpointSliceObject[], meta: SliceMeta, opts: PlanOptions = {}): SlicePlan {
  const { maxPerSlice = MAX_ENDPOINTS_PER_SLICE, placeholder = true } = opts;
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const pool = [...existing].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const take = (key: string): EndpointSliceObject | undefined => {
    const i = pool.findIndex((s) => portsKey(s.ports) === key);
    return i >= 0 ? pool.splice(i, 1)[0] : undefined;
  };
  const pending: Chunk[] = [];
  // First keep slices that already serve a chunk's ports, so endpoints only move when they must.
  for (const chunk of chunks(groups, maxPerSlice, placeholder)) {
    const slice = take(portsKey(chunk.ports));
    if (!slice) {
      pending.push(chunk);
      continue;
    }
    const want = fill(slice, chunk, meta);
    if (!unchanged(slice, want)) plan.update.push(want);
  }
  // Then recycle slices of ports no longer served before creating new ones.
  for (const chunk of pending) {
    const slice = pool.shift();
    if (slice) plan.update.push(fill(slice, chunk, meta));
    else plan.create.push(fill(undefined, chunk, meta));
  }
  plan.delete.push(...pool);
  return plan;
}
