// apps/v1 Deployment: SetDefaults_Deployment and ValidateDeployment(Update).
import type { Deployment, DeploymentSpec, DeploymentStrategy } from 'kubernetes-types/apps/v1';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { child, fill, isSet, nonNegative, oneOf } from './fields.js';
import { kindRules } from './kind.js';
import {
  defaultTemplate,
  intOrPercentValue,
  notMoreThan100Percent,
  validateIntOrPercent,
  validateSelectorUpdate,
  validateWorkload,
} from './workload.js';

export const deploymentRules = kindRules<Deployment>({
  defaults(d) {
    const spec = (d.spec ??= {} as DeploymentSpec);
    fill(spec, 'replicas', 1);
    const strategy = (spec.strategy ??= {});
    fill(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const ru = (strategy.rollingUpdate ??= {});
      fill(ru, 'maxUnavailable', '25%');
      fill(ru, 'maxSurge', '25%');
    }
    fill(spec, 'revisionHistoryLimit', 10);
    fill(spec, 'progressDeadlineSeconds', 600);
    defaultTemplate(spec);
  },
  validate(d) {
    const spec = d.spec;
    const errs = [
      ...nonNegative(spec?.replicas, 'spec.replicas'),
      ...validateWorkload(spec, 'spec', 'deployment'),
      ...validateStrategy(spec?.strategy, 'spec.strategy'),
      ...nonNegative(spec?.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
      ...nonNegative(spec?.minReadySeconds, 'spec.minReadySeconds'),
    ];
    const deadline = spec?.progressDeadlineSeconds;
    if (isSet(deadline)) {
      errs.push(...nonNegative(deadline, 'spec.progressDeadlineSeconds'));
      if (deadline <= (spec?.minReadySeconds ?? 0)) {
        errs.push(fieldErrors.invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
      }
    }
    return errs;
  },
  validateUpdate: (d, old) => validateSelectorUpdate(d.spec, old.spec, 'spec'),
});

function validateStrategy(strategy: DeploymentStrategy | undefined, path: string): FieldError[] {
  const errs = oneOf(strategy?.type, ['Recreate', 'RollingUpdate'], child(path, 'type'), true);
  const ru = strategy?.rollingUpdate;
  if (strategy?.type === 'Recreate' && ru) {
    errs.push(fieldErrors.forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
  }
  if (strategy?.type === 'RollingUpdate' && ru) {
    const unavailablePath = child(path, 'rollingUpdate', 'maxUnavailable');
    errs.push(...validateIntOrPercent(ru.maxUnavailable, unavailablePath));
    errs.push(...validateIntOrPercent(ru.maxSurge, child(path, 'rollingUpdate', 'maxSurge')));
    if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
      errs.push(fieldErrors.invalid(unavailablePath, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
    }
    errs.push(...notMoreThan100Percent(ru.maxUnavailable, unavailablePath));
  }
  return errs;
}
