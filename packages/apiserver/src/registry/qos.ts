// A pod's QoS class (status.qosClass), as the API server computes it on create.
import type { KObject } from '@mini-kube/api';

interface Resources {
  requests?: Record<string, unknown>;
  limits?: Record<string, unknown>;
}

const COMPUTE = ['cpu', 'memory'];

export function podQosClass(pod: KObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec = (pod.spec ?? {}) as { containers?: { resources?: Resources }[]; initContainers?: { resources?: Resources }[] };
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const { requests = {}, limits = {} } = c.resources ?? {};
    if (COMPUTE.some((k) => requests[k] !== undefined || limits[k] !== undefined)) any = true;
    for (const k of COMPUTE) {
      const limit = limits[k];
      const request = requests[k] ?? limit; // requests default to limits
      if (limit === undefined || String(request) !== String(limit)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
