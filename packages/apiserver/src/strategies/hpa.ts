// autoscaling/v2 HorizontalPodAutoscaler: SetDefaults_HorizontalPodAutoscaler (min replicas, the
// default CPU metric, scaling behavior) and its main validation rules.
import type { HPAScalingRules, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec } from 'kubernetes-types/autoscaling/v2';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { fill, isSet } from './fields.js';
import { kindRules } from './kind.js';

const DEFAULT_CPU_UTILIZATION = 80;

export const hpaRules = kindRules<HorizontalPodAutoscaler>({
  defaults(hpa) {
    const spec = (hpa.spec ??= {} as HorizontalPodAutoscalerSpec);
    fill(spec, 'minReplicas', 1);
    if ((spec.metrics ?? []).length === 0) {
      spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
    }
    // A behavior, when given, is completed with the default rules.
    if (spec.behavior) {
      spec.behavior.scaleUp = withDefaults(spec.behavior.scaleUp, {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
      });
      spec.behavior.scaleDown = withDefaults(spec.behavior.scaleDown, {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      });
    }
  },
  validate(hpa) {
    const spec = hpa.spec;
    const errs: FieldError[] = [];
    const min = spec?.minReplicas;
    if (isSet(min) && min < 1) errs.push(fieldErrors.invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
    const max = spec?.maxReplicas;
    if (!isSet(max) || max < 1) errs.push(fieldErrors.invalid('spec.maxReplicas', max ?? 0, 'must be greater than 0'));
    else if (isSet(min) && max < min) errs.push(fieldErrors.invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
    if (!spec?.scaleTargetRef?.kind) errs.push(fieldErrors.required('spec.scaleTargetRef.kind'));
    if (!spec?.scaleTargetRef?.name) errs.push(fieldErrors.required('spec.scaleTargetRef.name'));
    return errs;
  },
});

function withDefaults(rules: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  return {
    ...rules,
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
    policies: (rules?.policies ?? []).length > 0 ? rules!.policies : defaults.policies,
  };
}
