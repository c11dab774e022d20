// StatefulSet storage end to end: the real kubectl against `mini-kubed --nodes 2 --runtime process`.
// Each pod of the set gets a claim from its volumeClaimTemplate, bound by the local-path provisioner
// to a directory under the data dir; a replaced pod finds its own data; scaling down keeps the claims.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResource, type KObject } from '@mini-kube/api';
import { hasKubectl, kubectl, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';

const PODS = findResource('', 'v1', 'pods')!;
const CLAIMS = findResource('', 'v1', 'persistentvolumeclaims')!;

const MANIFEST = `
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  clusterIP: None
  selector: { app: web }
  ports: [{ port: 80 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: web }
spec:
  serviceName: web
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: app
        image: busybox
        command: [sh, -c, 'echo $POD_NAME >> \${MINI_KUBE_ROOT:-}/data/names; exec sleep 3600']
        env:
        - name: POD_NAME
          valueFrom: { fieldRef: { fieldPath: metadata.name } }
        volumeMounts: [{ name: data, mountPath: /data }]
  volumeClaimTemplates:
  - metadata: { name: data }
    spec:
      accessModes: [ReadWriteOnce]
      resources: { requests: { storage: 1Gi } }
`;

const readyAt = (pod: KObject): string | undefined =>
  (pod.status as { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } | undefined)?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')
    ?.lastTransitionTime;

describe.skipIf(!hasKubectl())('StatefulSet volumes on process nodes', () => {
  let daemon: Daemon;
  const ok = async (args: string[], stdin?: string, timeoutMs?: number): Promise<string> => {
    const res = await kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs });
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return res.stdout;
  };
  const pods = async (): Promise<Map<string, KObject>> =>
    new Map((await daemon.client.list(PODS, { namespace: 'default', labelSelector: 'app=web' })).items.map((p) => [p.metadata.name!, p]));
  const names = (ordinal: number): string => readFileSync(join(daemon.dataDir, 'volumes', 'default', `data-web-${ordinal}`, 'names'), 'utf8');

  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--nodes', '2', '--runtime', 'process'] });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('gives each pod its own bound volume, which outlives the pod and a scale-down', async () => {
    await ok(['apply', '-f', '-'], MANIFEST);
    await ok(['rollout', 'status', 'statefulset/web', '--timeout=90s'], undefined, 100_000);

    // Created in order: each pod only after its predecessor was Ready.
    const first = await pods();
    for (const i of [1, 2]) {
      const prevReady = readyAt(first.get(`web-${i - 1}`)!);
      expect(prevReady).toBeDefined();
      expect(Date.parse(first.get(`web-${i}`)!.metadata.creationTimestamp!)).toBeGreaterThanOrEqual(Date.parse(prevReady!));
    }
    for (const i of [0, 1, 2]) {
      expect(await ok(['exec', `web-${i}`, '--', 'cat', '/data/names'])).toBe(`web-${i}\n`);
      expect(names(i)).toBe(`web-${i}\n`);
    }
    expect((await ok(['get', 'pvc', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}'])).trim().split(' ').sort()).toEqual([
      'data-web-0=Bound',
      'data-web-1=Bound',
      'data-web-2=Bound',
    ]);
    expect(await ok(['get', 'pv', '-o', 'jsonpath={.items[*].status.phase}'])).toBe('Bound Bound Bound');

    // A replaced pod gets the same claim, and so its own earlier data.
    const oldUid = first.get('web-1')!.metadata.uid;
    await ok(['delete', 'pod', 'web-1'], undefined, 60_000);
    await waitFor(async () => {
      const p = (await pods()).get('web-1');
      return p && p.metadata.uid !== oldUid && readyAt(p) !== undefined;
    }, { timeoutMs: 60_000, message: 'web-1 replaced and Ready' });
    expect(await ok(['exec', 'web-1', '--', 'cat', '/data/names'])).toBe('web-1\nweb-1\n');

    // Scaling down removes the highest ordinal first (web-1 is deleted only once web-2 is gone) and
    // keeps every claim bound.
    const { resourceVersion } = (await daemon.client.list(PODS, { namespace: 'default', labelSelector: 'app=web' })).metadata;
    const watch = daemon.client.watch(PODS, { namespace: 'default', labelSelector: 'app=web', resourceVersion });
    const steps: string[] = [];
    const watched = (async () => {
      for await (const e of watch) {
        const name = e.object.metadata.name!;
        if (e.type === 'DELETED') steps.push(`${name} gone`);
        else if (e.object.metadata.deletionTimestamp && !steps.includes(`${name} deleting`)) steps.push(`${name} deleting`);
        if (steps.includes('web-1 gone')) break;
      }
    })();
    await ok(['scale', 'statefulset', 'web', '--replicas=1']);
    await watched;
    watch.close();
    expect(steps).toEqual(['web-2 deleting', 'web-2 gone', 'web-1 deleting', 'web-1 gone']);
    expect([...(await pods()).keys()]).toEqual(['web-0']);
    const claims = (await daemon.client.list(CLAIMS, { namespace: 'default' })).items;
    expect(claims.map((c) => `${c.metadata.name}=${(c.status as { phase?: string }).phase}`).sort()).toEqual(['data-web-0=Bound', 'data-web-1=Bound', 'data-web-2=Bound']);
    expect(names(2)).toBe('web-2\n');
  }, 240_000);
});
