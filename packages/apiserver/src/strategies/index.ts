// strategyFor: the Strategy of every kind in the kind table. Kinds with nothing particular get
// the generic one (ObjectMeta checks only).
import type { ResourceInfo } from '@mini-kube/api';
import type { KObject } from '@mini-kube/api';
import { configMapRules, secretRules } from './config.js';
import { cronJobRules } from './cronjob.js';
import { namespaceRules, nodeRules } from './cluster.js';
import { daemonSetRules } from './daemonset.js';
import { deploymentRules } from './deployment.js';
import { endpointSliceRules, endpointsRules } from './endpoints.js';
import { hpaRules } from './hpa.js';
import { ingressClassRules, ingressRules } from './ingress.js';
import { jobRules } from './job.js';
import { buildStrategy, type KindRules } from './kind.js';
import { podRules } from './pod.js';
import { replicaSetRules } from './replicaset.js';
import { serviceRules } from './service.js';
import { statefulSetRules } from './statefulset.js';
import { pvRules, pvcRules } from './storage.js';
import type { Strategy } from './types.js';

export type { Strategy } from './types.js';

/** Keyed by `group/Kind` (`/Pod` for the core group). */
const RULES: Record<string, KindRules<KObject>> = {
  '/Namespace': namespaceRules,
  '/Node': nodeRules,
  '/Pod': podRules,
  '/Service': serviceRules,
  '/Endpoints': endpointsRules,
  '/ConfigMap': configMapRules,
  '/Secret': secretRules,
  '/PersistentVolume': pvRules,
  '/PersistentVolumeClaim': pvcRules,
  'apps/Deployment': deploymentRules,
  'apps/ReplicaSet': replicaSetRules,
  'apps/StatefulSet': statefulSetRules,
  'apps/DaemonSet': daemonSetRules,
  'batch/Job': jobRules,
  'batch/CronJob': cronJobRules,
  'autoscaling/HorizontalPodAutoscaler': hpaRules,
  'networking.k8s.io/Ingress': ingressRules,
  'networking.k8s.io/IngressClass': ingressClassRules,
  'discovery.k8s.io/EndpointSlice': endpointSliceRules,
};

const cache = new Map<string, Strategy>();

export function strategyFor(resource: ResourceInfo): Strategy {
  const key = `${resource.group}/${resource.kind}`;
  let strategy = cache.get(key);
  if (!strategy) {
    strategy = buildStrategy(resource.namespaced, RULES[key] ?? {});
    cache.set(key, strategy);
  }
  return strategy;
}
