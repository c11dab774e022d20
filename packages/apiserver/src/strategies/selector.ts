// metav1 LabelSelector validation, and the "selector must match the template" rule of workloads.
import type { LabelSelector } from '@mini-kube/api';
import { fieldErrors, isQualifiedName, selectorFromLabelSelector, type FieldError } from '@mini-kube/machinery';
import { at, child } from './fields.js';
import { validateLabels } from './metadata.js';

export function validateLabelSelector(sel: LabelSelector, path: string): FieldError[] {
  const errs = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  (sel.matchExpressions ?? []).forEach((req, i) => {
    const p = at(child(path, 'matchExpressions'), i);
    const hasValues = (req.values ?? []).length > 0;
    if (req.operator === 'In' || req.operator === 'NotIn') {
      if (!hasValues) errs.push(fieldErrors.required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
      if (hasValues) errs.push(fieldErrors.forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(fieldErrors.invalid(child(p, 'operator'), req.operator, 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(req.key ?? '')) errs.push(fieldErrors.invalid(child(p, 'key'), req.key ?? '', msg));
  });
  return errs;
}

const isEmptySelector = (sel: LabelSelector): boolean =>
  Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;

/**
 * Validates a workload's `selector` and that it selects its own template's labels. `kind` words
 * the empty-selector message (`empty selector is invalid for deployment`).
 */
export function validateWorkloadSelector(
  sel: LabelSelector | null | undefined,
  templateLabels: Record<string, string> | undefined,
  specPath: string,
  kind: string,
): FieldError[] {
  const selPath = child(specPath, 'selector');
  if (!sel) return [fieldErrors.required(selPath)];
  const errs = validateLabelSelector(sel, selPath);
  if (errs.length > 0) return errs;
  if (isEmptySelector(sel)) return [fieldErrors.invalid(selPath, sel, `empty selector is invalid for ${kind}`)];
  return validateSelectorMatches(sel, templateLabels, specPath);
}

/** `spec.template.metadata.labels` must be selected by a (valid) `spec.selector`. */
export function validateSelectorMatches(sel: LabelSelector, templateLabels: Record<string, string> | undefined, specPath: string): FieldError[] {
  if (selectorFromLabelSelector(sel).matches(templateLabels ?? {})) return [];
  const labelsPath = child(specPath, 'template', 'metadata', 'labels');
  return [fieldErrors.invalid(labelsPath, templateLabels ?? null, '`selector` does not match template `labels`')];
}
