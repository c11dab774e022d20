// The typed kinds these controllers handle, as informer objects (KObject: metadata always there).
import type { KObject } from '@mini-kube/api';
import { findResource } from '@mini-kube/api';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';

export type PodObject = Pod & KObject;
export type ReplicaSetObject = ReplicaSet & KObject;
export type DeploymentObject = Deployment & KObject;

export const PODS = findResource('', 'v1', 'pods')!;
export const REPLICASETS = findResource('apps', 'v1', 'replicasets')!;
export const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;

export const REPLICASET_TYPE = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
export const DEPLOYMENT_TYPE = { apiVersion: 'apps/v1', kind: 'Deployment' };
