// networking.k8s.io/v1 Ingress and IngressClass validation.
import type { HTTPIngressPath, Ingress, IngressBackend, IngressClass } from 'kubernetes-types/networking/v1';
import { fieldErrors, isDNS1123Label, isDNS1123Subdomain, type FieldError } from '@mini-kube/machinery';
import { at, child, oneOf } from './fields.js';
import { isValidPortNum, isValidPortName } from './formats.js';
import { kindRules } from './kind.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

export const ingressRules = kindRules<Ingress>({
  validate(ing) {
    const spec = ing.spec ?? {};
    const errs: FieldError[] = [];
    const rules = spec.rules ?? [];
    if (!spec.defaultBackend && rules.length === 0) {
      errs.push(fieldErrors.invalid('spec.rules', rules, 'either `defaultBackend` or `rules` must be specified'));
    }
    if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
    rules.forEach((rule, i) => {
      const p = at('spec.rules', i);
      if (rule.host) errs.push(...validateHost(rule.host, child(p, 'host')));
      if (rule.http && (rule.http.paths ?? []).length === 0) errs.push(fieldErrors.required(child(p, 'http', 'paths')));
      (rule.http?.paths ?? []).forEach((path, j) => errs.push(...validatePath(path, at(child(p, 'http', 'paths'), j))));
    });
    (spec.tls ?? []).forEach((tls, i) =>
      (tls.hosts ?? []).forEach((h, j) => errs.push(...validateHost(h, at(child(at('spec.tls', i), 'hosts'), j)))),
    );
    if (spec.ingressClassName) {
      for (const msg of isDNS1123Subdomain(spec.ingressClassName)) errs.push(fieldErrors.invalid('spec.ingressClassName', spec.ingressClassName, msg));
    }
    return errs;
  },
});

/** A host is a DNS subdomain, optionally with a leading `*.` wildcard. */
function validateHost(host: string, path: string): FieldError[] {
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  return isDNS1123Subdomain(bare).map((msg) => fieldErrors.invalid(path, host, msg));
}

function validatePath(p: HTTPIngressPath, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!p.pathType) errs.push(fieldErrors.required(child(path, 'pathType'), 'pathType must be specified'));
  else errs.push(...oneOf(p.pathType, PATH_TYPES, child(path, 'pathType')));
  if (p.path !== undefined && !p.path.startsWith('/')) errs.push(fieldErrors.invalid(child(path, 'path'), p.path, 'must be an absolute path'));
  errs.push(...validateBackend(p.backend, child(path, 'backend')));
  return errs;
}

function validateBackend(backend: IngressBackend | undefined, path: string): FieldError[] {
  if (backend?.service && backend.resource) return [fieldErrors.invalid(path, backend, 'cannot set both service and resource backends')];
  if (backend?.resource) return [];
  const service = backend?.service;
  if (!service) return [fieldErrors.invalid(path, backend ?? {}, 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const svcPath = child(path, 'service');
  if (!service.name) errs.push(fieldErrors.required(child(svcPath, 'name')));
  else for (const msg of isDNS1123Label(service.name)) errs.push(fieldErrors.invalid(child(svcPath, 'name'), service.name, msg));
  const port = service.port;
  const portPath = child(svcPath, 'port');
  if (port?.name && port.number) errs.push(fieldErrors.invalid(portPath, port, 'cannot set both port name & port number'));
  else if (port?.name) for (const msg of isValidPortName(port.name)) errs.push(fieldErrors.invalid(child(portPath, 'name'), port.name, msg));
  else if (port?.number) for (const msg of isValidPortNum(port.number)) errs.push(fieldErrors.invalid(child(portPath, 'number'), port.number, msg));
  else errs.push(fieldErrors.required(portPath, 'port name or number is required'));
  return errs;
}

export const ingressClassRules = kindRules<IngressClass>({
  validate(ic) {
    const controller = ic.spec?.controller;
    if (!controller) return [fieldErrors.required('spec.controller')];
    return controller.length > 250 ? [fieldErrors.tooLong('spec.controller', 250)] : [];
  },
  validateUpdate: (ic, old) =>
    ic.spec?.controller === old.spec?.controller ? [] : [fieldErrors.invalid('spec.controller', ic.spec?.controller ?? '', 'field is immutable')],
});
