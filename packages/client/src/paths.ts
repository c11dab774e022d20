// URL paths of resources, as the Kubernetes REST API lays them out.
import type { ResourceInfo } from '@mini-kube/api';

export interface PathParts {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/**
 * `/api/v1/namespaces/{ns}/{plural}/{name}/{sub}` for the core group, `/apis/{group}/{version}/...`
 * otherwise. A namespace given for a cluster-scoped resource is ignored; a namespaced resource
 * without one addresses all namespaces (lists and watches only).
 */
export function resourcePath(res: ResourceInfo, parts: PathParts = {}): string {
  let path = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
  if (res.namespaced && parts.namespace) path += `/namespaces/${encodeURIComponent(parts.namespace)}`;
  path += `/${res.plural}`;
  if (parts.name !== undefined) {
    if (parts.name === '') throw new Error(`resource name may not be empty (${res.plural})`);
    path += `/${encodeURIComponent(parts.name)}`;
    if (parts.subresource) path += `/${parts.subresource}`;
  }
  return path;
}

export type QueryValue = string | number | boolean | undefined | null;

/** Serialises query parameters, skipping undefined/null/empty-string values; keeps insertion order. */
export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
