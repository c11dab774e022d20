// The Job a CronJob starts for one activation (getJobFromTemplate2): a name derived from the
// scheduled minute, so a second attempt for the same activation collides instead of duplicating.
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { OwnerReference } from '@mini-kube/api';
import { SCHEDULED_TIMESTAMP } from './types.js';

export const jobName = (cronJob: string, scheduledMs: number): string => `${cronJob}-${Math.floor(scheduledMs / 60_000)}`;

export function jobFromCronJob(cj: CronJob, scheduledMs: number, controllerRef: OwnerReference): Job {
  const template = structuredClone(cj.spec?.jobTemplate ?? {});
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj.metadata?.name ?? '', scheduledMs),
      namespace: cj.metadata?.namespace,
      labels: template.metadata?.labels ?? {},
      annotations: { ...template.metadata?.annotations, [SCHEDULED_TIMESTAMP]: formatInZone(scheduledMs, cj.spec?.timeZone ?? undefined) },
      ownerReferences: [controllerRef],
    },
    spec: template.spec!,
  };
}

/** RFC 3339 in the given IANA zone (UTC when none), as Go's time.Format(time.RFC3339) writes it. */
export function formatInZone(ms: number, zone?: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone ?? 'UTC',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]),
  );
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const offsetMin = Math.round((Date.parse(`${local}Z`) - Math.floor(ms / 1000) * 1000) / 60_000);
  if (offsetMin === 0) return `${local}Z`;
  const sign = offsetMin > 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
