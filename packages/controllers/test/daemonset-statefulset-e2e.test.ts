// DaemonSets and StatefulSets end to end: the real kubectl against `mini-kubed --nodes 3 --runtime sim`.
import { findResource, type KObject } from '@mini-kube/api';
import { hasKubectl, kubectl, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';
import type { Pod } from 'kubernetes-types/core/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PODS = findResource('', 'v1', 'pods')!;

const DAEMONSET = (name: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: "agent:v1"}]}
`;

const STATEFULSET = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: 3
  serviceName: web
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;

const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe.skipIf(!hasKubectl())('DaemonSets and StatefulSets on simulated nodes', () => {
  let daemon: Daemon;
  const ok = async (args: string[], stdin?: string, timeoutMs?: number): Promise<string> => {
    const res = await kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs });
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return res.stdout;
  };
  const podsOf = async (app: string) =>
    (await daemon.client.list<Pod & KObject>(PODS, { namespace: 'default', labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
  const images = async (app: string) => [...new Set((await podsOf(app)).map((p) => p.spec!.containers[0]!.image))];

  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--nodes', '3', '--runtime', 'sim'] });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('runs one pod per node, skips a tainted node, rolls an image update and undoes it', async () => {
    const nodes = (await ok(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').sort();
    expect(nodes).toHaveLength(3);
    await ok(['apply', '-f', '-'], DAEMONSET('agent'));
    expect(await ok(['rollout', 'status', 'ds/agent', '--timeout=60s'], undefined, 70_000)).toContain('daemon set "agent" successfully rolled out');
    expect((await podsOf('agent')).map((p) => p.spec!.nodeName).sort()).toEqual(nodes);

    await ok(['taint', 'nodes', nodes[2]!, 'dedicated=db:NoSchedule']);
    await ok(['apply', '-f', '-'], DAEMONSET('other'));
    await ok(['rollout', 'status', 'ds/other', '--timeout=60s'], undefined, 70_000);
    expect((await podsOf('other')).map((p) => p.spec!.nodeName).sort()).toEqual(nodes.slice(0, 2));
    expect(await ok(['get', 'ds', 'other', '-o', 'jsonpath={.status.desiredNumberScheduled}'])).toBe('2');
    // Without the taint the node gets its pod (and keeps agent's through the update below).
    await ok(['taint', 'nodes', nodes[2]!, 'dedicated=db:NoSchedule-']);
    await waitFor(async () => (await podsOf('other')).length === 3);

    await ok(['set', 'image', 'ds/agent', 'c=agent:v2']);
    await ok(['rollout', 'status', 'ds/agent', '--timeout=60s'], undefined, 70_000);
    await waitFor(async () => (await images('agent')).join() === 'agent:v2' && (await podsOf('agent')).length === 3);
    const history = await ok(['rollout', 'history', 'ds/agent']);
    expect(history).toMatch(/^1\s+<none>$/m);
    expect(history).toMatch(/^2\s+<none>$/m);
    expect(await ok(['rollout', 'history', 'ds/agent', '--revision=1'])).toContain('agent:v1');

    expect(await ok(['rollout', 'undo', 'ds/agent'])).toContain('daemonset.apps/agent rolled back');
    await ok(['rollout', 'status', 'ds/agent', '--timeout=60s'], undefined, 70_000);
    await waitFor(async () => (await images('agent')).join() === 'agent:v1' && (await podsOf('agent')).length === 3, { timeoutMs: 30_000 });
    const after = await ok(['rollout', 'history', 'ds/agent']);
    expect(after).toMatch(/^2\s+/m);
    expect(after).toMatch(/^3\s+/m);
    expect(after).not.toMatch(/^1\s+/m);
  });

  it('creates a StatefulSet strictly in order and scales it down from the top, keeping the claims', async () => {
    // Watch: each pod may appear only once every lower ordinal is Ready.
    const ready = new Map<string, boolean>();
    const violations: string[] = [];
    const deleted: string[] = [];
    const abort = new AbortController();
    const watching = (async () => {
      for await (const ev of daemon.client.watch<Pod & KObject>(PODS, { namespace: 'default', labelSelector: 'app=web', signal: abort.signal })) {
        const name = ev.object.metadata.name!;
        if (ev.type === 'ADDED') {
          const ordinal = Number(name.split('-').pop());
          for (let i = 0; i < ordinal; i++) if (!ready.get(`web-${i}`)) violations.push(`${name} before web-${i} was ready`);
        }
        if (ev.type === 'DELETED') {
          deleted.push(name);
          ready.delete(name);
        } else {
          ready.set(name, isReady(ev.object) && !ev.object.metadata.deletionTimestamp);
        }
      }
    })();

    await ok(['apply', '-f', '-'], STATEFULSET);
    expect(await ok(['rollout', 'status', 'sts/web', '--timeout=60s'], undefined, 70_000)).toContain('partitioned roll out complete: 3 new pods have been updated');
    expect([...ready.keys()].sort()).toEqual(['web-0', 'web-1', 'web-2']);
    expect(violations).toEqual([]);
    const pvcs = () => ok(['get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}']);
    expect(await pvcs()).toBe('data-web-0 data-web-1 data-web-2');

    await ok(['scale', 'sts', 'web', '--replicas=1']);
    await waitFor(() => deleted.length === 2, { timeoutMs: 30_000 });
    abort.abort();
    await watching.catch(() => undefined);
    expect(deleted).toEqual(['web-2', 'web-1']);
    expect(await pvcs()).toBe('data-web-0 data-web-1 data-web-2');
    expect(await ok(['get', 'sts', 'web', '-o', 'jsonpath={.status.replicas}/{.status.readyReplicas}'])).toBe('1/1');
  });
});
