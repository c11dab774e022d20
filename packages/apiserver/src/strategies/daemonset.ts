// apps/v1 DaemonSet: SetDefaults_DaemonSet and ValidateDaemonSet(Update).
import type { DaemonSet, DaemonSetSpec, DaemonSetUpdateStrategy } from 'kubernetes-types/apps/v1';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { child, fill, nonNegative, oneOf } from './fields.js';
import { kindRules } from './kind.js';
import {
  defaultTemplate,
  intOrPercentValue,
  notMoreThan100Percent,
  validateIntOrPercent,
  validateSelectorUpdate,
  validateWorkload,
} from './workload.js';

export const daemonSetRules = kindRules<DaemonSet>({
  defaults(ds) {
    const spec = (ds.spec ??= {} as DaemonSetSpec);
    const strategy = (spec.updateStrategy ??= {});
    fill(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const ru = (strategy.rollingUpdate ??= {});
      fill(ru, 'maxUnavailable', 1);
      fill(ru, 'maxSurge', 0);
    }
    fill(spec, 'revisionHistoryLimit', 10);
    defaultTemplate(spec);
  },
  validate: (ds) => [
    ...validateWorkload(ds.spec, 'spec', 'daemonset'),
    ...validateUpdateStrategy(ds.spec?.updateStrategy, 'spec.updateStrategy'),
    ...nonNegative(ds.spec?.minReadySeconds, 'spec.minReadySeconds'),
    ...nonNegative(ds.spec?.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
  ],
  validateUpdate: (ds, old) => validateSelectorUpdate(ds.spec, old.spec, 'spec'),
});

function validateUpdateStrategy(strategy: DaemonSetUpdateStrategy | undefined, path: string): FieldError[] {
  const errs = oneOf(strategy?.type, ['OnDelete', 'RollingUpdate'], child(path, 'type'), true);
  const ru = strategy?.rollingUpdate;
  if (strategy?.type === 'RollingUpdate') {
    if (!ru) return [...errs, fieldErrors.required(child(path, 'rollingUpdate'))];
    const unavailablePath = child(path, 'rollingUpdate', 'maxUnavailable');
    const surgePath = child(path, 'rollingUpdate', 'maxSurge');
    errs.push(...validateIntOrPercent(ru.maxUnavailable, unavailablePath), ...validateIntOrPercent(ru.maxSurge, surgePath));
    if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
      errs.push(fieldErrors.invalid(unavailablePath, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
    }
    errs.push(...notMoreThan100Percent(ru.maxUnavailable, unavailablePath), ...notMoreThan100Percent(ru.maxSurge, surgePath));
  }
  return errs;
}
