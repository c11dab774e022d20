// The kinds the endpoints and endpointslice controllers read and write, as informer objects.
import { findResource, type KObject } from '@mini-kube/api';
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';

export type ServiceObject = Service & KObject;
export type PodObject = Pod & KObject;
export type EndpointsObject = Endpoints & KObject;
export type EndpointSliceObject = EndpointSlice & KObject;

export const SERVICES = findResource('', 'v1', 'services')!;
export const PODS = findResource('', 'v1', 'pods')!;
export const ENDPOINTS = findResource('', 'v1', 'endpoints')!;
export const ENDPOINTSLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;

/** Set on the Endpoints and EndpointSlices of a headless Service (clusterIP: None). */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
