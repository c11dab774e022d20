// Container validation (validateContainerCommon and friends in pkg/apis/core/validation).
import type { Container, ContainerPort, EnvVar, HTTPGetAction, Probe, VolumeMount } from 'kubernetes-types/core/v1';
import { fieldErrors, isDNS1123Label, type FieldError } from '@mini-kube/machinery';
import { at, child, isSet, nonNegative, oneOf } from './fields.js';
import { isEnvVarName, isValidPortName, isValidPortNum } from './formats.js';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];

/** `volumes` are the pod's volume names, which every volumeMount must reference. */
export function validateContainer(c: Container, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const namePath = child(path, 'name');
  if (!c.name) errs.push(fieldErrors.required(namePath));
  else for (const msg of isDNS1123Label(c.name)) errs.push(fieldErrors.invalid(namePath, c.name, msg));
  if (!c.image) errs.push(fieldErrors.required(child(path, 'image')));
  errs.push(...oneOf(c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES, child(path, 'terminationMessagePolicy'), true));
  errs.push(...validatePorts(c.ports ?? [], child(path, 'ports')));
  errs.push(...validateEnv(c.env ?? [], child(path, 'env')));
  errs.push(...oneOf(c.imagePullPolicy, PULL_POLICIES, child(path, 'imagePullPolicy'), true));
  errs.push(...validateMounts(c.volumeMounts ?? [], child(path, 'volumeMounts'), volumes));
  return errs;
}

/** Probes are allowed on regular containers only; liveness and startup must succeed once. */
export function validateProbes(c: Container, path: string): FieldError[] {
  return [
    ...validateProbe(c.livenessProbe, child(path, 'livenessProbe'), true),
    ...validateProbe(c.readinessProbe, child(path, 'readinessProbe'), false),
    ...validateProbe(c.startupProbe, child(path, 'startupProbe'), true),
  ];
}

function validatePorts(ports: ContainerPort[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = at(path, i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      for (const msg of msgs) errs.push(fieldErrors.invalid(child(p, 'name'), port.name, msg));
      if (msgs.length === 0 && names.has(port.name)) errs.push(fieldErrors.duplicate(child(p, 'name'), port.name));
      names.add(port.name);
    }
    if (!port.containerPort) errs.push(fieldErrors.required(child(p, 'containerPort')));
    else for (const msg of isValidPortNum(port.containerPort)) errs.push(fieldErrors.invalid(child(p, 'containerPort'), port.containerPort, msg));
    if (port.hostPort) for (const msg of isValidPortNum(port.hostPort)) errs.push(fieldErrors.invalid(child(p, 'hostPort'), port.hostPort, msg));
    errs.push(...oneOf(port.protocol, PROTOCOLS, child(p, 'protocol'), true));
  });
  return errs;
}

function validateEnv(env: EnvVar[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((e, i) => {
    const p = child(at(path, i), 'name');
    if (!e.name) errs.push(fieldErrors.required(p));
    else for (const msg of isEnvVarName(e.name)) errs.push(fieldErrors.invalid(p, e.name, msg));
    if (isSet(e.value) && e.value !== '' && e.valueFrom) {
      errs.push(fieldErrors.invalid(child(at(path, i), 'valueFrom'), '', 'may not be specified when `value` is not empty'));
    }
  });
  return errs;
}

function validateMounts(mounts: VolumeMount[], path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  mounts.forEach((m, i) => {
    const p = at(path, i);
    if (!m.name) errs.push(fieldErrors.required(child(p, 'name')));
    else if (!volumes.has(m.name)) errs.push(fieldErrors.notFound(child(p, 'name'), m.name));
    if (!m.mountPath) errs.push(fieldErrors.required(child(p, 'mountPath')));
    else if (paths.has(m.mountPath)) errs.push(fieldErrors.invalid(child(p, 'mountPath'), m.mountPath, 'must be unique'));
    if (m.mountPath) paths.add(m.mountPath);
  });
  return errs;
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

function validateProbe(probe: Probe | undefined, path: string, successMustBeOne: boolean): FieldError[] {
  if (!probe) return [];
  const errs: FieldError[] = [];
  const handlers = HANDLERS.filter((h) => isSet(probe[h]));
  if (handlers.length === 0) errs.push(fieldErrors.required(path, 'must specify a handler type'));
  for (const h of handlers.slice(1)) errs.push(fieldErrors.forbidden(child(path, h), 'may not specify more than 1 handler type'));
  if (probe.httpGet) errs.push(...validateHttpGet(probe.httpGet, child(path, 'httpGet')));
  if (probe.tcpSocket) errs.push(...validatePortNumOrName(probe.tcpSocket.port, child(path, 'tcpSocket', 'port')));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...nonNegative(probe[f], child(path, f)));
  }
  if (successMustBeOne && isSet(probe.successThreshold) && probe.successThreshold !== 1) {
    errs.push(fieldErrors.invalid(child(path, 'successThreshold'), probe.successThreshold, 'must be 1'));
  }
  return errs;
}

function validateHttpGet(action: HTTPGetAction, path: string): FieldError[] {
  return [
    ...(action.path ? [] : [fieldErrors.required(child(path, 'path'))]),
    ...validatePortNumOrName(action.port, child(path, 'port')),
    ...oneOf(action.scheme, ['HTTP', 'HTTPS'], child(path, 'scheme')),
  ];
}

export function validatePortNumOrName(port: number | string | undefined, path: string): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((msg) => fieldErrors.invalid(path, port, msg));
  return isValidPortNum(port ?? 0).map((msg) => fieldErrors.invalid(path, port ?? 0, msg));
}
