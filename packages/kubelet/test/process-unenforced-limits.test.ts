// A process node that cannot enforce resource limits says so: in its Ready condition's message, in
// a Warning event on the Node, and in a Warning event on each pod that has limits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '@mini-kube/api';
import { waitFor } from '@mini-kube/testing';
import type { Node } from 'kubernetes-types/core/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessRuntime, type ContainerLimiter, type Kubelet } from '../src/index.js';
import { limitedContainers, LIMITS_NOT_ENFORCED } from '../src/limit-warnings.js';
import { EVENTS, NODES, PODS, eventsOf, getPod, pod, startApi, testKubelet, type TestApi } from './harness.js';

const REASON = 'cgroups are turned off for this test';
const limiter: ContainerLimiter = { create() {}, addProcess() {}, oomKilled: () => false, remove() {}, unenforcedReason: () => REASON };

describe('limitedContainers', () => {
  it.each([
    [{ containers: [{ name: 'a', image: 'x' }] }, []],
    [{ containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '1' } } }] }, []],
    [{ initContainers: [{ name: 'i', image: 'x', resources: { limits: { memory: '1Mi' } } }], containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '1' } } }] }, ['i', 'a']],
  ])('%j → %j', (spec, names) => expect(limitedContainers({ spec })).toEqual(names));
});

describe('a process node without enforced limits', () => {
  let api: TestApi;
  let kubelet: Kubelet;
  let abort: AbortController;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'unenforced-'));
    api = await startApi();
    const runtime = new ProcessRuntime({ dataDir, client: api.client, nodeName: 'node-1', limiter, useNamespace: false, closeGraceMs: 500 });
    ({ kubelet, abort } = await testKubelet(api.client, { runtime, address: '127.92.0.1', podCIDR: '127.92.1.0/24' }));
  });
  afterAll(async () => {
    await kubelet?.stop();
    abort?.abort();
    await api?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says so in the Ready condition and in a Warning event on the Node', async () => {
    const node = await api.client.get<Node & KObject>(NODES, 'node-1');
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready?.status).toBe('True');
    expect(ready?.message).toBe(`kubelet is posting ready status. Container resource limits are not enforced: ${REASON}`);
    const events = await waitFor(async () => {
      const list = await api.client.list(EVENTS, { namespace: 'default', fieldSelector: 'involvedObject.kind=Node,involvedObject.name=node-1' });
      return list.items.length > 0 ? (list.items as unknown as { type: string; reason: string; message: string; involvedObject: { uid: string } }[]) : undefined;
    });
    expect(events).toEqual([expect.objectContaining({ type: 'Warning', reason: LIMITS_NOT_ENFORCED, involvedObject: expect.objectContaining({ uid: 'node-1' }) })]);
    expect(events[0]!.message).toContain(REASON);
  });

  it('warns once on a pod with limits, and not on one without', async () => {
    const container = (name: string, limits?: Record<string, string>) => ({ name, image: 'busybox', command: ['sleep', '3614'], ...(limits ? { resources: { limits } } : {}) });
    await api.client.create(PODS, pod('limited', { terminationGracePeriodSeconds: 0, containers: [container('main', { memory: '32Mi' }), container('side')] }));
    await api.client.create(PODS, pod('free', { terminationGracePeriodSeconds: 0, containers: [container('main')] }));
    await waitFor(async () => (await getPod(api.client, 'limited')).status?.phase === 'Running' && (await getPod(api.client, 'free')).status?.phase === 'Running', { timeoutMs: 15_000 });
    const warnings = await waitFor(async () => {
      const list = (await eventsOf(api.client, 'limited')).filter((e) => e.reason === LIMITS_NOT_ENFORCED);
      return list.length > 0 ? list : undefined;
    });
    expect(warnings).toEqual([expect.objectContaining({ type: 'Warning', count: 1, message: `Resource limits of container main are not enforced: ${REASON}` })]);
    expect((await eventsOf(api.client, 'free')).map((e) => e.reason)).not.toContain(LIMITS_NOT_ENFORCED);
    for (const name of ['limited', 'free']) await api.client.delete(PODS, name, { namespace: 'default', gracePeriodSeconds: 0 });
  });
});
