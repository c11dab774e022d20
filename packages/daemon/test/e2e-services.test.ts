// Service discovery and Ingress end to end: the real kubectl against
// `mini-kubed --nodes 2 --runtime process --ingress-listen 127.0.0.1:<port>`. A pod started after a
// Service sees its env vars; an Ingress routes by host and by path to two echo Deployments.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, hasKubectl, kubectl, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';

const WEB_SERVICE = `
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 8081, targetPort: 8080 }]
`;

const CLIENT_POD = `
apiVersion: v1
kind: Pod
metadata: { name: client }
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - { name: sh, image: busybox, command: [sleep, '3600'] }
`;

const echo = (name: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: echo-${name} }
spec:
  replicas: 1
  selector: { matchLabels: { app: echo-${name} } }
  template:
    metadata: { labels: { app: echo-${name} } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: echo
        image: hashicorp/http-echo
        args: ['-text=${name}']
        ports: [{ containerPort: 5678 }]
        readinessProbe: { tcpSocket: { port: 5678 }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: echo-${name} }
spec:
  selector: { app: echo-${name} }
  ports: [{ port: 80, targetPort: 5678 }]
`;

const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: echo }
spec:
  ingressClassName: mini-kube
  rules:
  - host: a.local
    http:
      paths: [{ path: /, pathType: Prefix, backend: { service: { name: echo-a, port: { number: 80 } } } }]
  - http:
      paths: [{ path: /b, pathType: Prefix, backend: { service: { name: echo-b, port: { number: 80 } } } }]
`;

/** GET with a chosen Host header (fetch does not let a caller set it). */
function get(port: number, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timed out')));
    req.end();
  });
}

describe.skipIf(!hasKubectl())('Services and Ingress on process nodes', () => {
  let daemon: Daemon;
  let ingressPort: number;
  const ok = async (args: string[], stdin?: string, timeoutMs?: number): Promise<string> => {
    const res = await kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs });
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return res.stdout;
  };

  beforeAll(async () => {
    ingressPort = await freePort();
    daemon = await startDaemon({ args: ['--nodes', '2', '--runtime', 'process', '--ingress-listen', `127.0.0.1:${ingressPort}`] });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('gives a pod the env vars of a Service created before it', async () => {
    await ok(['apply', '-f', '-'], WEB_SERVICE);
    const clusterIP = await ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(clusterIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
    await ok(['apply', '-f', '-'], CLIENT_POD);
    await ok(['wait', '--for=condition=Ready', 'pod/client', '--timeout=60s'], undefined, 70_000);

    expect(await ok(['exec', 'client', '--', 'printenv', 'WEB_SERVICE_HOST'])).toBe(`${clusterIP}\n`);
    expect(await ok(['exec', 'client', '--', 'printenv', 'WEB_SERVICE_PORT'])).toBe('8081\n');
    expect(await ok(['exec', 'client', '--', 'printenv', 'WEB_PORT_8081_TCP'])).toBe(`tcp://${clusterIP}:8081\n`);
    // Every pod also gets the `kubernetes` Service of the default namespace.
    expect(await ok(['exec', 'client', '--', 'printenv', 'KUBERNETES_SERVICE_HOST'])).toMatch(/^127\./);
  }, 120_000);

  it('routes by host and by path through the Ingress listener', async () => {
    await ok(['apply', '-f', '-'], echo('a') + '---' + echo('b') + '---' + INGRESS);
    await ok(['rollout', 'status', 'deployment/echo-a', '--timeout=60s'], undefined, 70_000);
    await ok(['rollout', 'status', 'deployment/echo-b', '--timeout=60s'], undefined, 70_000);

    const answer = async (host: string, path: string): Promise<string | undefined> => {
      const res = await get(ingressPort, host, path);
      return res.status === 200 ? res.body.trim() : undefined;
    };
    expect(await waitFor(() => answer('a.local', '/'), { timeoutMs: 30_000, message: 'a.local answered' })).toBe('a');
    expect(await waitFor(() => answer('other.local', '/b'), { timeoutMs: 30_000, message: '/b answered' })).toBe('b');
    // The host rule wins for its host, whatever the path; other hosts off /b have no route.
    expect(await answer('a.local', '/b')).toBe('a');
    expect((await get(ingressPort, 'other.local', '/')).status).toBe(404);
    expect(await ok(['get', 'ingress', 'echo', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])).toBe('127.0.0.1');
  }, 150_000);
});
