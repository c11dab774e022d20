// Pure: the labels and owner of a Service's EndpointSlices, for the slices the controller makes from
// pods and for the slices it mirrors from hand-made Endpoints (endpointslicemirroring).
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1';
import { HEADLESS_LABEL, type EndpointsObject, type ServiceObject } from '../endpoints/types.js';
import type { EndpointGroup } from './endpoints.js';
import type { SliceMeta } from './plan.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
/** Endpoints labelled so are not mirrored (the API server's own `kubernetes` Endpoints, for one). */
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';

function labels(from: Record<string, string> | undefined, service: string, managedBy: string, headless: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(from ?? {})) if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL && k !== HEADLESS_LABEL) out[k] = v;
  out[SERVICE_NAME_LABEL] = service;
  out[MANAGED_BY_LABEL] = managedBy;
  if (headless) out[HEADLESS_LABEL] = '';
  return out;
}

const isHeadless = (svc: ServiceObject): boolean => !svc.spec?.clusterIP || svc.spec.clusterIP === 'None';

/** Slices made from a Service's pods: the Service's labels, owned by the Service. */
export function serviceSliceMeta(svc: ServiceObject): SliceMeta {
  const name = svc.metadata.name!;
  return {
    namespace: svc.metadata.namespace!,
    generateName: `${name}-`,
    labels: labels(svc.metadata.labels, name, CONTROLLER_NAME, isHeadless(svc)),
    owner: { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true },
  };
}

/** Slices mirrored from hand-made Endpoints: the Endpoints' labels, owned by the Endpoints. */
export function mirrorSliceMeta(svc: ServiceObject, ep: EndpointsObject): SliceMeta {
  const name = ep.metadata.name!;
  return {
    namespace: ep.metadata.namespace!,
    generateName: `${name}-`,
    labels: labels(ep.metadata.labels, name, MIRRORING_CONTROLLER_NAME, isHeadless(svc)),
    owner: { apiVersion: 'v1', kind: 'Endpoints', name, uid: ep.metadata.uid!, controller: true, blockOwnerDeletion: true },
  };
}

/** The endpoint groups of hand-made Endpoints: each subset's addresses serve that subset's ports. */
export function mirroredGroups(ep: EndpointsObject): EndpointGroup[] {
  return (ep.subsets ?? []).map((subset) => {
    const ports: EndpointPort[] = (subset.ports ?? []).map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: p.protocol ?? 'TCP',
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
    const endpoints: Endpoint[] = [];
    for (const [list, ready] of [[subset.addresses ?? [], true], [subset.notReadyAddresses ?? [], false]] as const) {
      for (const a of list) {
        if (a.ip.includes(':')) continue; // IPv4 slices only
        endpoints.push({
          addresses: [a.ip],
          conditions: { ready, serving: ready, terminating: false },
          ...(a.hostname ? { hostname: a.hostname } : {}),
          ...(a.targetRef ? { targetRef: a.targetRef } : {}),
          ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        });
      }
    }
    return { ports, endpoints };
  });
}
