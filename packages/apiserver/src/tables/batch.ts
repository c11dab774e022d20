// Printers of the batch/v1 kinds: Job (STATUS, COMPLETIONS, DURATION) and CronJob.
import { humanDuration, translateTimestampSince } from '@mini-kube/machinery';
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1';
import { ageColumn, column, convertor, nameColumn, templateColumns } from './columns.js';
import { boolPtr, containerCells, formatLabelSelector } from './format.js';

function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions != null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Start to completion, or start to now while running; empty before the job starts. */
function jobDuration(job: Job, now: number): string {
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : NaN;
  if (Number.isNaN(start)) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
  return humanDuration(end - start);
}

function hasCondition(conditions: JobCondition[] | undefined, type: string): boolean {
  // Like the real printer, only the first condition of a type counts.
  return conditions?.find((c) => c.type === type)?.status === 'True';
}

function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobConvertor = convertor<Job>(
  [
    nameColumn(),
    column('Status', { description: 'Status of the job.' }),
    column('Completions', { description: 'The number of pods which reached phase Succeeded.' }),
    column('Duration', { description: 'Time required to complete the job.' }),
    ageColumn(),
    ...templateColumns(),
  ],
  (job, now) => [
    job.metadata?.name ?? '',
    jobStatus(job),
    completions(job),
    jobDuration(job, now),
    translateTimestampSince(job.metadata?.creationTimestamp, now),
    ...containerCells(job.spec?.template?.spec?.containers),
    formatLabelSelector(job.spec?.selector),
  ],
);

export const cronJobConvertor = convertor<CronJob>(
  [
    nameColumn(),
    column('Schedule'),
    column('Timezone'),
    column('Suspend', { type: 'boolean' }),
    column('Active', { type: 'integer' }),
    column('Last Schedule'),
    ageColumn(),
    ...templateColumns(),
  ],
  (cj, now) => {
    const lastSchedule = cj.status?.lastScheduleTime;
    const jobSpec = cj.spec?.jobTemplate?.spec;
    return [
      cj.metadata?.name ?? '',
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      boolPtr(cj.spec?.suspend),
      cj.status?.active?.length ?? 0,
      lastSchedule ? translateTimestampSince(lastSchedule, now) : '<none>',
      translateTimestampSince(cj.metadata?.creationTimestamp, now),
      ...containerCells(jobSpec?.template?.spec?.containers),
      formatLabelSelector(jobSpec?.selector),
    ];
  },
);
