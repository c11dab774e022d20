// Mutating admission that is configurable per server, run on create and update after the kind's defaults.
import type { KObject, ResourceInfo } from '@mini-kube/api';
import type { Toleration } from 'kubernetes-types/core/v1';

export interface AdmissionOptions {
  /** DefaultTolerationSeconds: how long a pod stays bound to a not-ready or unreachable node (Kubernetes: 300). */
  defaultTolerationSeconds: number;
}

export const DEFAULT_ADMISSION: AdmissionOptions = { defaultTolerationSeconds: 300 };

const NODE_PROBLEM_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

const tolerates = (t: Toleration, key: string): boolean => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect);

export function admit(r: ResourceInfo, obj: KObject, options: AdmissionOptions): void {
  if (r.group !== '' || r.kind !== 'Pod') return;
  const spec = (obj.spec ??= {}) as { tolerations?: Toleration[] };
  const tolerations = (spec.tolerations ??= []);
  for (const key of NODE_PROBLEM_TAINTS) {
    if (!tolerations.some((t) => tolerates(t, key))) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.defaultTolerationSeconds });
    }
  }
}
