// The kinds and names the CronJob controller works with.
import { findResource, type KObject } from '@mini-kube/api';
import type { CronJob, Job } from 'kubernetes-types/batch/v1';

export type CronJobObject = CronJob & KObject;
export type JobObject = Job & KObject;

export const CRONJOBS = findResource('batch', 'v1', 'cronjobs')!;
export const JOBS = findResource('batch', 'v1', 'jobs')!;
export const CRONJOB_TYPE = { apiVersion: 'batch/v1', kind: 'CronJob' };

/** The scheduled time (RFC 3339, in the CronJob's zone) on each Job a CronJob creates. */
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}
