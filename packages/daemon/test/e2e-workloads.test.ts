// The control loops end to end: the real kubectl against `mini-kubed --nodes 3 --runtime sim`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResource, type KObject } from '@mini-kube/api';
import { hasKubectl, kubectl, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';

const pods = findResource('', 'v1', 'pods')!;

interface PodView {
  ready: boolean;
  terminating: boolean;
  node?: string;
}

function podView(pod: KObject): PodView {
  const status = pod.status as { conditions?: { type: string; status: string }[] } | undefined;
  return {
    ready: status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    terminating: !!pod.metadata.deletionTimestamp,
    node: (pod.spec as { nodeName?: string }).nodeName,
  };
}

describe.skipIf(!hasKubectl())('workloads on simulated nodes', () => {
  let daemon: Daemon;
  const k = (args: string[], stdin?: string, timeoutMs?: number) => kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs });
  const ok = async (args: string[], stdin?: string, timeoutMs?: number): Promise<string> => {
    const res = await k(args, stdin, timeoutMs);
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return res.stdout;
  };
  const podsOf = async (selector: string): Promise<KObject[]> => (await daemon.client.list(pods, { namespace: 'default', labelSelector: selector })).items;

  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--nodes', '3', '--runtime', 'sim', '--node-monitor-grace-period', '4', '--default-toleration-seconds', '2'] });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('rolls out a deployment spread over the nodes, and scales it', async () => {
    expect(await ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3'])).toContain('deployment.apps/web created');
    expect(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'], undefined, 70_000)).toContain('deployment "web" successfully rolled out');
    const placed = (await podsOf('app=web')).map((p) => podView(p).node);
    expect(new Set(placed).size).toBe(3);

    await ok(['scale', 'deployment', 'web', '--replicas=10']);
    await waitFor(async () => (await podsOf('app=web')).filter((p) => podView(p).ready).length === 10, { timeoutMs: 30_000 });
    await ok(['scale', 'deployment', 'web', '--replicas=2']);
    await waitFor(async () => (await podsOf('app=web')).length === 2, { timeoutMs: 30_000 });
    const rs = await ok(['get', 'rs', '-l', 'app=web']);
    expect(rs).toMatch(/^web-[a-z0-9]+\s+2\s+2\s+2\s/m);
  });

  it('rolls an image change within maxSurge/maxUnavailable, keeps history, and rolls back', async () => {
    await ok(['scale', 'deployment', 'web', '--replicas=4']);
    await ok(['patch', 'deployment', 'web', '-p', '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":1}}}}']);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'], undefined, 70_000);
    const firstRs = (await ok(['get', 'rs', '-l', 'app=web', '-o', 'name'])).trim();

    // Watch every pod throughout the rollout.
    const view = new Map<string, PodView>();
    let maxTotal = 0;
    let minReady = Infinity;
    const abort = new AbortController();
    const watching = (async () => {
      for await (const ev of daemon.client.watch(pods, { namespace: 'default', labelSelector: 'app=web', signal: abort.signal })) {
        if (ev.type === 'DELETED') view.delete(ev.object.metadata.name!);
        else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') view.set(ev.object.metadata.name!, podView(ev.object));
        const live = [...view.values()].filter((p) => !p.terminating);
        maxTotal = Math.max(maxTotal, live.length);
        if (view.size >= 4) minReady = Math.min(minReady, live.filter((p) => p.ready).length);
      }
    })();
    await waitFor(() => view.size === 4, { timeoutMs: 10_000 });

    await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.25']);
    // The change cause is copied to the deployment's current (new) ReplicaSet, as in Kubernetes.
    await ok(['annotate', 'deployment', 'web', 'kubernetes.io/change-cause=image 1.25']);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'], undefined, 70_000);
    abort.abort();
    await watching.catch(() => undefined);
    expect(maxTotal).toBeLessThanOrEqual(5);
    expect(minReady).toBeGreaterThanOrEqual(3);

    // The controller copies the change cause to the ReplicaSet on its next sync.
    await waitFor(async () => /^2\s+image 1\.25$/m.test(await ok(['rollout', 'history', 'deployment/web'])), { timeoutMs: 10_000 });
    expect(await ok(['rollout', 'history', 'deployment/web'])).toMatch(/^1\s+<none>$/m);

    expect(await ok(['rollout', 'undo', 'deployment/web'])).toContain('deployment.apps/web rolled back');
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'], undefined, 70_000);
    const image = await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    expect(image).toBe('nginx');
    // The first ReplicaSet is reused and renumbered: history now shows 2 and 3.
    expect((await ok(['get', 'rs', '-l', 'app=web', '-o', 'name'])).split('\n')).toContain(firstRs);
    const after = await ok(['rollout', 'history', 'deployment/web']);
    expect(after).toMatch(/^2\s+image 1\.25$/m);
    expect(after).toMatch(/^3\s+/m);
    expect(after).not.toMatch(/^1\s+/m);

    expect(await ok(['rollout', 'undo', 'deployment/web', '--to-revision=2'])).toContain('rolled back');
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'], undefined, 70_000);
    expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.25');
  });

  it('pauses, resumes and restarts a rollout', async () => {
    const rsCount = async () => (await ok(['get', 'rs', '-l', 'app=web', '-o', 'name'])).trim().split('\n').length;
    const before = await rsCount();
    await ok(['rollout', 'pause', 'deployment/web']);
    await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.26']);
    // Paused: the controller observes the change but makes no new ReplicaSet.
    await waitFor(async () => {
      const d = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json']));
      return d.status.observedGeneration === d.metadata.generation;
    }, { timeoutMs: 10_000 });
    expect(await rsCount()).toBe(before);
    await ok(['rollout', 'resume', 'deployment/web']);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'], undefined, 70_000);
    expect(await rsCount()).toBe(before + 1);
    await ok(['rollout', 'restart', 'deployment/web']);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'], undefined, 70_000);
    expect(await rsCount()).toBe(before + 2);
  });

  it('fails rollout status when pods never become ready', async () => {
    const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: stuck}
spec:
  replicas: 1
  progressDeadlineSeconds: 3
  selector: {matchLabels: {app: stuck}}
  template:
    metadata:
      labels: {app: stuck}
      annotations: {sim.mini-kube.io/never-ready: "true"}
    spec:
      containers: [{name: c, image: nginx}]
`;
    await ok(['apply', '-f', '-'], manifest);
    const res = await k(['rollout', 'status', 'deployment/stuck', '--timeout=60s'], undefined, 70_000);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('deployment "stuck" exceeded its progress deadline');
    await ok(['delete', 'deployment', 'stuck']);
  });

  it('replaces a deleted pod, and cascades deletion (background, orphan, foreground)', async () => {
    const replicas = Number(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']));
    const [victim] = await podsOf('app=web');
    await ok(['delete', 'pod', victim!.metadata.name!]);
    await waitFor(async () => {
      const now = await podsOf('app=web');
      return now.length === replicas && !now.some((p) => p.metadata.uid === victim!.metadata.uid) && now.every((p) => podView(p).ready);
    }, { timeoutMs: 20_000 });

    const make = (name: string) => ok(['create', 'deployment', name, '--image=nginx', '--replicas=2']);
    await make('orphaned');
    await make('fg');
    await waitFor(async () => (await podsOf('app=orphaned')).length === 2 && (await podsOf('app=fg')).length === 2, { timeoutMs: 20_000 });

    await ok(['delete', 'deployment', 'orphaned', '--cascade=orphan']);
    const rs = await ok(['get', 'rs', '-l', 'app=orphaned', '-o', 'json']);
    const orphanRs = JSON.parse(rs).items;
    expect(orphanRs).toHaveLength(1);
    await waitFor(async () => !JSON.parse(await ok(['get', 'rs', '-l', 'app=orphaned', '-o', 'json'])).items[0].metadata.ownerReferences, { timeoutMs: 10_000 });

    await ok(['delete', 'deployment', 'fg', '--cascade=foreground'], undefined, 60_000);
    // --cascade=foreground waits for the deployment to go, which happens only after its dependents.
    expect((await podsOf('app=fg')).filter((p) => !podView(p).terminating)).toHaveLength(0);
    expect(JSON.parse(await ok(['get', 'rs', '-l', 'app=fg', '-o', 'json'])).items).toHaveLength(0);

    await ok(['delete', 'rs', '-l', 'app=orphaned']);
    await waitFor(async () => (await podsOf('app=orphaned')).length === 0, { timeoutMs: 20_000 });
  });

  it('respects cordon, drain and taints', async () => {
    await ok(['cordon', 'node-1']);
    const before = new Set((await podsOf('app=web')).map((p) => p.metadata.name));
    await ok(['scale', 'deployment', 'web', '--replicas=6']);
    await waitFor(async () => (await podsOf('app=web')).filter((p) => podView(p).ready).length === 6, { timeoutMs: 20_000 });
    const added = (await podsOf('app=web')).filter((p) => !before.has(p.metadata.name));
    expect(added.length).toBeGreaterThan(0);
    expect(added.filter((p) => podView(p).node === 'node-1')).toHaveLength(0);

    await ok(['drain', 'node-2', '--ignore-daemonsets', '--timeout=60s'], undefined, 70_000);
    await waitFor(async () => {
      const now = await podsOf('app=web');
      return now.length === 6 && now.every((p) => podView(p).ready && podView(p).node !== 'node-2');
    }, { timeoutMs: 30_000 });

    await ok(['uncordon', 'node-1']);
    await ok(['uncordon', 'node-2']);
    await ok(['taint', 'node', 'node-1', 'dedicated=special:NoSchedule']);
    await ok(['taint', 'node', 'node-2', 'dedicated=special:NoSchedule']);
    const tolerant = `apiVersion: v1
kind: Pod
metadata: {name: tolerant}
spec:
  nodeSelector: {kubernetes.io/hostname: node-1}
  tolerations: [{key: dedicated, operator: Equal, value: special, effect: NoSchedule}]
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: intolerant}
spec:
  nodeSelector: {kubernetes.io/hostname: node-1}
  containers: [{name: c, image: nginx}]
`;
    await ok(['apply', '-f', '-'], tolerant);
    await waitFor(async () => (await ok(['get', 'pod', 'tolerant', '-o', 'jsonpath={.status.phase}'])) === 'Running', { timeoutMs: 20_000 });
    await waitFor(async () => (await k(['get', 'events', '--field-selector', 'involvedObject.name=intolerant,reason=FailedScheduling', '-o', 'name'])).stdout.trim() !== '', { timeoutMs: 20_000 });
    expect(await ok(['get', 'pod', 'intolerant', '-o', 'jsonpath={.spec.nodeName}'])).toBe('');
    await ok(['taint', 'node', 'node-1', 'dedicated-']);
    await ok(['taint', 'node', 'node-2', 'dedicated-']);
    await ok(['delete', 'pod', 'tolerant', 'intolerant']);
  });

  it('keeps a pod that fits nowhere Pending with the reason in describe', async () => {
    await ok(['run', 'huge', '--image=nginx', '--overrides={"spec":{"containers":[{"name":"huge","image":"nginx","resources":{"requests":{"cpu":"64"}}}]}}']);
    await waitFor(async () => (await ok(['describe', 'pod', 'huge'])).includes('FailedScheduling'), { timeoutMs: 20_000 });
    const described = await ok(['describe', 'pod', 'huge']);
    expect(described).toMatch(/^Status:\s+Pending$/m);
    expect(described).toContain('0/3 nodes are available: 3 Insufficient cpu.');
    await ok(['delete', 'pod', 'huge']);
  });

  it('recreates the pods of a node that stops heartbeating on the other nodes', async () => {
    await ok(['scale', 'deployment', 'web', '--replicas=6']);
    await waitFor(async () => (await podsOf('app=web')).filter((p) => podView(p).ready).length === 6, { timeoutMs: 20_000 });
    const victims = (await podsOf('app=web')).filter((p) => podView(p).node === 'node-3');
    expect(victims.length).toBeGreaterThan(0);
    const res = await daemon.client.request('POST', '/debug/mini-kube/nodes/node-3/heartbeat', { query: { enabled: 'false' } });
    expect(res.statusCode).toBe(200);
    await waitFor(async () => (await ok(['get', 'node', 'node-3'])).includes('NotReady'), { timeoutMs: 30_000 });
    await waitFor(async () => {
      const now = (await podsOf('app=web')).filter((p) => !podView(p).terminating);
      return now.length === 6 && now.every((p) => podView(p).ready && podView(p).node !== 'node-3');
    }, { timeoutMs: 40_000 });
    await daemon.client.request('POST', '/debug/mini-kube/nodes/node-3/heartbeat', { query: { enabled: 'true' } });
    await waitFor(async () => /node-3\s+Ready\s/.test(await ok(['get', 'node', 'node-3'])), { timeoutMs: 30_000 });
  });
});
