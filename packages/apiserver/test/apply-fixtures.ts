// Builders shared by the apply tests.
import type { KObject } from '@mini-kube/api';

export const T0 = '2025-01-01T00:00:00Z';
export const T1 = '2025-01-01T00:01:00Z';
export const T2 = '2025-01-01T00:02:00Z';

export function deployment(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', ...metadata }, spec };
}

export function nginxSpec(overrides: { replicas?: number; image?: string; containers?: unknown[] } = {}): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: overrides.containers ?? [
          { name: 'nginx', image: overrides.image ?? 'nginx:1.27', ports: [{ containerPort: 80 }] },
        ],
      },
    },
  };
  if (overrides.replicas !== undefined) spec.replicas = overrides.replicas;
  return spec;
}

export const applyDeployment = { group: 'apps', version: 'v1', kind: 'Deployment' } as const;
export const updateDeployment = { group: 'apps', kind: 'Deployment', apiVersion: 'apps/v1', operation: 'Update' } as const;

/** The managedFields entry of `manager` (and operation), failing loudly when there is none. */
export function entryOf(obj: KObject | { managedFields: unknown[] }, manager: string, operation?: string) {
  const entries = ('metadata' in obj ? obj.metadata.managedFields : obj.managedFields) as
    | { manager?: string; operation?: string; fieldsV1?: unknown; time?: string }[]
    | undefined;
  const entry = entries?.find((e) => e.manager === manager && (!operation || e.operation === operation));
  if (!entry) throw new Error(`no managedFields entry for ${manager}`);
  return entry;
}
