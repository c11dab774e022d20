// batch/v1 Job: SetDefaults_Job, the selector and labels the job strategy generates from the
// uid, ValidateJob and the immutable fields of ValidateJobUpdate.
import type { Job, JobSpec } from 'kubernetes-types/batch/v1';
import type { PodSpec } from 'kubernetes-types/core/v1';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { child, fill, immutable, isSet, nonNegative, oneOf } from './fields.js';
import { kindRules } from './kind.js';
import { defaultPodSpec } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-spec.js';
import { validateLabelSelector, validateSelectorMatches } from './selector.js';

const CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
const JOB_NAME = 'batch.kubernetes.io/job-name';
const LEGACY_CONTROLLER_UID = 'controller-uid';
const LEGACY_JOB_NAME = 'job-name';
const MAX_INT32 = 2147483647;

export const jobRules = kindRules<Job>({
  defaults(job) {
    const spec = (job.spec ??= {} as JobSpec);
    if (!isSet(spec.completions) && !isSet(spec.parallelism)) spec.completions = 1;
    fill(spec, 'parallelism', 1);
    fill(spec, 'backoffLimit', isSet(spec.backoffLimitPerIndex) ? MAX_INT32 : 6);
    fill(spec, 'completionMode', 'NonIndexed');
    fill(spec, 'suspend', false);
    fill(spec, 'podReplacementPolicy', spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed');
    if (spec.manualSelector !== true && job.metadata?.uid) generateSelector(job.metadata.name ?? '', job.metadata.uid, spec);
    defaultPodSpec(((spec.template ??= {}).spec ??= {} as PodSpec));
    const templateLabels = spec.template.metadata?.labels;
    if (job.metadata && templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...templateLabels };
  },
  validate(job) {
    const spec = job.spec;
    const errs = validateJobSpec(spec, 'spec');
    if (!spec?.selector) errs.push(fieldErrors.required('spec.selector'));
    else {
      const selectorErrs = validateLabelSelector(spec.selector, 'spec.selector');
      errs.push(...(selectorErrs.length > 0 ? selectorErrs : validateSelectorMatches(spec.selector, spec.template?.metadata?.labels, 'spec')));
    }
    return errs;
  },
  validateUpdate(job, old) {
    const [spec, was] = [job.spec, old.spec];
    const errs = [
      ...immutable(spec?.selector, was?.selector, 'spec.selector'),
      ...immutable(spec?.completionMode, was?.completionMode, 'spec.completionMode'),
      ...immutable(spec?.podFailurePolicy, was?.podFailurePolicy, 'spec.podFailurePolicy'),
      ...immutable(spec?.backoffLimitPerIndex, was?.backoffLimitPerIndex, 'spec.backoffLimitPerIndex'),
    ];
    // Indexed jobs may scale completions together with parallelism (elastic indexed jobs).
    const elastic = spec?.completionMode === 'Indexed' && spec.completions === spec.parallelism;
    if (!elastic) errs.push(...immutable(spec?.completions, was?.completions, 'spec.completions'));
    // A suspended job that never ran may still have its template adjusted, e.g. by a queue.
    if (was?.suspend !== true) errs.push(...immutable(spec?.template, was?.template, 'spec.template'));
    return errs;
  },
});

/** The pod template labels and selector the real job strategy adds (PrepareForCreate). */
function generateSelector(name: string, uid: string, spec: JobSpec): void {
  const template = (spec.template ??= {});
  const labels = ((template.metadata ??= {}).labels ??= {});
  for (const key of [LEGACY_JOB_NAME, JOB_NAME]) labels[key] ??= name;
  for (const key of [LEGACY_CONTROLLER_UID, CONTROLLER_UID]) labels[key] ??= uid;
  const matchLabels = ((spec.selector ??= {}).matchLabels ??= {});
  matchLabels[CONTROLLER_UID] ??= uid;
}

/** The checks a Job's spec and a CronJob's jobTemplate.spec share (validateJobSpec). */
export function validateJobSpec(spec: JobSpec | undefined, path: string): FieldError[] {
  const errs = [
    ...nonNegative(spec?.parallelism, child(path, 'parallelism')),
    ...nonNegative(spec?.completions, child(path, 'completions')),
    ...nonNegative(spec?.activeDeadlineSeconds, child(path, 'activeDeadlineSeconds')),
    ...nonNegative(spec?.backoffLimit, child(path, 'backoffLimit')),
    ...nonNegative(spec?.ttlSecondsAfterFinished, child(path, 'ttlSecondsAfterFinished')),
    ...oneOf(spec?.completionMode, ['NonIndexed', 'Indexed'], child(path, 'completionMode')),
    ...oneOf(spec?.podReplacementPolicy, ['TerminatingOrFailed', 'Failed'], child(path, 'podReplacementPolicy')),
    ...validatePodTemplateSpec(spec?.template, child(path, 'template')),
  ];
  if (spec?.completionMode === 'Indexed' && !isSet(spec.completions)) {
    errs.push(fieldErrors.required(child(path, 'completions'), 'when completion mode is Indexed'));
  }
  const restartPolicy = spec?.template?.spec?.restartPolicy;
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(fieldErrors.notSupported(child(path, 'template', 'spec', 'restartPolicy'), restartPolicy ?? '', ['OnFailure', 'Never']));
  }
  return errs;
}
