// Pure: the ready endpoints behind an Ingress backend (a Service port by number or name), chosen
// as the L4 proxy chooses them.
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { SERVICE_NAME_LABEL, backendsFor, type Backend } from '../plan.js';
import type { ServiceRef } from './routes.js';

export const refKey = (ref: ServiceRef): string => `${ref.namespace}/${ref.name}:${ref.port}`;

/** Endpoints of `ref`; empty when the Service, its port or ready endpoints are missing (a 503). */
export function resolveBackends(ref: ServiceRef, services: Service[], slices: EndpointSlice[]): Backend[] {
  const svc = services.find((s) => s.metadata?.namespace === ref.namespace && s.metadata?.name === ref.name);
  const port = svc?.spec?.ports?.find((p) => (typeof ref.port === 'number' ? p.port === ref.port : p.name === ref.port));
  if (!port || svc?.spec?.type === 'ExternalName') return [];
  const mine = slices.filter((s) => s.metadata?.namespace === ref.namespace && s.metadata?.labels?.[SERVICE_NAME_LABEL] === ref.name);
  return backendsFor(mine, port.name ?? '');
}
