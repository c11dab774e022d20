// Cluster-scoped core kinds: Namespace (its name label, finalizer and phase) and Node.
import type { Namespace, Node } from 'kubernetes-types/core/v1';
import { fieldErrors, isQualifiedName, type FieldError } from '@mini-kube/machinery';
import { at, isSet } from './fields.js';
import { nameIsDNSLabel } from './formats.js';
import { kindRules } from './kind.js';

const NAME_LABEL = 'kubernetes.io/metadata.name';

export const namespaceRules = kindRules<Namespace>({
  nameFn: nameIsDNSLabel,
  defaults(ns) {
    // The label is set on every write, so it always equals the name (the real strategy does too).
    if (ns.metadata?.name) ns.metadata.labels = { ...ns.metadata.labels, [NAME_LABEL]: ns.metadata.name };
    const spec = (ns.spec ??= {});
    spec.finalizers ??= ['kubernetes'];
    const status = ((ns as { status?: { phase?: string } }).status ??= {});
    status.phase ??= 'Active';
  },
  validate: (ns) =>
    (ns.spec?.finalizers ?? []).flatMap((f, i) => isQualifiedName(f).map((msg) => fieldErrors.invalid(at('spec.finalizers', i), f, msg))),
});

const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

export const nodeRules = kindRules<Node>({
  defaults(node) {
    // SetDefaults_NodeStatus: allocatable defaults to capacity.
    const status = (node as { status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> } }).status;
    if (status?.capacity && !isSet(status.allocatable)) status.allocatable = { ...status.capacity };
  },
  validate(node) {
    const errs: FieldError[] = [];
    (node.spec?.taints ?? []).forEach((t, i) => {
      const p = at('spec.taints', i);
      if (!t.key) errs.push(fieldErrors.required(`${p}.key`));
      else for (const msg of isQualifiedName(t.key)) errs.push(fieldErrors.invalid(`${p}.key`, t.key, msg));
      if (!t.effect) errs.push(fieldErrors.required(`${p}.effect`));
      else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(fieldErrors.notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
    });
    return errs;
  },
});
