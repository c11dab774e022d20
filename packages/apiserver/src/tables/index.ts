// Server-side printing: the Table columns and cells the real API server sends for each kind.
import { podConvertor } from './pods.js';
import { controllerRevisionConvertor, daemonSetConvertor, deploymentConvertor, replicaSetConvertor, statefulSetConvertor } from './workloads.js';
import { cronJobConvertor, jobConvertor } from './batch.js';
import { endpointSliceConvertor, endpointsConvertor, ingressClassConvertor, ingressConvertor, serviceConvertor } from './network.js';
import { leaseConvertor, namespaceConvertor, nodeConvertor } from './cluster.js';
import { configMapConvertor, secretConvertor, serviceAccountConvertor } from './config.js';
import { persistentVolumeClaimConvertor, persistentVolumeConvertor } from './storage.js';
import { coreEventConvertor, eventsV1EventConvertor } from './events.js';
import { hpaConvertor } from './autoscaling.js';
import { defaultConvertor } from './default.js';
import type { TableConvertor } from './types.js';

export type { TableColumn, TableConvertor } from './types.js';

// Keyed by "group/Kind"; the core group is "".
const CONVERTORS = new Map<string, TableConvertor>([
  ['/Pod', podConvertor],
  ['/Service', serviceConvertor],
  ['/Endpoints', endpointsConvertor],
  ['/Node', nodeConvertor],
  ['/Namespace', namespaceConvertor],
  ['/ConfigMap', configMapConvertor],
  ['/Secret', secretConvertor],
  ['/ServiceAccount', serviceAccountConvertor],
  ['/Event', coreEventConvertor],
  ['/PersistentVolume', persistentVolumeConvertor],
  ['/PersistentVolumeClaim', persistentVolumeClaimConvertor],
  ['apps/Deployment', deploymentConvertor],
  ['apps/ReplicaSet', replicaSetConvertor],
  ['apps/StatefulSet', statefulSetConvertor],
  ['apps/DaemonSet', daemonSetConvertor],
  ['apps/ControllerRevision', controllerRevisionConvertor],
  ['batch/Job', jobConvertor],
  ['batch/CronJob', cronJobConvertor],
  ['autoscaling/HorizontalPodAutoscaler', hpaConvertor],
  ['networking.k8s.io/Ingress', ingressConvertor],
  ['networking.k8s.io/IngressClass', ingressClassConvertor],
  ['discovery.k8s.io/EndpointSlice', endpointSliceConvertor],
  ['coordination.k8s.io/Lease', leaseConvertor],
  ['events.k8s.io/Event', eventsV1EventConvertor],
]);

/** The printer of a kind; kinds the real server has no printer for get Name and Created At. */
export function tableConvertorFor(group: string, kind: string): TableConvertor {
  return CONVERTORS.get(`${group}/${kind}`) ?? defaultConvertor;
}
