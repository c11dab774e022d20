// The Pod strategy: spec defaults plus the admission-time ones, the initial status, validation,
// and the rule that a running pod's spec is immutable but for a few fields (ValidatePodUpdate).
import type { Container, Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { diffPaths } from './diff.js';
import { equal, isSet } from './fields.js';
import { kindRules } from './kind.js';
import { defaultPodOnly, defaultPodSpec } from './pod-defaults.js';
import { validatePodSpec } from './pod-spec.js';

const UPDATABLE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export const podRules = kindRules<Pod>({
  defaults(pod) {
    const spec = (pod.spec ??= {} as PodSpec);
    defaultPodSpec(spec);
    defaultPodOnly(spec);
    const status = ((pod as { status?: Pod['status'] }).status ??= {}) as NonNullable<Pod['status']> & { phase?: string; qosClass?: string };
    if (!status.phase) status.phase = 'Pending';
    if (!status.qosClass) status.qosClass = qosClass(spec);
  },
  validate: (pod) => validatePodSpec(pod.spec, 'spec'),
  validateUpdate: (pod, old) => validatePodSpecUpdate(pod.spec ?? ({} as PodSpec), old.spec ?? ({} as PodSpec)),
});

function validatePodSpecUpdate(spec: PodSpec, old: PodSpec): FieldError[] {
  const errs = validateDeadlineUpdate(spec.activeDeadlineSeconds, old.activeDeadlineSeconds);
  if (errs.length > 0) return errs;
  const oldTolerations = old.tolerations ?? [];
  if (!oldTolerations.every((t) => (spec.tolerations ?? []).some((n) => sameToleration(n, t)))) {
    errs.push(fieldErrors.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  }
  const munged: PodSpec = {
    ...spec,
    containers: withImagesOf(spec.containers, old.containers) ?? [],
    initContainers: withImagesOf(spec.initContainers, old.initContainers),
    activeDeadlineSeconds: old.activeDeadlineSeconds,
    tolerations: old.tolerations,
  };
  const oldGrace = old.terminationGracePeriodSeconds;
  if (isSet(oldGrace) && oldGrace < 0 && spec.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if (!equal(munged, old)) {
    const changed = diffPaths(old, munged, 'spec').map((p) => `  ${p}`).join('\n');
    errs.push(fieldErrors.forbidden('spec', `${UPDATABLE}\n${changed}`));
  }
  return errs;
}

function validateDeadlineUpdate(value: number | undefined, old: number | undefined): FieldError[] {
  const path = 'spec.activeDeadlineSeconds';
  if (!isSet(value)) return isSet(old) ? [fieldErrors.invalid(path, null, 'must not update from a positive integer to nil value')] : [];
  if (isSet(old) && old < value) return [fieldErrors.invalid(path, value, 'must be less than or equal to previous value')];
  return [];
}

/** Copies each old container's image onto the new one at the same index, so images may differ. */
function withImagesOf(containers: Container[] | undefined, old: Container[] | undefined): Container[] | undefined {
  return containers?.map((c, i) => (old?.[i] ? { ...c, image: old[i]!.image } : c));
}

// An existing toleration may only shorten its tolerationSeconds.
const sameToleration = (n: Toleration, o: Toleration): boolean =>
  equal({ ...n, tolerationSeconds: undefined }, { ...o, tolerationSeconds: undefined }) &&
  (!isSet(o.tolerationSeconds) || (isSet(n.tolerationSeconds) && n.tolerationSeconds <= o.tolerationSeconds));

/**
 * The QoS class of v1/helper/qos, comparing quantities as written: Guaranteed when every
 * container limits cpu and memory and requests equal limits, BestEffort when nothing is set.
 */
function qosClass(spec: PodSpec): string {
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  const compute = (list: Record<string, string> | undefined): [string, string][] =>
    Object.entries(list ?? {}).filter(([k]) => k === 'cpu' || k === 'memory');
  if (containers.every((c) => compute(c.resources?.requests).length + compute(c.resources?.limits).length === 0)) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const limits = Object.fromEntries(compute(c.resources?.limits));
    const requests = Object.fromEntries(compute(c.resources?.requests));
    return ['cpu', 'memory'].every((k) => isSet(limits[k]) && (requests[k] ?? limits[k]) === limits[k]);
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
