// Pure: the endpoints of a Service's EndpointSlices, grouped by the ports they serve
// (endpointslice reconciler: getEndpointPorts, podToEndpoint). Terminating pods stay, marked so.
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { findPort, isPodReady, podHostname, podIPv4, shouldPodBeInEndpoints } from '../endpoints/pods.js';
import type { ServiceObject } from '../endpoints/types.js';

/** Endpoints that serve the same ports: they may share a slice. */
export interface EndpointGroup {
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

export const portsKey = (ports: readonly EndpointPort[] | undefined): string =>
  (ports ?? []).map((p) => `${p.name ?? ''}/${p.port}/${p.protocol ?? 'TCP'}/${p.appProtocol ?? ''}`).sort().join(',');

function endpointPorts(svc: ServiceObject, pod: Pod): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return ports;
}

export function podToEndpoint(svc: ServiceObject, pod: Pod): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  // "ready" is never true for a terminating pod, unless not-ready addresses are published anyway.
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const hostname = podHostname(pod, svc);
  return {
    addresses: [podIPv4(pod)!],
    conditions: { ready, serving, terminating },
    ...(hostname ? { hostname } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
  };
}

/** The desired endpoints of a Service selecting `pods`, one group per distinct port set. */
export function desiredGroups(svc: ServiceObject, pods: Pod[]): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(svc, pod);
    const key = portsKey(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, endpoints: [] }));
    group.endpoints.push(podToEndpoint(svc, pod));
  }
  return [...groups.values()];
}
