// describe and rollout against the real kubectl on one daemon with simulated nodes: identical
// output (ages normalised) for describe of the common kinds, rollout status/history/undo parity,
// and the beyond-kubectl parts (history --diff, fail-fast status on crash-looping pods).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, makeTempDir, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';
import { miniKubectl, normaliseAges } from './mini.js';

const SCENARIO = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}, annotations: {team: core}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27", ports: [{containerPort: 80}], env: [{name: A, value: "1"}], resources: {requests: {cpu: 100m, memory: 64Mi}}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: solo, labels: {run: solo}}
spec:
  containers: [{name: c, image: busybox, command: [sleep, "1000"]}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: "1"}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
stringData: {user: admin}
---
apiVersion: batch/v1
kind: Job
metadata: {name: job1}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: j, image: busybox}]
`;

describe.skipIf(!hasKubectl())('describe and rollout match kubectl', () => {
  let daemon: Daemon;
  let cacheDir: string;
  const k = (args: string[], stdin?: string) => kubectl(args, { kubeconfig: daemon.kubeconfig, stdin });
  const m = (args: string[], stdin?: string) => miniKubectl(args, daemon.kubeconfig, cacheDir, stdin);
  // Live objects move between the two runs (a node's lease is renewed every few seconds), so a
  // difference is checked again on fresh output before it counts; a real mismatch stays.
  const same = async (args: string[]) => {
    const seen = (r: { code: number; stdout: string; stderr: string }) => ({ args, code: r.code, stdout: normaliseAges(r.stdout), stderr: r.stderr });
    for (let attempt = 1; ; attempt++) {
      const [mine, real] = [await m(args), await k(args)];
      if (attempt === 3 || JSON.stringify(seen(mine)) === JSON.stringify(seen(real))) {
        expect(seen(mine)).toEqual(seen(real));
        return mine;
      }
    }
  };

  beforeAll(async () => {
    cacheDir = makeTempDir('mini-kubectl-cache-');
    daemon = await startDaemon({ args: ['--nodes', '2', '--runtime', 'sim'] });
    expect((await k(['apply', '-f', '-'], SCENARIO)).code).toBe(0);
    await waitFor(async () => (await k(['rollout', 'status', 'deploy/web', '--timeout=1s'])).code === 0, { timeoutMs: 20_000 });
  }, 60_000);
  afterAll(async () => {
    await daemon?.stop();
  });

  it.each([['pod', 'solo'], ['deploy', 'web'], ['svc', 'web'], ['rs'], ['cm', 'cfg'], ['secret', 'sec'], ['job', 'job1'], ['node', 'node-1'], ['ns', 'default'], ['pods', '-l', 'app=web']])('describe %s %s', async (...args) => {
    const out = await same(['describe', ...args]);
    expect(out.stdout).toMatch(/^Name:/);
  });

  it('describes a missing object with kubectl\'s error and exit code', async () => {
    expect((await same(['describe', 'pod', 'nope'])).code).toBe(1);
  });

  it('logs: the server\'s answer for one pod, a deployment\'s pod and -l --prefix, like kubectl', async () => {
    for (const args of [['logs', 'solo'], ['logs', 'deploy/web'], ['logs', '-l', 'app=web', '--prefix'], ['logs', 'nope'], ['logs', 'solo', '--tail=2', '--timestamps']]) {
      const mine = await m(args);
      const real = await k(args);
      expect({ args, code: mine.code, stdout: mine.stdout, stderr: mine.stderr.replace(/web-[a-z0-9]+-[a-z0-9]+/g, 'POD') }).toEqual({ args, code: real.code, stdout: real.stdout, stderr: real.stderr.replace(/web-[a-z0-9]+-[a-z0-9]+/g, 'POD') });
    }
  });

  it('rolls out, lists history with --diff, undoes and pauses like kubectl', async () => {
    expect((await k(['set', 'image', 'deploy/web', 'web=nginx:1.28'])).code).toBe(0);
    const status = await m(['rollout', 'status', 'deploy/web', '--timeout=30s']);
    expect([status.code, status.stdout.trim().split('\n').pop()]).toEqual([0, 'deployment "web" successfully rolled out']);
    await same(['rollout', 'history', 'deploy/web']);
    await same(['rollout', 'history', 'deploy/web', '--revision=1']);
    await same(['rollout', 'history', 'deploy/web', '--revision=9']);
    const diff = await m(['rollout', 'history', 'deploy/web', '--diff']);
    expect(diff.stdout).toContain('Revision 1 -> 2:\n  ~ spec.containers[web].image: "nginx:1.27" -> "nginx:1.28"\n');
    await same(['rollout', 'undo', 'deploy/web', '--to-revision=9']);
    expect((await m(['rollout', 'undo', 'deploy/web', '--to-revision=1'])).stdout).toBe('deployment.apps/web rolled back\n');
    expect((await m(['rollout', 'status', 'deploy/web', '--timeout=30s'])).code).toBe(0);
    expect((await m(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout).toBe('nginx:1.27');
    expect((await m(['rollout', 'pause', 'deploy/web'])).stdout).toBe('deployment.apps/web paused\n');
    await same(['rollout', 'pause', 'deploy/web']);
    await same(['rollout', 'undo', 'deploy/web']);
    await same(['rollout', 'restart', 'deploy/web']);
    expect((await m(['rollout', 'resume', 'deploy/web'])).stdout).toBe('deployment.apps/web resumed\n');
    await same(['rollout', 'resume', 'deploy/web']);
    await same(['rollout', 'status', 'deploy/web', '--watch=false', '--revision=99']);
  }, 90_000);

  it('fails fast when the new pods crash-loop, and times out with --wait-on-errors', async () => {
    const crash = { spec: { template: { metadata: { annotations: { 'sim.mini-kube.io/exit-code': '1' } } } } };
    expect((await k(['patch', 'deploy/web', '-p', JSON.stringify(crash)])).code).toBe(0);
    const fast = await m(['rollout', 'status', 'deploy/web', '--timeout=30s']);
    expect(fast.code).toBe(1);
    expect(fast.stderr).toMatch(/^error: deployment "web" rollout failed: pod "web-[a-z0-9-]+" container "web" is in CrashLoopBackOff/);
    const patient = await m(['rollout', 'status', 'deploy/web', '--timeout=3s', '--wait-on-errors']);
    expect([patient.code, patient.stderr]).toEqual([1, 'error: timed out waiting for the condition\n']);
  }, 60_000);
});
