// The kinds and well-known names the Job controller works with.
import { findResource, type KObject } from '@mini-kube/api';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';

export type JobObject = Job & KObject;
export type PodObject = Pod & KObject;

export const JOBS = findResource('batch', 'v1', 'jobs')!;
export const PODS = findResource('', 'v1', 'pods')!;
export const JOB_TYPE = { apiVersion: 'batch/v1', kind: 'Job' };

/** Keeps a finished pod around until the controller has counted it (batch.JobTrackingFinalizer). */
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** Annotation and label holding an Indexed Job pod's completion index. */
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** At most this many pods are created or deleted per sync (MaxPodCreateDeletePerSync). */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** At most this many terminated pods are counted per sync (MaxUncountedPods). */
export const MAX_UNCOUNTED_PODS = 500;
/** Back-off before re-creating pods after failures: 10 s doubling up to 6 min. */
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 6 * 60_000;
