import { findResource, type KObject } from '@mini-kube/api';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expand } from '../src/process/env-expansion.js';
import { fieldRefValue, formatMap, resourceFieldValue } from '../src/process/env-fieldpath.js';
import { ContainerConfigError, resolveContainerEnv } from '../src/process/env.js';
import { startApi, type TestApi } from './harness.js';

const vars = new Map([
  ['A', 'a'],
  ['EMPTY', ''],
]);
const lookup = (n: string): string | undefined => vars.get(n);

describe('$(VAR) expansion', () => {
  it.each([
    ['plain', 'plain'],
    ['$(A)', 'a'],
    ['x$(A)y$(A)', 'xaya'],
    ['$(EMPTY)|', '|'],
    ['$(UNKNOWN)', '$(UNKNOWN)'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$a'],
    ['$$', '$'],
    ['$', '$'],
    ['a$', 'a$'],
    ['$(A', '$(A'],
    ['$A', '$A'],
    ['$(A)$(', 'a$('],
    ['$()', '$()'],
    ['$(a$(A))', '$(a$(A))'],
  ])('%s → %s', (input, want) => {
    expect(expand(input, lookup)).toBe(want);
  });
});

const pod: Pod = {
  metadata: { name: 'web', namespace: 'ns1', uid: 'u-1', labels: { app: 'web', tier: 'fe' }, annotations: { note: 'say "hi"' } },
  spec: { nodeName: 'node-1', serviceAccountName: 'sa', containers: [] },
};
const net = { podIP: '10.0.0.5', hostIP: '10.0.0.1' };

describe('downward API fields', () => {
  it.each([
    ['metadata.name', 'web'],
    ['metadata.namespace', 'ns1'],
    ['metadata.uid', 'u-1'],
    ["metadata.labels['app']", 'web'],
    ["metadata.labels['nope']", ''],
    ["metadata.annotations['note']", 'say "hi"'],
    ['metadata.labels', 'app="web"\ntier="fe"'],
    ['metadata.annotations', 'note="say \\"hi\\""'],
    ['spec.nodeName', 'node-1'],
    ['spec.serviceAccountName', 'sa'],
    ['status.podIP', '10.0.0.5'],
    ['status.podIPs', '10.0.0.5'],
    ['status.hostIP', '10.0.0.1'],
  ])('%s', (fieldPath, want) => {
    expect(fieldRefValue({ fieldPath }, pod, net)).toBe(want);
  });

  it('formats an empty map as nothing', () => expect(formatMap(undefined)).toBe(''));

  const c: Container = { name: 'c', resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '100m' } } };
  it.each([
    ['limits.cpu', undefined, '1'],
    ['limits.cpu', '1m', '250'],
    ['requests.cpu', '1m', '100'],
    ['limits.memory', undefined, String(64 * 1024 * 1024)],
    ['limits.memory', '1Mi', '64'],
    ['limits.memory', '1M', '68'],
    ['requests.memory', undefined, '0'],
    ['limits.ephemeral-storage', '1Gi', '2'], // from the node's allocatable
  ])('resource %s / %s', (resource, divisor, want) => {
    expect(resourceFieldValue({ resource, divisor }, c, { cpu: '4', memory: '8Gi', 'ephemeral-storage': '1500Mi' })).toBe(want);
  });
});

describe('resolveContainerEnv against an API server', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
    const cms = findResource('', 'v1', 'configmaps')!;
    const secrets = findResource('', 'v1', 'secrets')!;
    await api.client.create(findResource('', 'v1', 'namespaces')!, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } });
    await api.client.create(cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns1' }, data: { color: 'blue', size: 'L' } } as KObject);
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    await api.client.create(secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: 'ns1' }, data: { password: b64('s3cret'), '1st': b64('x') } } as KObject);
  });
  afterAll(() => api.close());

  const resolve = (container: Partial<Container>, serviceEnv?: Record<string, string>) =>
    resolveContainerEnv(pod, { name: 'c', ...container }, { client: api.client, ...net, nodeName: 'node-1', serviceEnv });

  it('resolves values, references, envFrom with prefix and expands command and args', async () => {
    const r = await resolve(
      {
        envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'sec' } }],
        env: [
          { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
          { name: 'GREETING', value: 'hello $(NAME) in $(COLOR), svc $(WEB_SERVICE_HOST), $(LATER)' },
          { name: 'LATER', value: 'later' },
          { name: 'MISSING_OK', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
        ],
        command: ['sh', '-c', 'echo $(GREETING) $$(NAME)'],
        args: ['$(CFG_size)', '$(password)'],
      },
      { WEB_SERVICE_HOST: '10.96.0.9', NAME: 'from-service' },
    );
    expect(r.env).toMatchObject({
      CFG_color: 'blue',
      CFG_size: 'L',
      password: 's3cret',
      NAME: 'web',
      COLOR: 'blue',
      PW: 's3cret',
      GREETING: 'hello web in blue, svc 10.96.0.9, $(LATER)',
      LATER: 'later',
      WEB_SERVICE_HOST: '10.96.0.9',
    });
    expect(r.env).not.toHaveProperty('1st');
    expect(r.env).not.toHaveProperty('MISSING_OK');
    expect(r.command).toEqual(['sh', '-c', 'echo hello web in blue, svc 10.96.0.9, $(LATER) $(NAME)']);
    expect(r.args).toEqual(['L', 's3cret']);
  });

  it('leaves command and args undefined when the container has none', async () => {
    const r = await resolve({ env: [{ name: 'X', value: '1' }] });
    expect(r).toMatchObject({ command: undefined, args: undefined, env: { X: '1' } });
  });

  it.each([
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, 'configmap "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }, 'secret "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }, "couldn't find key k in ConfigMap ns1/cfg"],
    [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } }] }, "couldn't find key k in Secret ns1/sec"],
    [{ envFrom: [{ secretRef: { name: 'nope' } }] }, 'secret "nope" not found'],
  ] as [Partial<Container>, string][])('a missing required source fails: %#', async (container, message) => {
    const err = await resolve(container).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerConfigError);
    expect((err as Error).message).toBe(message);
  });

  it('skips optional missing sources', async () => {
    const r = await resolve({ envFrom: [{ configMapRef: { name: 'nope', optional: true } }], env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 'sec', key: 'k', optional: true } } }] });
    expect(r.env).toEqual({});
  });
});
