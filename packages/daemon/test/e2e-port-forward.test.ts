// port-forward end to end: `mini-kubed --nodes 1 --runtime process` runs an nginx Deployment
// whose document root holds a 3 MB file (written by an init container) behind a Service. The real
// kubectl (WebSocket-tunnelled SPDY, and plain SPDY with KUBECTL_PORT_FORWARD_WEBSOCKETS=false) and
// mini-kubectl forward local ports to pod/…, deploy/… and svc/…; requests, concurrent ones and
// large bodies go through; a TCP echo pod (node, as a busybox command) sends megabytes back over
// half-closed connections; a port nothing listens on is reported as kubectl reports it.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, KubectlStream, kubectlStream, makeTempDir, REPO_ROOT, startDaemon, type Daemon } from '@mini-kube/testing';

const BIG = 3_000_000;

const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 1
      initContainers:
      - name: fill
        image: busybox
        command: [sh, -c, 'head -c ${BIG} /dev/urandom > /html/big.bin && echo hello > /html/index.html']
        volumeMounts: [{ name: html, mountPath: /html }]
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{ name: http, containerPort: 80 }]
        readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 1 }
        volumeMounts: [{ name: html, mountPath: /usr/share/nginx/html }]
      volumes: [{ name: html, emptyDir: {} }]
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: web, port: 8080, targetPort: http }]
---
apiVersion: v1
kind: Pod
metadata: { name: echo }
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: echo
    image: busybox
    command: [${JSON.stringify(process.execPath)}, -e, 'require("net").createServer({ allowHalfOpen: true }, (s) => s.pipe(s)).listen(9000, process.env.POD_IP)']
    ports: [{ name: echo, containerPort: 9000 }]
    readinessProbe: { tcpSocket: { port: 9000 }, periodSeconds: 1 }
`;

/** Sends `body` to the echo pod through `port`, half-closes, and resolves with what came back. */
function echoed(port: number, body: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => (socket.end(), resolve(Buffer.concat(chunks))));
    socket.on('error', reject);
    socket.setTimeout(20_000, () => socket.destroy(new Error('echo timed out')));
    socket.end(body);
  });
}

interface Reply {
  status: number;
  body: Buffer;
}

/** A request through the forwarded port (a fresh connection each time). */
function call(port: number, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

describe.skipIf(!hasKubectl())('port-forward (kubectl and mini-kubectl)', () => {
  let daemon: Daemon;
  let bigSum: string;
  const running: KubectlStream[] = [];
  const cacheDir = makeTempDir('mini-kubectl-cache-');

  const k = (args: string[]) => kubectl(args, { kubeconfig: daemon.kubeconfig, timeoutMs: 90_000 });
  const kubectlForward = (args: string[], env: NodeJS.ProcessEnv = {}): KubectlStream => {
    const stream = kubectlStream(['port-forward', '--address=127.0.0.1', ...args], { kubeconfig: daemon.kubeconfig, env });
    running.push(stream);
    return stream;
  };
  const miniForward = (args: string[], env: NodeJS.ProcessEnv = {}): KubectlStream => {
    const child = spawn(join(REPO_ROOT, 'bin', 'mini-kubectl'), ['--kubeconfig', daemon.kubeconfig, '--cache-dir', cacheDir, 'port-forward', '--address=127.0.0.1', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stream = new KubectlStream(child, args);
    running.push(stream);
    return stream;
  };
  /** The local port once the forwarder says it listens on 127.0.0.1. */
  const forwarding = async (pf: KubectlStream, remote: number): Promise<number> => {
    const line = await pf.waitForLine(/^Forwarding from 127\.0\.0\.1:\d+ -> \d+$/, 30_000).catch((err: Error) => {
      throw new Error(`${err.message}\nstderr:\n${pf.stderr()}`);
    });
    expect(line).toMatch(new RegExp(` -> ${remote}$`));
    return Number(/:(\d+) ->/.exec(line)![1]);
  };

  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--nodes', '1', '--runtime', 'process'] });
    const applied = await kubectl(['apply', '-f', '-'], { kubeconfig: daemon.kubeconfig, stdin: WEB });
    expect(applied.code, applied.stderr).toBe(0);
    const ready = await k(['rollout', 'status', 'deployment/web', '--timeout=80s']);
    expect(ready.code, ready.stderr + daemon.output()).toBe(0);
    const echo = await k(['wait', '--for=condition=Ready', 'pod/echo', '--timeout=60s']);
    expect(echo.code, echo.stderr + daemon.output()).toBe(0);
  }, 120_000);

  let stopped = false;
  afterAll(async () => {
    await Promise.all(running.map((pf) => pf.stop()));
    if (!stopped) await daemon?.stop();
  });

  /** Bodies of several sizes, at once, come back whole from the echo pod through `port`. */
  async function echoAll(port: number): Promise<void> {
    const bodies = [10, 5_000_000, 1_000_000, 100_000].map((n) => randomBytes(n));
    const answers = await Promise.all(bodies.map((b) => echoed(port, b)));
    for (const [i, answer] of answers.entries()) {
      expect(answer.length).toBe(bodies[i]!.length);
      expect(answer.equals(bodies[i]!)).toBe(true);
    }
  }

  /** Plain, concurrent and large requests through `port`. */
  async function exercise(port: number): Promise<void> {
    const first = await call(port, '/');
    expect(first).toMatchObject({ status: 200 });
    expect(first.body.toString()).toBe('hello\n');
    const big = await call(port, '/big.bin');
    expect(big.body.length).toBe(BIG);
    bigSum ??= md5(big.body);
    expect(md5(big.body)).toBe(bigSum);
    const concurrent = await Promise.all(Array.from({ length: 6 }, (_, i) => call(port, i % 2 ? '/big.bin' : '/')));
    for (const [i, r] of concurrent.entries()) {
      expect(r.status).toBe(200);
      if (i % 2) expect(md5(r.body)).toBe(bigSum);
      else expect(r.body.toString()).toBe('hello\n');
    }
  }

  it('kubectl port-forward pod/NAME over WebSocket-tunnelled SPDY', async () => {
    const pod = (await k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    const pf = kubectlForward([`pod/${pod}`, ':80', '-v=6']);
    const port = await forwarding(pf, 80);
    await exercise(port);
    await pf.waitForLine(`Handling connection for ${port}`);
    const result = await pf.stop();
    // The WebSocket was accepted (no fallback to SPDY) and nothing failed.
    expect(result.stderr).toMatch(/GET \S+\/pods\/\S+\/portforward 101 Switching Protocols/);
    expect(result.stderr).toContain('negotiated protocol: portforward.k8s.io');
    expect(result.stderr).not.toMatch(/fallback|Unhandled Error/);
  }, 90_000);

  it('kubectl port-forward svc/NAME translates the Service port to the named target port', async () => {
    const pf = kubectlForward(['svc/web', ':8080']);
    await exercise(await forwarding(pf, 80));
    await pf.stop();
  }, 90_000);

  it('kubectl falls back to plain SPDY with KUBECTL_PORT_FORWARD_WEBSOCKETS=false', async () => {
    const pf = kubectlForward(['deploy/web', ':80', '-v=6'], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    await exercise(await forwarding(pf, 80));
    const result = await pf.stop();
    expect(result.stderr).toMatch(/POST \S+\/portforward 101 Switching Protocols/);
    expect(result.stderr).not.toContain('Unhandled Error');
  }, 90_000);

  it('kubectl carries megabytes both ways and half-closes, over WebSocket and over SPDY', async () => {
    for (const env of [{}, { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }]) {
      const pf = kubectlForward(['pod/echo', ':9000'], env);
      await echoAll(await forwarding(pf, 9000));
      await pf.stop();
    }
  }, 90_000);

  it('kubectl reports a port nothing listens on and exits', async () => {
    const pf = kubectlForward(['deploy/web', ':81']);
    const port = await forwarding(pf, 81);
    await expect(call(port, '/')).rejects.toThrow();
    const result = await pf.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/an error occurred forwarding \d+ -> 81: error forwarding port 81 to pod .*connection refused/);
    expect(result.stderr).toContain('error: lost connection to pod');
  }, 60_000);

  it('mini-kubectl port-forward svc/NAME and pod/NAME, and the same error for a closed port', async () => {
    const svc = miniForward(['svc/web', ':web']);
    await exercise(await forwarding(svc, 80));
    const stopped = await svc.stop();
    expect(stopped.code).toBe(0);

    const pod = (await k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    const spdy = miniForward([pod, ':http'], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    await exercise(await forwarding(spdy, 80));
    await spdy.stop();

    const echo = miniForward(['pod/echo', ':echo']);
    await echoAll(await forwarding(echo, 9000));
    await echo.stop();

    const closed = miniForward(['deploy/web', ':81']);
    const port = await forwarding(closed, 81);
    await expect(call(port, '/')).rejects.toThrow();
    const result = await closed.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/an error occurred forwarding \d+ -> 81: error forwarding port 81 to pod .*connection refused/);
    expect(result.stderr).toContain('error: lost connection to pod');
  }, 120_000);

  it('both CLIs refuse a pod that does not exist', async () => {
    const real = await k(['port-forward', 'pod/nope', '18080:80']);
    expect(real.code).toBe(1);
    expect(real.stderr).toContain('pods "nope" not found');
    const mini = miniForward(['pod/nope', '18080:80']);
    const result = await mini.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pods "nope" not found');
  }, 60_000);

  // Last: it stops the daemon. Upgraded connections must not hold the API server or kubelet open.
  it('the daemon stops promptly while a forwarded connection is open; kubectl then loses the pod', async () => {
    const pf = kubectlForward(['pod/echo', ':9000']);
    const port = await forwarding(pf, 9000);
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    socket.write('hello');
    await once(socket, 'data');
    const started = Date.now();
    stopped = true;
    await daemon.stop('SIGTERM', 20_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    const result = await pf.done;
    expect(result.stderr).toContain('lost connection to pod');
    socket.destroy();
  }, 60_000);
});
