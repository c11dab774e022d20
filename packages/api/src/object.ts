// The generic object shape every component handles. The typed kinds come from `kubernetes-types`,
// which mirrors k8s.io/api field for field; we re-export the ones the code names often.
import type { ObjectMeta } from 'kubernetes-types/meta/v1';

export type { ObjectMeta, OwnerReference, LabelSelector, Status, ListMeta, Time } from 'kubernetes-types/meta/v1';
export type {
  Pod,
  PodSpec,
  PodTemplateSpec,
  Container,
  Node,
  Namespace,
  Service,
  ConfigMap,
  Secret,
  Event,
} from 'kubernetes-types/core/v1';
export type { Deployment, ReplicaSet, StatefulSet, DaemonSet } from 'kubernetes-types/apps/v1';
export type { Job, CronJob } from 'kubernetes-types/batch/v1';

/** ObjectMeta as the server writes it: kubernetes-types marks server-set fields read-only. */
export type WritableObjectMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

/** Any API object: typed access to metadata, the rest is open. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: WritableObjectMeta;
  [field: string]: unknown;
}

export interface KList<T = KObject> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T = KObject> {
  type: WatchEventType;
  object: T;
}

/**
 * A request header of mini-kube's own (other servers ignore it): `true` asks the server to leave
 * metadata.managedFields out of the objects it answers and streams, where it can do so without
 * serializing them again. Clients that drop managedFields (the daemon's components) send it; they
 * still drop any the server leaves in.
 */
export const OMIT_MANAGED_FIELDS_HEADER = 'x-mini-kube-omit-managed-fields';
