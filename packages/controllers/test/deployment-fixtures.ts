// Builders for Deployment and ReplicaSet objects in the deployment controller's pure tests.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { IntOrString } from '@mini-kube/machinery';

export function deployment(replicas: number, opts: { surge?: IntOrString; unavailable?: IntOrString; recreate?: boolean; generation?: number } = {}): Deployment {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: opts.generation ?? 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy: opts.recreate
        ? { type: 'Recreate' }
        : { type: 'RollingUpdate', rollingUpdate: { maxSurge: opts.surge ?? '25%', maxUnavailable: opts.unavailable ?? '25%' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
    },
  };
}

let seq = 0;

/** A ReplicaSet named `name` with `replicas` wanted and `available` available (status.replicas = replicas). */
export function replicaSet(
  name: string,
  replicas: number,
  available: number,
  opts: { created?: string; annotations?: Record<string, string>; ready?: number; actual?: number } = {},
): ReplicaSet {
  seq++;
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: opts.created ?? `2024-01-01T00:00:${String(seq % 60).padStart(2, '0')}Z`,
      annotations: opts.annotations,
    },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } } } },
    status: { replicas: opts.actual ?? replicas, availableReplicas: available, readyReplicas: opts.ready ?? available },
  };
}
