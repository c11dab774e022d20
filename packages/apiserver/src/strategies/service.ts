// core/v1 Service: SetDefaults_Service (plus the IP family fields the registry fills in),
// ValidateService and ValidateServiceUpdate. Cluster IP and node port allocation is the
// registry's; here a cluster IP, once set, only has to stay put.
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1';
import { fieldErrors, isDNS1123Label, isDNS1123Subdomain, type FieldError } from '@mini-kube/machinery';
import { validatePortNumOrName } from './containers.js';
import { at, child, fill, isSet, oneOf } from './fields.js';
import { isValidPortNum, nameIsDNS1035Label } from './formats.js';
import { kindRules } from './kind.js';
import { validateLabels } from './metadata.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];

export const serviceRules = kindRules<Service>({
  nameFn: nameIsDNS1035Label,
  defaults(svc) {
    const spec = (svc.spec ??= {} as ServiceSpec);
    fill(spec, 'sessionAffinity', 'None');
    if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
    if (spec.sessionAffinity === 'ClientIP' && !isSet(spec.sessionAffinityConfig?.clientIP?.timeoutSeconds)) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
    }
    fill(spec, 'type', 'ClusterIP');
    for (const port of spec.ports ?? []) {
      fill(port, 'protocol', 'TCP');
      if (!port.targetPort) port.targetPort = port.port;
    }
    // Fields that only make sense for other types are dropped, as the real registry does when a
    // type changes (dropTypeDependentFields); a create that sets them is accepted the same way.
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') fill(spec, 'externalTrafficPolicy', 'Cluster');
    else if ((spec.externalIPs ?? []).length === 0) delete spec.externalTrafficPolicy;
    if (spec.type === 'ClusterIP' || spec.type === 'ExternalName') for (const port of spec.ports ?? []) delete port.nodePort;
    if (spec.type !== 'ExternalName') {
      fill(spec, 'internalTrafficPolicy', 'Cluster');
      fill(spec, 'ipFamilies', ['IPv4']);
      fill(spec, 'ipFamilyPolicy', 'SingleStack');
    }
    if (spec.type === 'LoadBalancer') fill(spec, 'allocateLoadBalancerNodePorts', true);
  },
  validate: (svc) => validateSpec(svc.spec ?? {}),
  validateUpdate(svc, old) {
    const [ip, oldIP] = [svc.spec?.clusterIP, old.spec?.clusterIP];
    // An empty cluster IP on update means "keep it": the registry copies the old one in.
    if (old.spec?.type === 'ExternalName' || svc.spec?.type === 'ExternalName' || !oldIP || !ip || ip === oldIP) return [];
    return [fieldErrors.invalid('spec.clusterIPs[0]', [ip], 'may not change once set')];
  },
});

function validateSpec(spec: ServiceSpec): FieldError[] {
  const errs = [
    ...oneOf(spec.type, TYPES, 'spec.type', true),
    ...oneOf(spec.sessionAffinity, ['ClientIP', 'None'], 'spec.sessionAffinity', true),
    ...validateLabels(spec.selector, 'spec.selector'),
    ...oneOf(spec.externalTrafficPolicy, TRAFFIC_POLICIES, 'spec.externalTrafficPolicy'),
    ...oneOf(spec.internalTrafficPolicy, TRAFFIC_POLICIES, 'spec.internalTrafficPolicy'),
  ];
  const headless = spec.clusterIP === 'None';
  const ports = spec.ports ?? [];
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errs.push(fieldErrors.required('spec.externalName'));
    else for (const msg of isDNS1123Subdomain(spec.externalName)) errs.push(fieldErrors.invalid('spec.externalName', spec.externalName, msg));
  } else if (ports.length === 0 && !headless) {
    errs.push(fieldErrors.required('spec.ports'));
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    errs.push(...validatePort(port, at('spec.ports', i), ports.length > 1, names));
    const key = `${port.protocol}/${port.port}`;
    if (seen.has(key)) errs.push(fieldErrors.duplicate(at('spec.ports', i), { port: port.port, protocol: port.protocol }));
    seen.add(key);
  });
  return errs;
}

function validatePort(port: ServicePort, path: string, requireName: boolean, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !port.name) errs.push(fieldErrors.required(child(path, 'name')));
  else if (port.name) {
    for (const msg of isDNS1123Label(port.name)) errs.push(fieldErrors.invalid(child(path, 'name'), port.name, msg));
    if (names.has(port.name)) errs.push(fieldErrors.duplicate(child(path, 'name'), port.name));
    names.add(port.name);
  }
  for (const msg of isValidPortNum(port.port)) errs.push(fieldErrors.invalid(child(path, 'port'), port.port, msg));
  errs.push(...oneOf(port.protocol, PROTOCOLS, child(path, 'protocol'), true));
  errs.push(...validatePortNumOrName(port.targetPort, child(path, 'targetPort')));
  if (port.nodePort) for (const msg of isValidPortNum(port.nodePort)) errs.push(fieldErrors.invalid(child(path, 'nodePort'), port.nodePort, msg));
  return errs;
}
