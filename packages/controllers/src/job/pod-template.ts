// The pod a Job creates: its template with the tracking finalizer and a controller reference; for
// Indexed Jobs also the completion index as annotation, label, JOB_COMPLETION_INDEX and hostname.
import type { Job } from 'kubernetes-types/batch/v1';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { OwnerReference } from '@mini-kube/api';
import { COMPLETION_INDEX, COMPLETION_INDEX_ENV, TRACKING_FINALIZER } from './types.js';

export function podForJob(job: Job, controllerRef: OwnerReference, index?: number): Pod {
  const template = structuredClone(job.spec?.template ?? {});
  const meta = template.metadata ?? {};
  const spec = template.spec ?? { containers: [] };
  const name = job.metadata?.name ?? '';
  const finalizers = [...(meta.finalizers ?? [])];
  if (!finalizers.includes(TRACKING_FINALIZER)) finalizers.push(TRACKING_FINALIZER);
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : indexedGenerateName(name, index),
      namespace: job.metadata?.namespace,
      labels: meta.labels ?? {},
      annotations: meta.annotations ?? {},
      finalizers,
      ownerReferences: [controllerRef],
    },
    spec,
  };
  if (index !== undefined) {
    pod.metadata!.annotations![COMPLETION_INDEX] = String(index);
    pod.metadata!.labels![COMPLETION_INDEX] = String(index);
    spec.hostname = `${name}-${index}`;
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) addIndexEnv(c);
  }
  if (Object.keys(pod.metadata!.annotations!).length === 0) delete pod.metadata!.annotations;
  return pod;
}

/** `<job>-<index>-`, with the job name cut so the generated name stays within 63 characters. */
function indexedGenerateName(job: string, index: number): string {
  const suffix = `-${index}-`;
  return `${job.slice(0, Math.max(0, 58 - suffix.length))}${suffix}`;
}

/** JOB_COMPLETION_INDEX from the pod's annotation through the downward API, unless already set. */
function addIndexEnv(c: Container): void {
  if (c.env?.some((e) => e.name === COMPLETION_INDEX_ENV)) return;
  c.env = [...(c.env ?? []), { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } }];
}
