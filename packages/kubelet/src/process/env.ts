// A container's environment as the kubelet computes it (kubelet_pods.go makeEnvironmentVariables):
// the Service variables first, then envFrom sources, then env entries in order, each value with its
// `$(VAR)` references expanded against what came before; command and args are expanded last.
import { findResource, type KObject } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import type { ConfigMap, Container, EnvVar, Pod, Secret } from 'kubernetes-types/core/v1';
import { expand, lookupIn } from './env-expansion.js';
import { fieldRefValue, resourceFieldValue } from './env-fieldpath.js';

const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
const SECRETS = findResource('', 'v1', 'secrets')!;

export interface EnvContext {
  client: ApiClient;
  podIP: string;
  hostIP: string;
  nodeName: string;
  /** `<SVC>_SERVICE_HOST`, `_PORT`...: overridden by the container's own variables. */
  serviceEnv?: Record<string, string>;
  /** The node's allocatable resources: what resourceFieldRef limits default to. */
  allocatable?: Record<string, string>;
}

export interface ResolvedEnv {
  env: Record<string, string>;
  command: string[] | undefined;
  args: string[] | undefined;
}

/** An error the kubelet reports as the container's CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
type Data = Record<string, string>;
const decode = (data: Record<string, string> | undefined): Data =>
  Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

/** ConfigMap and Secret data of one namespace, each fetched at most once per resolution. */
export class ConfigSource {
  private readonly cache = new Map<string, Data | undefined>();
  constructor(
    private readonly client: ApiClient,
    private readonly namespace: string,
  ) {}

  /** The object's data, undefined when it does not exist. */
  async data(kind: 'configmap' | 'secret', name: string): Promise<Data | undefined> {
    const key = `${kind}/${name}`;
    if (this.cache.has(key)) return this.cache.get(key);
    let data: Data | undefined;
    try {
      if (kind === 'configmap') {
        const cm = await this.client.get<ConfigMap & KObject>(CONFIGMAPS, name, { namespace: this.namespace });
        data = { ...cm.data, ...Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])) };
      } else {
        const secret = await this.client.get<Secret & KObject>(SECRETS, name, { namespace: this.namespace });
        data = { ...decode(secret.data), ...secret.stringData };
      }
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 404)) throw err;
    }
    this.cache.set(key, data);
    return data;
  }

  /** The data, or a ContainerConfigError (`configmap "x" not found`) unless optional. */
  async required(kind: 'configmap' | 'secret', name: string, optional: boolean | undefined): Promise<Data | undefined> {
    const data = await this.data(kind, name);
    if (!data && !optional) throw new ContainerConfigError(`${kind} "${name}" not found`);
    return data;
  }
}

const KIND_TITLE = { configmap: 'ConfigMap', secret: 'Secret' } as const;

async function valueFrom(v: EnvVar, pod: Pod, container: Container, ctx: EnvContext, source: ConfigSource): Promise<string | undefined> {
  const from = v.valueFrom!;
  if (from.fieldRef) return fieldRefValue(from.fieldRef, pod, ctx);
  if (from.resourceFieldRef) {
    const target = from.resourceFieldRef.containerName ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === from.resourceFieldRef!.containerName) : container;
    return resourceFieldValue(from.resourceFieldRef, target ?? container, ctx.allocatable);
  }
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (!ref) return '';
  const kind = from.configMapKeyRef ? 'configmap' : 'secret';
  const data = await source.required(kind, ref.name ?? '', ref.optional);
  if (!data) return undefined;
  if (!(ref.key in data)) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${ref.key} in ${KIND_TITLE[kind]} ${pod.metadata?.namespace}/${ref.name}`);
  }
  return data[ref.key];
}

export async function resolveContainerEnv(pod: Pod, container: Container, ctx: EnvContext): Promise<ResolvedEnv> {
  const source = new ConfigSource(ctx.client, pod.metadata?.namespace ?? 'default');
  const own = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const data = await source.required(from.configMapRef ? 'configmap' : 'secret', ref.name ?? '', ref.optional);
    for (const [key, value] of Object.entries(data ?? {})) {
      const name = (from.prefix ?? '') + key;
      if (ENV_NAME.test(name)) own.set(name, value); // invalid names are skipped, as the kubelet does
    }
  }
  const service = new Map(Object.entries(ctx.serviceEnv ?? {}));
  const lookup = lookupIn(own, service);
  for (const v of container.env ?? []) {
    if (v.value) own.set(v.name, expand(v.value, lookup));
    else if (v.valueFrom) {
      const value = await valueFrom(v, pod, container, ctx, source);
      if (value !== undefined) own.set(v.name, value);
    } else own.set(v.name, '');
  }
  const env: Record<string, string> = { ...ctx.serviceEnv, ...Object.fromEntries(own) };
  const all = lookupIn(new Map(Object.entries(env)));
  const expandAll = (list: string[] | undefined): string[] | undefined => list?.map((s) => expand(s, all));
  return { env, command: expandAll(container.command), args: expandAll(container.args) };
}
