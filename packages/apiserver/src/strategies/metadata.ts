// ObjectMeta validation as apimachinery's ValidateObjectMeta / ValidateObjectMetaUpdate do it.
import type { ObjectMeta, OwnerReference } from '@mini-kube/api';
import { fieldErrors, isQualifiedName, isValidLabelValue, type FieldError } from '@mini-kube/machinery';
import { child, immutable } from './fields.js';
import { nameIsDNSLabel, type NameFn } from './formats.js';

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

interface MetaRules {
  namespaced: boolean;
  nameFn: NameFn;
}

export function validateObjectMeta(meta: ObjectMeta | undefined, rules: MetaRules, path = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of rules.nameFn(m.generateName, true)) errs.push(fieldErrors.invalid(child(path, 'generateName'), m.generateName, msg));
  }
  if (!m.name) errs.push(fieldErrors.required(child(path, 'name'), 'name or generateName is required'));
  else for (const msg of rules.nameFn(m.name, false)) errs.push(fieldErrors.invalid(child(path, 'name'), m.name, msg));
  errs.push(...validateNamespace(m.namespace, rules.namespaced, child(path, 'namespace')));
  errs.push(...validateLabels(m.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences ?? [], child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers ?? [], child(path, 'finalizers')));
  return errs;
}

function validateNamespace(namespace: string | undefined, namespaced: boolean, path: string): FieldError[] {
  if (!namespaced) return namespace ? [fieldErrors.forbidden(path, 'not allowed on this type')] : [];
  if (!namespace) return [fieldErrors.required(path)];
  return nameIsDNSLabel(namespace, false).map((msg) => fieldErrors.invalid(path, namespace, msg));
}

/** Name and namespace never change; the registry guards uid and creationTimestamp. */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, path = 'metadata'): FieldError[] {
  return [
    ...immutable(meta?.name, old?.name, child(path, 'name')),
    ...immutable(meta?.namespace || undefined, old?.namespace || undefined, child(path, 'namespace')),
  ];
}

/** Label keys and values; errors name the map (`metadata.labels`), not the key, as the real ones do. */
export function validateLabels(labels: Record<string, string> | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(key)) errs.push(fieldErrors.invalid(path, key, msg));
    for (const msg of isValidLabelValue(String(value))) errs.push(fieldErrors.invalid(path, value, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(fieldErrors.invalid(path, key, msg));
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(fieldErrors.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateOwnerReferences(refs: OwnerReference[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const ref of refs) {
    const version = ref.apiVersion?.split('/').pop();
    if (!version) errs.push(fieldErrors.invalid(child(path, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(fieldErrors.invalid(child(path, 'kind'), ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(fieldErrors.invalid(child(path, 'name'), ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(fieldErrors.invalid(child(path, 'uid'), ref.uid ?? '', 'uid must not be empty'));
  }
  const controllers = refs.filter((r) => r.controller === true);
  if (controllers.length > 1) {
    const names = controllers.map((r) => `${r.kind}/${r.name}`).join(', ');
    errs.push(fieldErrors.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${names}`));
  }
  return errs;
}

function validateFinalizers(finalizers: string[], path: string): FieldError[] {
  return finalizers.flatMap((f) => isQualifiedName(f).map((msg) => fieldErrors.invalid(path, f, msg)));
}
