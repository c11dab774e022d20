// batch/v1 CronJob: SetDefaults_CronJob (plus the job template's pod defaults) and ValidateCronJob.
import type { CronJob, CronJobSpec, JobSpec } from 'kubernetes-types/batch/v1';
import type { PodSpec } from 'kubernetes-types/core/v1';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { cronScheduleError } from './cron.js';
import { fill, nonNegative, oneOf } from './fields.js';
import { validateJobSpec } from './job.js';
import { kindRules } from './kind.js';
import { validateAnnotations, validateLabels } from './metadata.js';
import { defaultPodSpec } from './pod-defaults.js';

// Job names get an 11-character suffix and must stay DNS-1035 labels (63 characters).
const MAX_NAME_LENGTH = 52;

export const cronJobRules = kindRules<CronJob>({
  defaults(cj) {
    const spec = (cj.spec ??= {} as CronJobSpec);
    fill(spec, 'concurrencyPolicy', 'Allow');
    fill(spec, 'suspend', false);
    fill(spec, 'successfulJobsHistoryLimit', 3);
    fill(spec, 'failedJobsHistoryLimit', 1);
    const jobSpec = ((spec.jobTemplate ??= {}).spec ??= {} as JobSpec);
    defaultPodSpec(((jobSpec.template ??= {}).spec ??= {} as PodSpec));
  },
  validate(cj) {
    const spec = cj.spec;
    const errs: FieldError[] = [];
    const name = cj.metadata?.name ?? '';
    if (name.length > MAX_NAME_LENGTH) errs.push(fieldErrors.invalid('metadata.name', name, `must be no more than ${MAX_NAME_LENGTH} characters`));
    errs.push(...validateSchedule(spec?.schedule));
    errs.push(...oneOf(spec?.concurrencyPolicy, ['Allow', 'Forbid', 'Replace'], 'spec.concurrencyPolicy', true));
    errs.push(...nonNegative(spec?.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
    errs.push(...nonNegative(spec?.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
    errs.push(...nonNegative(spec?.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
    const template = spec?.jobTemplate;
    errs.push(...validateLabels(template?.metadata?.labels, 'spec.jobTemplate.metadata.labels'));
    errs.push(...validateAnnotations(template?.metadata?.annotations, 'spec.jobTemplate.metadata.annotations'));
    errs.push(...validateJobSpec(template?.spec, 'spec.jobTemplate.spec'));
    if (template?.spec?.selector) {
      errs.push(fieldErrors.invalid('spec.jobTemplate.spec.selector', template.spec.selector, '`selector` will be auto-generated'));
    }
    if (template?.spec?.manualSelector === true) {
      errs.push(fieldErrors.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
    }
    return errs;
  },
});

function validateSchedule(schedule: string | undefined): FieldError[] {
  if (!schedule) return [fieldErrors.required('spec.schedule')];
  if (/^(CRON_)?TZ=/.test(schedule.trim())) {
    return [fieldErrors.invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead')];
  }
  const err = cronScheduleError(schedule);
  return err ? [fieldErrors.invalid('spec.schedule', schedule, err)] : [];
}
