// Acceptance of the process runtime (issue 4) with the real kubectl against
// `mini-kubed --nodes 2 --runtime process`: what packages/kubelet/test/process-e2e.test.ts (logs,
// logs -f, exit 3, CrashLoopBackOff, TERM trap, --force), e2e-statefulset-volumes.test.ts (a claim
// outliving its pod), e2e-restart.test.ts (SIGKILL) and exec.test.ts do not already cover. The
// tests are independent and run concurrently on one daemon.
import { existsSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';

let daemon: Daemon;
const k = async (args: string[], stdin?: string, timeoutMs = 60_000): Promise<string> => {
  const r = await kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} (${r.code}): ${r.stderr}`);
  return r.stdout;
};
const jsonpath = (what: string, path: string): Promise<string> => k(['get', what, '-o', `jsonpath={${path}}`]);
const ready = (pod: string): Promise<string> => k(['wait', '--for=condition=Ready', `pod/${pod}`, '--timeout=60s'], undefined, 70_000);
const httpGet = async (url: string): Promise<string | undefined> => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
};
const isRoot = process.getuid?.() === 0;

const busybox = (name: string, script: string, spec = '', container = ''): string => `apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  terminationGracePeriodSeconds: 1
${spec}
  containers:
  - name: main
    image: busybox:1.36
    command: [sh, -c, ${JSON.stringify(script)}]
${container}`;

describe.skipIf(!hasKubectl())('process runtime acceptance with kubectl', () => {
  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--nodes', '2', '--runtime', 'process', '--crashloop-backoff-max', '2'] });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it.concurrent('exec -- printenv POD_IP prints the pod’s IP', async () => {
    await k(['apply', '-f', '-'], busybox('hello', 'echo hello; sleep 3600'));
    await ready('hello');
    const ip = await jsonpath('pod/hello', '.status.podIP');
    expect(ip).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(await k(['exec', 'hello', '--', 'printenv', 'POD_IP'])).toBe(`${ip}\n`);
    expect(await k(['logs', 'hello'])).toBe('hello\n');
  });

  it.concurrent('a failing httpGet liveness probe restarts the container, with the Killing event', async () => {
    const probe = `    livenessProbe: { httpGet: { path: /healthz, port: 8080 }, periodSeconds: 1, failureThreshold: 2 }\n`;
    await k(['apply', '-f', '-'], busybox('unhealthy', 'echo started; sleep 3600', '', probe));
    await waitFor(async () => Number(await jsonpath('pod/unhealthy', '.status.containerStatuses[0].restartCount')) >= 1, { timeoutMs: 60_000 });
    const describe = await k(['describe', 'pod', 'unhealthy']);
    expect(describe).toMatch(/Warning\s+Unhealthy\s+.*Liveness probe failed/);
    expect(describe).toMatch(/Normal\s+Killing\s+.*Container main failed liveness probe, will be restarted/);
  });

  it.concurrent('a readiness probe drives Ready: not Ready while it fails, Ready again when it passes', async () => {
    const flag = join(daemon.dataDir, 'ready-flag');
    writeFileSync(flag, '');
    const probe = `    readinessProbe: { exec: { command: [test, -f, ${flag}] }, periodSeconds: 1 }\n`;
    await k(['apply', '-f', '-'], busybox('toggling', 'sleep 3600', '', probe));
    await ready('toggling');
    rmSync(flag);
    await k(['wait', '--for=condition=Ready=false', 'pod/toggling', '--timeout=30s']);
    expect(await jsonpath('pod/toggling', '.status.phase')).toBe('Running');
    writeFileSync(flag, '');
    await ready('toggling');
    expect(await jsonpath('pod/toggling', '.status.containerStatuses[0].restartCount')).toBe('0');
  });

  it.concurrent('an nginx Deployment answers on POD_IP:80, then serves a ConfigMap document root and its update', async () => {
    const deployment = (volume: boolean): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{ containerPort: 80 }]
        readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 1 }
${volume ? '        volumeMounts: [{ name: html, mountPath: /usr/share/nginx/html }]\n      volumes: [{ name: html, configMap: { name: html } }]\n' : ''}`;
    const podIPs = async (): Promise<string[]> => (await k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}'])).split(' ').filter(Boolean);
    const pages = async (): Promise<(string | undefined)[]> => Promise.all((await podIPs()).map((ip) => httpGet(`http://${ip}:80/`)));
    const html = (text: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: html }\ndata: { index.html: "${text}" }\n`;

    await k(['apply', '-f', '-'], deployment(false));
    await k(['rollout', 'status', 'deployment/web', '--timeout=90s'], undefined, 100_000);
    const welcome = await pages();
    expect(welcome).toHaveLength(2);
    for (const page of welcome) expect(page).toContain('Welcome to nginx!');

    await k(['apply', '-f', '-'], html('<h1>from a configmap</h1>'));
    await k(['apply', '-f', '-'], deployment(true));
    await k(['rollout', 'status', 'deployment/web', '--timeout=90s'], undefined, 100_000);
    await waitFor(async () => (await pages()).filter((p) => p === '<h1>from a configmap</h1>').length === 2, { timeoutMs: 30_000, message: 'both pods serve the ConfigMap' });

    await k(['apply', '-f', '-'], html('<h1>updated</h1>'));
    await waitFor(async () => (await pages()).filter((p) => p === '<h1>updated</h1>').length === 2, { timeoutMs: 60_000, message: 'the update reaches both pods' });
  });

  it.concurrent('env from a ConfigMap, a Secret and fieldRefs shows in the process; $(VAR) expands', async () => {
    await k(['create', 'configmap', 'settings', '--from-literal=color=blue', '--from-literal=size=large']);
    await k(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']);
    const env = `    env:
    - { name: COLOR, valueFrom: { configMapKeyRef: { name: settings, key: color } } }
    - { name: PASSWORD, valueFrom: { secretKeyRef: { name: creds, key: password } } }
    - { name: MY_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
    - { name: MY_NAMESPACE, valueFrom: { fieldRef: { fieldPath: metadata.namespace } } }
    - { name: MY_NODE, valueFrom: { fieldRef: { fieldPath: spec.nodeName } } }
    - { name: MY_IP, valueFrom: { fieldRef: { fieldPath: status.podIP } } }
    - { name: GREETING, value: "$(MY_NAME) is $(COLOR)" }
    envFrom: [{ configMapRef: { name: settings }, prefix: CFG_ }]
`;
    await k(['apply', '-f', '-'], busybox('envy', 'sleep 3600', '', env));
    await ready('envy');
    const [node, ip] = [await jsonpath('pod/envy', '.spec.nodeName'), await jsonpath('pod/envy', '.status.podIP')];
    const lines = (await k(['exec', 'envy', '--', 'env'])).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining(['COLOR=blue', 'PASSWORD=s3cret', 'MY_NAME=envy', 'MY_NAMESPACE=default', `MY_NODE=${node}`, `MY_IP=${ip}`, 'GREETING=envy is blue', 'CFG_color=blue', 'CFG_size=large']),
    );
  });

  it.concurrent('as root, a container limited to 32Mi that allocates 200 MB is OOMKilled', async (ctx) => {
    if (!isRoot) return ctx.skip('not root: memory limits are not enforced');
    await k(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: { name: hungry }
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: node:20
    command: [node, -e, "const keep = []; for (let i = 0; i < 200; i++) keep.push(Buffer.alloc(1 << 20, 1)); setTimeout(() => {}, 60000)"]
    resources: { limits: { memory: 32Mi } }
`);
    await k(['wait', '--for=jsonpath={.status.phase}=Failed', 'pod/hungry', '--timeout=60s'], undefined, 70_000);
    const describe = await k(['describe', 'pod', 'hungry']);
    expect(describe).toMatch(/Reason:\s+OOMKilled/);
    expect(describe).toMatch(/Exit Code:\s+137/);
  });

  it.concurrent('graceful delete honours the grace period of a container that ignores SIGTERM', async () => {
    const marker = join(daemon.dataDir, 'term-seen');
    await k(['apply', '-f', '-'], busybox('patient', `trap 'echo term > ${marker}' TERM; while true; do sleep 0.1; done`, '  terminationGracePeriodSeconds: 3'));
    await ready('patient');
    const started = Date.now();
    await k(['delete', 'pod', 'patient', '--wait=true']);
    const took = Date.now() - started;
    expect(existsSync(marker)).toBe(true); // SIGTERM arrived first, and was survived
    expect(took).toBeGreaterThanOrEqual(2500);
    expect(took).toBeLessThan(15_000);
  });

  it.concurrent('a file on a PVC survives the deletion and re-creation of its pod', async () => {
    const claim = `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: keep }\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: { requests: { storage: 10Mi } }\n`;
    const volume = `  volumes: [{ name: data, persistentVolumeClaim: { claimName: keep } }]`;
    const mount = `    volumeMounts: [{ name: data, mountPath: /data }]\n`;
    await k(['apply', '-f', '-'], claim);
    await k(['apply', '-f', '-'], busybox('writer', 'echo kept > /data/file; sleep 3600', volume, mount));
    await ready('writer');
    await waitFor(async () => (await k(['exec', 'writer', '--', 'cat', '/data/file'])) === 'kept\n', { timeoutMs: 10_000 });
    await k(['delete', 'pod', 'writer', '--wait=true']);
    await k(['apply', '-f', '-'], busybox('writer', 'sleep 3600', volume, mount));
    await ready('writer');
    expect(await k(['exec', 'writer', '--', 'cat', '/data/file'])).toBe('kept\n');
    expect(await jsonpath('pvc/keep', '.status.phase')).toBe('Bound');
  });

  it.concurrent('kubectl top pods lists cpu and memory of running process pods', async () => {
    await k(['apply', '-f', '-'], busybox('busy', 'while true; do :; done'));
    await ready('busy');
    const row = await waitFor(
      async () => {
        const r = await kubectl(['top', 'pods', 'busy', '--no-headers'], { kubeconfig: daemon.kubeconfig });
        const m = /^busy\s+(\d+)m\s+\d+Mi/.exec(r.stdout);
        return r.code === 0 && m && Number(m[1]) > 0 ? r.stdout : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(row).toMatch(/^busy\s+[1-9]\d*m\s+\d+Mi\s*$/); // a busy shell loop: some cpu, and its memory
    await k(['delete', 'pod', 'busy', '--grace-period=0', '--force']);
  });
});

describe.skipIf(!hasKubectl())('a process node that cannot enforce limits, as kubectl describe shows it', () => {
  let plain: Daemon;
  const d = async (args: string[], stdin?: string): Promise<string> => {
    const r = await kubectl(args, { kubeconfig: plain.kubeconfig, stdin });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  beforeAll(async () => {
    // MINI_KUBE_CGROUPS=off: cgroups are not used even as root, as for a daemon that is not root.
    plain = await startDaemon({ args: ['--nodes', '1', '--runtime', 'process'], env: { MINI_KUBE_CGROUPS: 'off' } });
  });
  afterAll(async () => {
    await plain?.stop();
  });

  it('says so on the node (Ready message, Warning event) and on a pod with limits', async () => {
    await d(['apply', '-f', '-'], busybox('capped', 'sleep 3600', '', '    resources: { limits: { memory: 32Mi, cpu: 100m } }\n'));
    await d(['wait', '--for=condition=Ready', 'pod/capped', '--timeout=60s']);
    const node = await d(['describe', 'node', 'node-1']);
    expect(node).toMatch(/Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status\. Container resource limits are not enforced: cgroups are turned off \(MINI_KUBE_CGROUPS=off\)/);
    expect(node).toMatch(/Warning\s+ResourceLimitsNotEnforced\s+.*Container resource limits are not enforced on this node/);
    const pod = await waitFor(async () => {
      const text = await d(['describe', 'pod', 'capped']);
      return text.includes('ResourceLimitsNotEnforced') ? text : undefined;
    });
    expect(pod).toMatch(/Warning\s+ResourceLimitsNotEnforced\s+.*Resource limits of container main are not enforced: cgroups are turned off/);
  });
});
