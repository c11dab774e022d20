// Issue 5's remaining acceptance with the real kubectl against `mini-kubed --nodes 3 --runtime process`:
// `kubectl expose` as NodePort and LoadBalancer gives what a real cluster gives and answers on every
// node address, 127.0.0.1 and the EXTERNAL-IP; a pod whose readiness fails leaves the rotation
// (no request reaches it, none fails) and comes back when it passes. Deleting a pod mid-loop is
// covered by packages/proxy/test/e2e-service.test.ts.
import { request } from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, makeTempDir, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';

/** Readiness per pod: a pod is ready while `<toggles>/<pod name>` does not exist. */
const deployment = (toggles: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { app: web } }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: echo
        image: hashicorp/http-echo
        args: ['-text=$(POD_NAME)']
        env: [{ name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }]
        ports: [{ containerPort: 5678 }]
        readinessProbe:
          exec: { command: [sh, -c, 'test ! -e ${toggles}/$POD_NAME'] }
          periodSeconds: 1
          failureThreshold: 1
`;

/** One GET on a new connection: the name of the pod that answered. */
function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(body.trim()) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

interface Answer {
  /** When the request was sent. */
  at: number;
  pod?: string;
  error?: string;
}

/** Sends requests one after the other until stopped; every answer is kept with when its request was sent. */
function requestLoop(host: string, port: number): { answers: Answer[]; stop(): Promise<void> } {
  const answers: Answer[] = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const at = Date.now();
      const answer = await get(host, port).then(
        (pod) => ({ pod }),
        (err: Error) => ({ error: err.message }),
      );
      answers.push({ at, ...answer });
    }
  })();
  return {
    answers,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

/** How many answers of each kind (pod name or error), for a readable failure. */
const tally = (answers: Answer[]): Record<string, number> =>
  answers.reduce<Record<string, number>>((acc, a) => {
    const kind = a.error ? `error: ${a.error}` : a.pod!;
    acc[kind] = (acc[kind] ?? 0) + 1;
    return acc;
  }, {});

describe.skipIf(!hasKubectl())('Service rotation, NodePort and LoadBalancer on 3 process nodes', () => {
  let daemon: Daemon;
  let toggles: string;
  let pods: string[];
  const ok = async (args: string[], stdin?: string, timeoutMs?: number): Promise<string> => {
    const res = await kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs });
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return res.stdout;
  };
  const json = async (args: string[]): Promise<any> => JSON.parse(await ok([...args, '-o', 'json']));
  /** The pods of the `web` EndpointSlices, by readiness. */
  const endpoints = async (): Promise<{ ready: string[]; notReady: string[] }> => {
    const slices = await json(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
    const all = slices.items.flatMap((s: any) => s.endpoints ?? []);
    const names = (ready: boolean): string[] => all.filter((e: any) => e.conditions?.ready === ready).map((e: any) => e.targetRef.name).sort();
    return { ready: names(true), notReady: names(false) };
  };

  beforeAll(async () => {
    toggles = makeTempDir('mini-kube-readiness-');
    daemon = await startDaemon({ args: ['--nodes', '3', '--runtime', 'process'] });
    await ok(['apply', '-f', '-'], deployment(toggles));
    await ok(['rollout', 'status', 'deployment/web', '--timeout=90s'], undefined, 100_000);
    pods = (await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').sort();
  }, 150_000);
  afterAll(async () => {
    await daemon?.stop();
    rmSync(toggles, { recursive: true, force: true });
  });

  it('exposes a NodePort Service as a real cluster does; it answers on every node address and 127.0.0.1', async () => {
    await ok(['expose', 'deployment', 'web', '--port=80', '--target-port=5678', '--type=NodePort']);
    const svc = await json(['get', 'svc', 'web']);
    const nodePort = svc.spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    expect(svc.metadata.labels).toEqual({ app: 'web' }); // expose copies the Deployment's labels
    expect(svc.spec).toEqual({
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 5678, nodePort }], // one port: no name
      clusterIP: svc.spec.clusterIP,
      clusterIPs: [svc.spec.clusterIP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
    });
    expect(svc.metadata.generation).toBeUndefined(); // Services have no generation
    expect(svc.status).toEqual({ loadBalancer: {} });
    const row = (await ok(['get', 'svc', 'web', '--no-headers'])).trim().split(/\s+/);
    expect(row.slice(0, 5)).toEqual(['web', 'NodePort', svc.spec.clusterIP, '<none>', `80:${nodePort}/TCP`]);

    const nodes = (await ok(['get', 'nodes', '-o', 'jsonpath={.items[*].status.addresses[?(@.type=="InternalIP")].address}'])).split(' ');
    expect(nodes).toHaveLength(3);
    for (const address of [...nodes, '127.0.0.1']) {
      const answer = await waitFor(() => get(address, nodePort), { timeoutMs: 20_000, message: `${address}:${nodePort} answering` });
      expect(pods).toContain(answer);
    }
  }, 60_000);

  it('takes a pod whose readiness fails out of the rotation and back in when it passes', async () => {
    const clusterIP = (await ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    await waitFor(async () => (await endpoints()).ready.length === 3, { timeoutMs: 30_000, message: '3 ready endpoints' });
    const [victim] = pods;
    const loop = requestLoop(clusterIP, 80);
    try {
      await waitFor(() => loop.answers.some((a) => a.pod === victim), { timeoutMs: 20_000, message: `${victim} answering` });

      writeFileSync(join(toggles, victim!), '');
      await waitFor(async () => (await endpoints()).notReady.includes(victim!), { timeoutMs: 30_000, message: `${victim} not ready` });
      const left = Date.now();
      await waitFor(() => loop.answers.filter((a) => a.at > left).length >= 40, { timeoutMs: 30_000, message: '40 answers' });
      const whileOut = loop.answers.filter((a) => a.at > left);
      expect(tally(whileOut.filter((a) => a.error || a.pod === victim))).toEqual({});
      expect(new Set(whileOut.map((a) => a.pod)).size).toBe(2);

      rmSync(join(toggles, victim!), { force: true });
      await waitFor(async () => (await endpoints()).ready.includes(victim!), { timeoutMs: 30_000, message: `${victim} ready again` });
      const back = Date.now();
      await waitFor(() => loop.answers.some((a) => a.at > back && a.pod === victim), { timeoutMs: 20_000, message: `${victim} answering again` });
    } finally {
      rmSync(join(toggles, victim!), { force: true });
      await loop.stop();
    }
    // Readiness takes a pod out of new connections only: its server kept running, so nothing failed.
    expect(tally(loop.answers.filter((a) => a.error))).toEqual({});
  }, 120_000);

  it('exposes a LoadBalancer Service: kubectl get svc shows its EXTERNAL-IP and it answers there', async () => {
    await ok(['expose', 'deployment', 'web', '--name=web-lb', '--port=80', '--target-port=5678', '--type=LoadBalancer']);
    const externalIP = await waitFor(
      async () => {
        const ip = (await ok(['get', 'svc', 'web-lb', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])).trim();
        return ip || undefined;
      },
      { timeoutMs: 20_000, message: 'a LoadBalancer address' },
    );
    const svc = await json(['get', 'svc', 'web-lb']);
    const nodePort = svc.spec.ports[0].nodePort;
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: true, externalTrafficPolicy: 'Cluster', sessionAffinity: 'None' });
    expect(svc.spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 5678, nodePort }]);
    expect(svc.status.loadBalancer.ingress).toEqual([{ ip: externalIP, ipMode: 'VIP' }]);

    const row = (await ok(['get', 'svc', 'web-lb', '--no-headers'])).trim().split(/\s+/);
    expect(row.slice(0, 5)).toEqual(['web-lb', 'LoadBalancer', svc.spec.clusterIP, externalIP, `80:${nodePort}/TCP`]);
    const answers = new Set<string>();
    await waitFor(async () => answers.add(await get(externalIP, 80)).size === 3, { timeoutMs: 20_000, message: `all 3 pods answering on ${externalIP}:80` });
    expect([...answers].sort()).toEqual(pods);
    expect(pods).toContain(await get('127.0.0.1', nodePort));
  }, 60_000);
});
