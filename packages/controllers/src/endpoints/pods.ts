// What the endpoints controllers ask of a pod and a Service (pkg/api/v1/pod, endpointslice/util):
// does the pod belong in the endpoints, on which port does it serve a Service port, its address.
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import { selectorFromSet } from '@mini-kube/machinery';

export const isPodReady = (pod: Pod): boolean => pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

/** The pod's IPv4 address (the only family mini-kube hands out). */
export function podIPv4(pod: Pod): string | undefined {
  const ips = [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p) => p.ip)];
  return ips.find((ip): ip is string => !!ip && !ip.includes(':'));
}

/**
 * ShouldPodBeInEndpoints: not terminal (Succeeded/Failed), has an IP, and — unless terminating pods
 * are wanted — not being deleted.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!podIPv4(pod)) return false;
  return includeTerminating || !pod.metadata?.deletionTimestamp;
}

/**
 * FindPort: the pod port a Service port targets. A number is taken as is; a name is looked up among
 * the containers' ports of the same protocol. Undefined when the pod has no such named port.
 */
export function findPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = svcPort.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** A pod's DNS hostname is published when it names this Service as its subdomain (ShouldSetHostname). */
export function podHostname(pod: Pod, svc: Service): string | undefined {
  const hostname = pod.spec?.hostname;
  return hostname && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace ? hostname : undefined;
}

/** Whether the Service selects pods (an absent or empty selector selects none: endpoints are hand-made). */
export const hasSelector = (svc: Service): boolean => Object.keys(svc.spec?.selector ?? {}).length > 0;

/** The pods of `pods` the Service's selector matches. */
export function selectedPods<P extends Pod>(svc: Service, pods: P[]): P[] {
  if (!hasSelector(svc)) return [];
  const selector = selectorFromSet(svc.spec!.selector!);
  return pods.filter((p) => selector.matches(p.metadata?.labels ?? {}));
}

/** The Services of `services` whose selector matches these labels. */
export function servicesSelecting<S extends Service>(services: S[], labels: Record<string, string>): S[] {
  return services.filter((s) => hasSelector(s) && selectorFromSet(s.spec!.selector!).matches(labels));
}
