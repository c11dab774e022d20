// Parses a Kubernetes API path into what it names, as the real server's RequestInfoFactory does:
//   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
//   /apis/{group}/{version}/{resource}/{name}
// Discovery paths (/api, /apis, /api/v1, /apis/{g}/{v}) come back with `discovery` set.
import { findResource, type ResourceInfo } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';

export interface ResourceRequest {
  discovery?: undefined;
  resource: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface DiscoveryRequest {
  discovery: { group?: string; version?: string };
}

export type RequestInfo = ResourceRequest | DiscoveryRequest;

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const notFoundPath = (): StatusError => new StatusError(404, 'NotFound', 'the server could not find the requested resource');

// Clients use few distinct paths (a collection, the objects in it): each is parsed once. Bounded,
// since object names make paths without end; what fails to parse is not kept.
const MAX_PARSED = 4096;
const parsed = new Map<string, RequestInfo>();

/** What `pathname` names (the result is shared: read only). */
export function parseRequestPath(pathname: string): RequestInfo {
  let info = parsed.get(pathname);
  if (info === undefined) {
    info = Object.freeze(parse(pathname));
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(pathname, info);
  }
  return info;
}

/** The non-empty segments of a path, percent-decoded (most have nothing to decode). */
function segments(pathname: string): string[] {
  const parts: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw !== '') parts.push(raw.includes('%') ? decodeURIComponent(raw) : raw);
  }
  return parts;
}

function parse(pathname: string): RequestInfo {
  const parts = segments(pathname);
  let group = '';
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { discovery: {} };
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { discovery: {} };
    group = parts[1]!;
    if (parts.length === 2) return { discovery: { group } };
    version = parts[2];
    rest = parts.slice(3);
  } else {
    throw notFoundPath();
  }
  if (rest.length === 0) return { discovery: { group, version } };

  let namespace: string | undefined;
  // "namespaces/{ns}/{resource}..." addresses a namespaced resource, unless it is a subresource of
  // the namespace itself ("namespaces/{ns}/status", ".../finalize").
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  const resource = findResource(group, version!, plural!);
  if (!resource || extra.length > 0) throw notFoundPath();
  if (namespace !== undefined && !resource.namespaced) throw notFoundPath();
  if (subresource && !resource.subresources.some((s) => s.name === subresource)) throw notFoundPath();
  return { resource, namespace, name, subresource };
}
