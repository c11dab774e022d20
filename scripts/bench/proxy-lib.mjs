// Helpers of the Service proxy benchmarks: loopback ranges of their own, an echo Deployment behind a
// ClusterIP Service created through the API, and plain GETs on fresh connections.
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectStatus } from './lib.mjs';

/** Ranges no test daemon uses (those take 127.100–127.225), so a bench can run beside the tests. */
export const BENCH_NETWORK = ['--node-cidr', '127.235.0.0/24', '--pod-cidr', '127.236.0.0/16', '--service-cidr', '127.237.0.0/16'];

const NS = '/api/v1/namespaces/default';

/** An http-echo Deployment (each pod answers its own name) and a Service `name`:80 → 5678. */
export async function createEchoService(http, name, { replicas = 1, readinessProbe } = {}) {
  const container = {
    name: 'echo',
    image: 'hashicorp/http-echo',
    args: ['-text=$(POD_NAME)'],
    env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    ports: [{ containerPort: 5678 }],
    readinessProbe: readinessProbe ?? { tcpSocket: { port: 5678 }, periodSeconds: 1 },
  };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1, containers: [container] } },
    },
  };
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 5678 }] } };
  expectStatus(await http.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment), 201, 'create deployment');
  const created = await http.call('POST', `${NS}/services`, service);
  expectStatus(created, 201, 'create service');
  return JSON.parse(created.body).spec.clusterIP;
}

const isReady = (pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/** Polls until `count` pods of app=`name` are Ready; returns them. */
export async function readyPods(http, name, count, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await http.call('GET', `${NS}/pods?labelSelector=app%3D${name}`);
    expectStatus(res, 200, 'list pods');
    const pods = JSON.parse(res.body).items.filter(isReady);
    if (pods.length >= count) return pods;
    if (Date.now() > deadline) throw new Error(`${pods.length} of ${count} pods of ${name} Ready after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** One GET on a fresh connection: the body, trimmed (an echo pod's name). */
export function getText(host, port, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body.trim()));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Polls `host:port` until it answers `wanted` (any answer when absent). */
export async function waitAnswering(host, port, wanted, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await getText(host, port).catch(() => undefined);
    if (answer !== undefined && (wanted === undefined || answer === wanted)) return;
    if (Date.now() > deadline) throw new Error(`${host}:${port} did not answer ${wanted ?? ''} within ${timeoutMs} ms`);
    await sleep(50);
  }
}
