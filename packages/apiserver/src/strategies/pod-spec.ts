// PodSpec and PodTemplateSpec validation (ValidatePodSpec / ValidatePodTemplateSpec), the checks
// users actually trip over: containers, volumes, enums, tolerations, names.
import type { PodSpec, PodTemplateSpec, Toleration, Volume } from 'kubernetes-types/core/v1';
import { fieldErrors, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, type FieldError } from '@mini-kube/machinery';
import { validateContainer, validateProbes } from './containers.js';
import { at, child, inRange, isSet, oneOf } from './fields.js';
import { validateAnnotations, validateLabels } from './metadata.js';
import { volumeSources } from './pod-defaults.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const MAX_INT32 = 2147483647;

export function validatePodSpec(spec: PodSpec | undefined, path: string): FieldError[] {
  const s = spec ?? ({} as PodSpec);
  const errs: FieldError[] = [];
  const volumes = validateVolumes(s.volumes ?? [], child(path, 'volumes'), errs);
  errs.push(...validateContainers(s, path, volumes));
  errs.push(...oneOf(s.restartPolicy, RESTART_POLICIES, child(path, 'restartPolicy'), true));
  errs.push(...oneOf(s.dnsPolicy, DNS_POLICIES, child(path, 'dnsPolicy'), true));
  errs.push(...validateLabels(s.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...subdomain(s.serviceAccountName, child(path, 'serviceAccountName')));
  errs.push(...subdomain(s.nodeName, child(path, 'nodeName')));
  errs.push(...subdomain(s.priorityClassName, child(path, 'priorityClassName')));
  errs.push(...label(s.hostname, child(path, 'hostname')));
  errs.push(...label(s.subdomain, child(path, 'subdomain')));
  errs.push(...inRange(s.activeDeadlineSeconds, 1, MAX_INT32, child(path, 'activeDeadlineSeconds')));
  errs.push(...validateTolerations(s.tolerations ?? [], child(path, 'tolerations')));
  return errs;
}

/** Validates a template's metadata and spec; ephemeral containers make no sense in a template. */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const errs = [
    ...validateLabels(template?.metadata?.labels, child(path, 'metadata', 'labels')),
    ...validateAnnotations(template?.metadata?.annotations, child(path, 'metadata', 'annotations')),
    ...validatePodSpec(template?.spec, child(path, 'spec')),
  ];
  if ((template?.spec?.ephemeralContainers ?? []).length > 0) {
    errs.push(fieldErrors.forbidden(child(path, 'spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

function validateContainers(s: PodSpec, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const list = (field: 'initContainers' | 'containers'): void => {
    (s[field] ?? []).forEach((c, i) => {
      const p = at(child(path, field), i);
      errs.push(...validateContainer(c, p, volumes));
      if (field === 'containers') errs.push(...validateProbes(c, p));
      if (c.name && names.has(c.name)) errs.push(fieldErrors.duplicate(child(p, 'name'), c.name));
      if (c.name) names.add(c.name);
    });
  };
  list('initContainers');
  if ((s.containers ?? []).length === 0) errs.push(fieldErrors.required(child(path, 'containers')));
  list('containers');
  return errs;
}

/** Returns the declared volume names, pushing errors for bad ones. */
function validateVolumes(volumes: Volume[], path: string, errs: FieldError[]): Set<string> {
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const p = at(path, i);
    if (!v.name) errs.push(fieldErrors.required(child(p, 'name')));
    else for (const msg of isDNS1123Label(v.name)) errs.push(fieldErrors.invalid(child(p, 'name'), v.name, msg));
    if (v.name && names.has(v.name)) errs.push(fieldErrors.duplicate(child(p, 'name'), v.name));
    if (v.name) names.add(v.name);
    const sources = volumeSources(v);
    if (sources.length === 0) errs.push(fieldErrors.required(p, 'must specify a volume type'));
    for (const extra of sources.slice(1)) errs.push(fieldErrors.forbidden(child(p, extra), 'may not specify more than 1 volume type'));
    if (v.configMap && !v.configMap.name) errs.push(fieldErrors.required(child(p, 'configMap', 'name')));
    if (v.secret && !v.secret.secretName) errs.push(fieldErrors.required(child(p, 'secret', 'secretName')));
    if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) {
      errs.push(fieldErrors.required(child(p, 'persistentVolumeClaim', 'claimName')));
    }
    if (v.hostPath && !v.hostPath.path) errs.push(fieldErrors.required(child(p, 'hostPath', 'path')));
  });
  return names;
}

function validateTolerations(tolerations: Toleration[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const p = at(path, i);
    if (t.key) for (const msg of isQualifiedName(t.key)) errs.push(fieldErrors.invalid(child(p, 'key'), t.key, msg));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(fieldErrors.invalid(child(p, 'operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (isSet(t.tolerationSeconds) && t.effect !== 'NoExecute') {
      errs.push(fieldErrors.invalid(child(p, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (!t.operator || t.operator === 'Equal') {
      for (const msg of isValidLabelValue(t.value ?? '')) errs.push(fieldErrors.invalid(child(p, 'operator'), t.value, msg));
    } else if (t.operator === 'Exists') {
      if (t.value) errs.push(fieldErrors.invalid(child(p, 'operator'), t.value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(fieldErrors.notSupported(child(p, 'operator'), t.operator, TOLERATION_OPERATORS));
    }
    errs.push(...oneOf(t.effect, TAINT_EFFECTS, child(p, 'effect')));
  });
  return errs;
}

const subdomain = (value: string | undefined, path: string): FieldError[] =>
  value ? isDNS1123Subdomain(value).map((msg) => fieldErrors.invalid(path, value, msg)) : [];

const label = (value: string | undefined, path: string): FieldError[] =>
  value ? isDNS1123Label(value).map((msg) => fieldErrors.invalid(path, value, msg)) : [];
