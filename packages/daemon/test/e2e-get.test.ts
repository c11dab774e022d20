// The real kubectl reading and editing objects: get in every output, describe, label, annotate,
// patch, delete, watch, discovery and explain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, kubectlStream, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';

const pod = (name: string, labels: Record<string, string>, ns = 'default') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: ${JSON.stringify(labels)}
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

describe.skipIf(!hasKubectl())('kubectl get, describe, label, patch, delete, watch', () => {
  let daemon: Daemon;
  const k = (args: string[], stdin?: string) => kubectl(args, { kubeconfig: daemon.kubeconfig, stdin });

  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--nodes', '0'] });
    await k(['create', 'namespace', 'team']);
    const created = await k(['apply', '-f', '-'], [pod('a', { app: 'web', tier: 'fe' }), pod('b', { app: 'db' }), pod('c', { app: 'web' }, 'team'), deployment].join('---\n'));
    expect(created.stderr).toBe('');
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('prints server-side tables like a real cluster', async () => {
    const res = await k(['get', 'pods', '-l', 'app in (web,db)']);
    const lines = res.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
      ['a', '0/1', 'Pending', '0'],
      ['b', '0/1', 'Pending', '0'],
    ]);
    const wide = await k(['get', 'pods', '-o', 'wide']);
    expect(wide.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    const all = await k(['get', 'pods,deploy,svc', '-A']);
    expect(all.stdout).toMatch(/^NAMESPACE\s+NAME\s+READY/m);
    expect(all.stdout).toMatch(/^team\s+pod\/c\s/m);
    expect(all.stdout).toMatch(/^default\s+deployment\.apps\/web\s+0\/3\s/m);
    expect(all.stdout).toMatch(/^default\s+service\/kubernetes\s+ClusterIP\s+127\.\d+\.\d+\.1\s+<none>\s+443\/TCP/m);
  });

  it('prints yaml, json, name and jsonpath, filtered by labels and fields', async () => {
    expect((await k(['get', 'pods', '-l', 'app=web', '-o', 'name'])).stdout.trim()).toBe('pod/a');
    expect((await k(['get', 'pods', '-A', '-l', 'app in (web)', '-o', 'name'])).stdout.trim().split('\n')).toEqual(['pod/a', 'pod/c']);
    expect((await k(['get', 'pods', '-l', 'app notin (web,frontend),!tier', '-o', 'name'])).stdout.trim()).toBe('pod/b');
    expect((await k(['get', 'pods', '--field-selector', 'metadata.name=b', '-o', 'name'])).stdout.trim()).toBe('pod/b');
    expect((await k(['get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name'])).stdout.trim()).toBe('');
    const json = JSON.parse((await k(['get', 'pod', 'a', '-o', 'json'])).stdout);
    expect(json).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'default' }, status: { phase: 'Pending', qosClass: 'BestEffort' } });
    expect(json.spec.containers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' });
    expect(json.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 });
    const yaml = (await k(['get', 'deploy', 'web', '-o', 'yaml'])).stdout;
    expect(yaml).toMatch(/^kind: Deployment$/m);
    expect(yaml).toMatch(/^ {4}type: RollingUpdate$/m);
    expect((await k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}'])).stdout).toBe('3 nginx:1.27');
  });

  it('describes a pod and a deployment', async () => {
    const pod = await k(['describe', 'pod', 'a']);
    expect(pod.code).toBe(0);
    expect(pod.stdout).toMatch(/^Name:\s+a$/m);
    expect(pod.stdout).toMatch(/^Labels:\s+app=web$/m);
    expect(pod.stdout).toMatch(/^Status:\s+Pending$/m);
    expect(pod.stdout).toMatch(/^QoS Class:\s+BestEffort$/m);
    const deploy = await k(['describe', 'deployment', 'web']);
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toMatch(/^Selector:\s+app=frontend$/m);
    expect(deploy.stdout).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    expect(deploy.stdout).toMatch(/^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
  });

  it('labels, annotates and patches with all three patch types', async () => {
    expect((await k(['label', 'pod', 'b', 'tier=db'])).stdout.trim()).toBe('pod/b labeled');
    expect((await k(['annotate', 'pod', 'b', 'note=hi'])).stdout.trim()).toBe('pod/b annotated');
    expect((await k(['label', 'pod', 'b', 'tier-'])).stdout.trim()).toBe('pod/b unlabeled');
    const b = JSON.parse((await k(['get', 'pod', 'b', '-o', 'json'])).stdout);
    expect(b.metadata.labels).toEqual({ app: 'db' });
    expect(b.metadata.annotations.note).toBe('hi');

    expect((await k(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":4}}'])).stdout.trim()).toBe('deployment.apps/web patched');
    const smp = '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}';
    await k(['patch', 'deploy', 'web', '--type', 'strategic', '-p', smp]);
    await k(['patch', 'deploy', 'web', '--type', 'merge', '-p', '{"metadata":{"labels":{"patched":"merge"}}}']);
    await k(['patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"add","path":"/spec/minReadySeconds","value":5}]']);
    const web = JSON.parse((await k(['get', 'deploy', 'web', '-o', 'json'])).stdout);
    expect(web.spec.replicas).toBe(4);
    expect(web.spec.template.spec.containers).toHaveLength(1);
    expect(web.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    expect(web.metadata.labels.patched).toBe('merge');
    expect(web.spec.minReadySeconds).toBe(5);
    const noop = await k(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":4}}']);
    expect(noop.stdout.trim()).toBe('deployment.apps/web patched (no change)');
  });

  it('watches live: ADDED, MODIFIED, DELETED', async () => {
    const watch = kubectlStream(['get', 'pods', '-w', '--output-watch-events'], { kubeconfig: daemon.kubeconfig });
    try {
      await watch.waitForLine(/ADDED\s+a\s/);
      await k(['apply', '-f', '-'], pod('w1', { app: 'watched' }));
      await watch.waitForLine(/ADDED\s+w1\s+0\/1\s+Pending/);
      await k(['label', 'pod', 'w1', 'more=yes']);
      await watch.waitForLine(/MODIFIED\s+w1\s/);
      await k(['delete', 'pod', 'w1']);
      await watch.waitForLine(/DELETED\s+w1\s/);
    } finally {
      await watch.stop();
    }
  });

  it('deletes a pod, and a namespace with its contents', async () => {
    expect((await k(['delete', 'pod', 'b'])).stdout.trim()).toBe('pod "b" deleted');
    const gone = await k(['get', 'pod', 'b']);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toBe('Error from server (NotFound): pods "b" not found');
    expect((await k(['delete', 'ns', 'team'])).stdout.trim()).toBe('namespace "team" deleted');
    await waitFor(async () => (await k(['get', 'ns', 'team'])).code === 1, { timeoutMs: 15_000 });
    expect((await k(['get', 'pods', '-n', 'team', '-o', 'name'])).stdout).toBe('');
    const protectedNs = await k(['delete', 'ns', 'default']);
    expect(protectedNs.code).toBe(1);
    expect(protectedNs.stderr).toContain('this namespace may not be deleted');
  });

  it('answers discovery, explain and raw paths', async () => {
    const resources = await k(['api-resources']);
    expect(resources.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(resources.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(resources.stdout).toMatch(/^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m);
    const explain = await k(['explain', 'deployment.spec']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toMatch(/^KIND:\s+Deployment$/m);
    expect(explain.stdout).toMatch(/^\s+replicas\s+<integer>$/m);
    expect((await k(['get', '--raw', '/readyz'])).stdout).toBe('ok');
  });
});
