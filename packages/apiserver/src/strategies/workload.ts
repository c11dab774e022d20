// What the apps/v1 workloads share: template defaults, the template and selector rules of
// ValidatePodTemplateSpecForReplicaSet, int-or-percent checks, and the immutable selector.
import type { LabelSelector } from '@mini-kube/api';
import type { PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { child, immutable, isSet, nonNegative } from './fields.js';
import { isValidPercent } from './formats.js';
import { defaultPodSpec } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-spec.js';
import { validateWorkloadSelector } from './selector.js';

interface WorkloadSpec {
  selector?: LabelSelector | null;
  template?: PodTemplateSpec;
}

export function defaultTemplate(spec: { template?: PodTemplateSpec }): void {
  const template = (spec.template ??= {});
  defaultPodSpec((template.spec ??= {} as PodSpec));
}

/** Selector, template, and a template fit for a long-running controller (restartPolicy Always). */
export function validateWorkload(spec: WorkloadSpec | undefined, specPath: string, kind: string): FieldError[] {
  const template = spec?.template;
  const templatePath = child(specPath, 'template');
  const errs = [
    ...validateWorkloadSelector(spec?.selector, template?.metadata?.labels, specPath, kind),
    ...validatePodTemplateSpec(template, templatePath),
  ];
  const restartPolicy = template?.spec?.restartPolicy;
  if (restartPolicy && restartPolicy !== 'Always') {
    errs.push(fieldErrors.notSupported(child(templatePath, 'spec', 'restartPolicy'), restartPolicy, ['Always']));
  }
  if (isSet(template?.spec?.activeDeadlineSeconds)) {
    errs.push(fieldErrors.forbidden(child(templatePath, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

export const validateSelectorUpdate = (spec: WorkloadSpec | undefined, old: WorkloadSpec | undefined, specPath: string): FieldError[] =>
  immutable(spec?.selector, old?.selector, child(specPath, 'selector'));

export function validateIntOrPercent(value: number | string | undefined, path: string): FieldError[] {
  if (typeof value === 'string') return isValidPercent(value).map((msg) => fieldErrors.invalid(path, value, msg));
  return nonNegative(value, path);
}

export function notMoreThan100Percent(value: number | string | undefined, path: string): FieldError[] {
  return typeof value === 'string' && isValidPercent(value).length === 0 && parseInt(value, 10) > 100
    ? [fieldErrors.invalid(path, value, 'must not be greater than 100%')]
    : [];
}

/** The number an int-or-percent names, for "both may not be zero" checks. */
export const intOrPercentValue = (value: number | string | undefined): number =>
  typeof value === 'string' ? parseInt(value, 10) || 0 : value ?? 0;
