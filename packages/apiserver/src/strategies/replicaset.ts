// apps/v1 ReplicaSet: replicas default 1, the shared workload rules, immutable selector.
import type { ReplicaSet, ReplicaSetSpec } from 'kubernetes-types/apps/v1';
import { fill, nonNegative } from './fields.js';
import { kindRules } from './kind.js';
import { defaultTemplate, validateSelectorUpdate, validateWorkload } from './workload.js';

export const replicaSetRules = kindRules<ReplicaSet>({
  defaults(rs) {
    const spec = (rs.spec ??= {} as ReplicaSetSpec);
    fill(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  validate: (rs) => [
    ...nonNegative(rs.spec?.replicas, 'spec.replicas'),
    ...nonNegative(rs.spec?.minReadySeconds, 'spec.minReadySeconds'),
    ...validateWorkload(rs.spec, 'spec', 'deployment'), // the real message says "deployment" here too
  ],
  validateUpdate: (rs, old) => validateSelectorUpdate(rs.spec, old.spec, 'spec'),
});
