// The prober: its result arithmetic (table), each probe kind against real servers and a real
// command, and the kubelet acting on results (Ready, restarts) with the sim runtime probing real
// endpoints on 127.0.0.1.
import { makeTempDir, waitFor } from '@mini-kube/testing';
import type { Probe } from 'kubernetes-types/core/v1';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimRuntime, type Kubelet } from '../src/index.js';
import { runProbe, type ExecHook } from '../src/process/probes-check.js';
import { initialProbeState, nextProbeState, type ProbeKind } from '../src/process/probes-state.js';
import type { ExecResult } from '../src/types.js';
import { PODS, eventsOf, getPod, pod, startApi, testKubelet, type TestApi } from './harness.js';

describe('probe result thresholds', () => {
  const run = (kind: ProbeKind, probe: Probe, outcomes: ('success' | 'failure')[]) => {
    let state = initialProbeState(kind);
    return outcomes.map((o) => (state = nextProbeState(state, o, probe, kind)).result);
  };
  it.each([
    ['readiness', {}, ['success', 'failure', 'failure', 'failure'], ['success', 'success', 'success', 'failure']],
    ['readiness', { successThreshold: 2, failureThreshold: 1 }, ['success', 'success', 'failure', 'success'], ['failure', 'success', 'failure', 'failure']],
    ['liveness', { failureThreshold: 2 }, ['failure', 'success', 'failure', 'failure'], ['success', 'success', 'success', 'failure']],
    ['startup', { failureThreshold: 2 }, ['failure', 'success'], [undefined, 'success']],
  ] as [ProbeKind, Probe, ('success' | 'failure')[], (string | undefined)[]][])('%s %j %j', (kind, probe, outcomes, want) => {
    expect(run(kind, probe, outcomes)).toEqual(want);
  });

  it('holds liveness after a failure, and starts readiness as failing', () => {
    expect(nextProbeState(initialProbeState('liveness'), 'failure', { failureThreshold: 1 }, 'liveness')).toMatchObject({ result: 'failure', onHold: true, run: 0 });
    expect(initialProbeState('readiness').result).toBe('failure');
    expect(nextProbeState(initialProbeState('readiness'), 'failure', { failureThreshold: 1 }, 'readiness').onHold).toBe(false);
  });
});

/** An HTTP server on 127.0.0.1 answering with `status.code`, and a way to change it. */
async function statusServer(): Promise<{ server: Server; port: number; status: { code: number; delayMs: number } }> {
  const status = { code: 200, delayMs: 0 };
  const server = createHttpServer((req, res) => {
    setTimeout(() => {
      res.writeHead(status.code, { 'x-path': req.url ?? '', 'x-ua': req.headers['user-agent'] ?? '' });
      res.end(req.headers['x-check'] ?? 'ok');
    }, status.delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, status };
}

const shellExec: ExecHook = (argv, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err && err.killed) return reject(new Error(`command "${argv.join(' ')}" timed out`));
      resolve({ exitCode: err ? Number(err.code ?? 1) : 0, output: stdout + stderr });
    });
  });

describe('runProbe against real endpoints', () => {
  let http: Awaited<ReturnType<typeof statusServer>>;
  let closedPort: number;
  beforeAll(async () => {
    http = await statusServer();
    const tmp = createTcpServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    closedPort = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
  });
  afterAll(() => new Promise<void>((r) => http.server.close(() => r())));
  afterEach(() => Object.assign(http.status, { code: 200, delayMs: 0 }));

  const target = { podIP: '127.0.0.1', container: { name: 'web', ports: [{ name: 'http', containerPort: 0 }] }, exec: shellExec };

  it('passes an httpGet on a 2xx/3xx, by number or named port', async () => {
    expect(await runProbe({ httpGet: { path: '/healthz', port: http.port } }, target)).toEqual({ result: 'success', output: '' });
    http.status.code = 302;
    const named = { ...target, container: { name: 'web', ports: [{ name: 'http', containerPort: http.port }] } };
    expect((await runProbe({ httpGet: { path: '/', port: 'http' } }, named)).result).toBe('success');
  });

  it('fails an httpGet on a 500, a refused connection and a timeout', async () => {
    http.status.code = 500;
    expect(await runProbe({ httpGet: { path: '/', port: http.port } }, target)).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
    expect(await runProbe({ httpGet: { path: '/h', port: closedPort } }, target)).toEqual({
      result: 'failure',
      output: `Get "http://127.0.0.1:${closedPort}/h": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    });
    Object.assign(http.status, { code: 200, delayMs: 1500 });
    const slow = await runProbe({ httpGet: { path: '/', port: http.port }, timeoutSeconds: 1 }, target);
    expect(slow.output).toBe(`Get "http://127.0.0.1:${http.port}/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
  });

  it('checks a tcpSocket', async () => {
    expect((await runProbe({ tcpSocket: { port: http.port } }, target)).result).toBe('success');
    expect(await runProbe({ tcpSocket: { port: closedPort } }, target)).toEqual({ result: 'failure', output: `dial tcp 127.0.0.1:${closedPort}: connect: connection refused` });
  });

  it('runs an exec probe through the exec hook', async () => {
    expect(await runProbe({ exec: { command: ['sh', '-c', 'echo fine'] } }, target)).toEqual({ result: 'success', output: 'fine\n' });
    expect(await runProbe({ exec: { command: ['sh', '-c', 'echo broken >&2; exit 2'] } }, target)).toEqual({ result: 'failure', output: 'broken\n' });
    expect(await runProbe({ exec: { command: ['sleep', '5'] }, timeoutSeconds: 1 }, target)).toEqual({ result: 'failure', output: 'command "sleep 5" timed out' });
    expect((await runProbe({ exec: { command: ['true'] } }, { ...target, exec: undefined })).result).toBe('failure');
  });
});

/** The sim runtime with the kubelet's prober on: its containers "listen" where the probes say. */
class ProbedSimRuntime extends SimRuntime {
  readonly probes = true;
  exec(_id: string, argv: string[], timeoutMs: number): Promise<ExecResult> {
    return shellExec(argv, timeoutMs);
  }
}

describe('the kubelet acting on probes', () => {
  let api: TestApi;
  let kubelet: Kubelet;
  let http: Awaited<ReturnType<typeof statusServer>>;
  beforeAll(async () => {
    api = await startApi();
    http = await statusServer();
    ({ kubelet } = await testKubelet(api.client, { runtime: new ProbedSimRuntime({ startDelayMs: 0 }) }));
  });
  afterAll(async () => {
    await kubelet.stop();
    await api.close();
    await new Promise<void>((r) => http.server.close(() => r()));
  });

  const ready = async (name: string) => (await getPod(api.client, name)).status?.conditions?.find((c) => c.type === 'Ready')?.status;

  it('drives Ready from the readiness probe', async () => {
    http.status.code = 200;
    const probe = { httpGet: { host: '127.0.0.1', path: '/ready', port: http.port }, periodSeconds: 1, failureThreshold: 1 };
    await api.client.create(PODS, pod('ready', { containers: [{ name: 'web', image: 'nginx', readinessProbe: probe }] }));
    await waitFor(async () => (await ready('ready')) === 'True', { timeoutMs: 5000 });
    http.status.code = 503;
    await waitFor(async () => (await ready('ready')) === 'False', { timeoutMs: 5000 });
    const p = await getPod(api.client, 'ready');
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true, restartCount: 0 });
    expect((await eventsOf(api.client, 'ready')).some((e) => e.reason === 'Unhealthy' && e.message === 'Readiness probe failed: HTTP probe failed with statuscode: 503')).toBe(true);
    http.status.code = 200;
    await waitFor(async () => (await ready('ready')) === 'True', { timeoutMs: 5000 });
  });

  it('restarts a container whose liveness probe fails', async () => {
    const probe = { exec: { command: ['sh', '-c', 'echo unhealthy; exit 1'] }, periodSeconds: 1, failureThreshold: 2 };
    await api.client.create(PODS, pod('live', { containers: [{ name: 'web', image: 'nginx', livenessProbe: probe }], terminationGracePeriodSeconds: 1 }));
    const p = await waitFor(async () => {
      const got = await getPod(api.client, 'live');
      return (got.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? got : undefined;
    }, { timeoutMs: 10_000 });
    expect(p.status?.containerStatuses?.[0]?.lastState?.terminated).toBeDefined();
    const events = await eventsOf(api.client, 'live');
    expect(events.find((e) => e.reason === 'Killing')?.message).toBe('Container web failed liveness probe, will be restarted');
    expect(events.find((e) => e.reason === 'Unhealthy')).toMatchObject({ type: 'Warning', message: 'Liveness probe failed: unhealthy\n' });
  });

  it('holds readiness until the startup probe passes', async () => {
    const flag = join(makeTempDir(), 'started');
    const startup = { exec: { command: ['test', '-e', flag] }, periodSeconds: 1, failureThreshold: 30 };
    await api.client.create(PODS, pod('slow', { containers: [{ name: 'web', image: 'nginx', startupProbe: startup }] }));
    await waitFor(async () => (await getPod(api.client, 'slow')).status?.containerStatuses?.[0]?.state?.running !== undefined, { timeoutMs: 5000 });
    expect((await getPod(api.client, 'slow')).status?.containerStatuses?.[0]).toMatchObject({ started: false, ready: false });
    writeFileSync(flag, '');
    await waitFor(async () => (await ready('slow')) === 'True', { timeoutMs: 5000 });
    expect((await getPod(api.client, 'slow')).status?.containerStatuses?.[0]).toMatchObject({ started: true, ready: true, restartCount: 0 });
  });
});
