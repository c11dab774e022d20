// Issue 5's acceptance with the real kubectl against `mini-kubed --nodes 3 --runtime process`: an
// echo Deployment of 3 behind a ClusterIP Service answers from all 3 pods through the cluster IP,
// and deleting a pod mid-loop fails no request once its endpoint is gone. Skipped while the daemon
// does not offer the process runtime.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResource } from '@mini-kube/api';
import { hasKubectl, kubectl, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';

const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: echo }
spec:
  replicas: 3
  selector: { matchLabels: { app: echo } }
  template:
    metadata: { labels: { app: echo } }
    spec:
      containers:
      - name: echo
        image: hashicorp/http-echo
        args: ["-text=$(POD_NAME)", "-listen=:5678"]
        env: [{ name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }]
        ports: [{ name: http, containerPort: 5678 }]
        readinessProbe: { tcpSocket: { port: http }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: echo }
spec:
  selector: { app: echo }
  ports: [{ port: 80, targetPort: http }]
`;

let daemon: Daemon | undefined;
let unsupported = '';

beforeAll(async () => {
  try {
    daemon = await startDaemon({ args: ['--nodes', '3', '--runtime', 'process'] });
  } catch (err) {
    unsupported = (err as Error).message.split('\n')[0]!;
  }
});
afterAll(async () => {
  await daemon?.stop();
});

/** One GET on a new connection: the text of the pod that answered. */
function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body.trim()));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const readyEndpoints = async (d: Daemon): Promise<string[]> =>
  (await d.client.list(SLICES, { namespace: 'default', labelSelector: 'kubernetes.io/service-name=echo' })).items.flatMap((s) =>
    ((s as unknown as { endpoints?: { conditions?: { ready?: boolean }; targetRef?: { name: string } }[] }).endpoints ?? [])
      .filter((e) => e.conditions?.ready)
      .map((e) => e.targetRef!.name),
  );

describe('Services balance traffic over process pods (e2e)', () => {
  it('30 requests to the cluster IP reach all 3 pods; deleting one mid-loop fails nothing after its endpoint goes', async (ctx) => {
    if (!hasKubectl() || unsupported) ctx.skip(unsupported || 'kubectl is not installed');
    const d = daemon!;
    const opts = { kubeconfig: d.kubeconfig };
    expect((await kubectl(['apply', '-f', '-'], { ...opts, stdin: MANIFEST })).code).toBe(0);
    const ip = (await kubectl(['get', 'svc', 'echo', '-o', 'jsonpath={.spec.clusterIP}'], opts)).stdout.trim();
    await waitFor(async () => (await readyEndpoints(d)).length === 3, { timeoutMs: 30_000, message: '3 ready endpoints' });
    await waitFor(() => get(ip, 80).catch(() => undefined), { message: 'the cluster IP answering' });

    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await get(ip, 80));
    const pods = (await readyEndpoints(d)).sort();
    expect([...new Set(answers)].sort()).toEqual(pods);

    const victim = pods[0]!;
    expect((await kubectl(['delete', 'pod', victim, '--wait=false'], opts)).code).toBe(0);
    // Requests keep flowing while the pod goes; those in flight to it may fail: one at most, as the
    // loop sends one at a time (a refused connection is retried on another pod, so it does not fail).
    let stop = false;
    const failedWhileGoing: string[] = [];
    const background = (async () => {
      while (!stop) await get(ip, 80).catch((err: Error) => failedWhileGoing.push(err.message));
    })();
    await waitFor(async () => !(await readyEndpoints(d)).includes(victim), { timeoutMs: 30_000, message: `${victim} out of the endpoints` });
    const failuresAfterGone: string[] = [];
    for (let i = 0; i < 30; i++) {
      const answer = await get(ip, 80).catch((err: Error) => `failed: ${err.message}`);
      if (answer === victim || answer.startsWith('failed')) failuresAfterGone.push(answer);
    }
    stop = true;
    await background;
    expect(failuresAfterGone).toEqual([]);
    expect(failedWhileGoing.length).toBeLessThanOrEqual(1);
  });
});
