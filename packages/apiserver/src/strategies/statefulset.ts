// apps/v1 StatefulSet: SetDefaults_StatefulSet and ValidateStatefulSet(Update). Unlike the other
// workloads, an update may change only a handful of spec fields, so a new selector is reported
// as a forbidden spec change rather than "field is immutable".
import type { StatefulSet, StatefulSetSpec } from 'kubernetes-types/apps/v1';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { child, equal, fill, isSet, nonNegative, oneOf } from './fields.js';
import { kindRules } from './kind.js';
import { defaultTemplate, validateWorkload } from './workload.js';

const UPDATABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'] as const;
const RETENTION = ['Retain', 'Delete'];

export const statefulSetRules = kindRules<StatefulSet>({
  defaults(sts) {
    const spec = (sts.spec ??= {} as StatefulSetSpec);
    fill(spec, 'podManagementPolicy', 'OrderedReady');
    const strategy = (spec.updateStrategy ??= {});
    if (!strategy.type) {
      strategy.type = 'RollingUpdate';
      strategy.rollingUpdate ??= {};
    }
    if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) fill(strategy.rollingUpdate, 'partition', 0);
    const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
    fill(retention, 'whenDeleted', 'Retain');
    fill(retention, 'whenScaled', 'Retain');
    fill(spec, 'replicas', 1);
    fill(spec, 'revisionHistoryLimit', 10);
    defaultTemplate(spec);
  },
  validate: (sts) => validateSpec(sts.spec),
  validateUpdate(sts, old) {
    const strip = (spec: StatefulSetSpec | undefined): Record<string, unknown> => {
      const rest: Record<string, unknown> = { ...spec };
      for (const f of UPDATABLE) delete rest[f];
      return rest;
    };
    if (equal(strip(sts.spec), strip(old.spec))) return [];
    const fields = UPDATABLE.map((f) => `'${f}'`);
    const list = `${fields.slice(0, -1).join(', ')} and ${fields[fields.length - 1]}`;
    return [fieldErrors.forbidden('spec', `updates to statefulset spec for fields other than ${list} are forbidden`)];
  },
});

function validateSpec(spec: StatefulSetSpec | undefined): FieldError[] {
  const errs = [
    ...oneOf(spec?.podManagementPolicy, ['OrderedReady', 'Parallel'], 'spec.podManagementPolicy', true),
    ...oneOf(spec?.updateStrategy?.type, ['RollingUpdate', 'OnDelete'], 'spec.updateStrategy.type', true),
    ...nonNegative(spec?.replicas, 'spec.replicas'),
    ...nonNegative(spec?.minReadySeconds, 'spec.minReadySeconds'),
    ...nonNegative(spec?.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
    ...nonNegative(spec?.updateStrategy?.rollingUpdate?.partition, 'spec.updateStrategy.rollingUpdate.partition'),
    ...oneOf(spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted, RETENTION, 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted'),
    ...oneOf(spec?.persistentVolumeClaimRetentionPolicy?.whenScaled, RETENTION, 'spec.persistentVolumeClaimRetentionPolicy.whenScaled'),
    ...validateWorkload(withClaimVolumes(spec), 'spec', 'statefulset'),
  ];
  if (spec?.updateStrategy?.type === 'OnDelete' && isSet(spec.updateStrategy.rollingUpdate)) {
    errs.push(
      fieldErrors.invalid(child('spec', 'updateStrategy', 'rollingUpdate'), spec.updateStrategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"),
    );
  }
  return errs;
}

/**
 * The spec with a volume for each volumeClaimTemplate, as the controller gives every pod, so that a
 * container may mount a claim template by name (Kubernetes skips pod-spec validation here instead).
 */
function withClaimVolumes(spec: StatefulSetSpec | undefined): StatefulSetSpec | undefined {
  const claims = spec?.volumeClaimTemplates ?? [];
  if (!spec?.template?.spec || claims.length === 0) return spec;
  const own = spec.template.spec.volumes ?? [];
  const extra = claims
    .map((c) => c.metadata?.name ?? '')
    .filter((name) => name && !own.some((v) => v.name === name))
    .map((name) => ({ name, persistentVolumeClaim: { claimName: name } }));
  return { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, volumes: [...own, ...extra] } } };
}
