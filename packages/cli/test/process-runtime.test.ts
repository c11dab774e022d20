// mini-kubectl on a daemon whose node runs pods as real processes: the shell round trips
// (in bash, with mini-kubectl on PATH) and `logs -l app=web -f --prefix` streaming the lines of
// every pod of a Deployment at once.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, REPO_ROOT, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: busybox
        command: [sh, -c, 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.2; done']
`;

describe('mini-kubectl with the process runtime', () => {
  let daemon: Daemon;
  let cacheDir: string;
  const env = () => ({ ...process.env, KUBECONFIG: daemon.kubeconfig, PATH: `${join(REPO_ROOT, 'bin')}:${process.env.PATH}`, MINI_CACHE: cacheDir });
  /** Runs a bash script with mini-kubectl on PATH and the daemon's kubeconfig. */
  const bash = (script: string) => spawnSync('bash', ['-euo', 'pipefail', '-c', script], { env: env(), encoding: 'utf8', timeout: 60_000 });

  beforeAll(async () => {
    cacheDir = makeTempDir('mini-kubectl-cache-');
    daemon = await startDaemon({ args: ['--nodes', '1', '--runtime', 'process'] });
  }, 60_000);
  afterAll(async () => {
    await daemon?.stop();
  });

  it('round-trips through shell scripts', () => {
    const res = bash(`
      k() { mini-kubectl --cache-dir "$MINI_CACHE" "$@"; }
      k apply -f - <<'EOF'
${WEB}EOF
      k wait --for=condition=Available deploy/web --timeout=30s
      echo "ready=$(k get deploy web -o jsonpath='{.status.readyReplicas}')"
      k create configmap c1 --from-literal=a=1 >/dev/null
      k create configmap c2 --from-literal=a=2 >/dev/null
      k label cm c1 c2 tmp=yes >/dev/null
      k get cm -l tmp=yes -o name | xargs mini-kubectl --cache-dir "$MINI_CACHE" delete
      echo "left=$(k get cm -l tmp=yes -o name | wc -l)"
    `);
    expect(res.stderr).toBe('');
    expect(res.stdout).toBe('deployment.apps/web created\ndeployment.apps/web condition met\nready=2\nconfigmap "c1" deleted\nconfigmap "c2" deleted\nleft=0\n');
  }, 60_000);

  it('streams the logs of all pods of a deployment with -l -f --prefix', async () => {
    const pods = bash('mini-kubectl get pods -l app=web -o name').stdout.trim().split('\n');
    expect(pods).toHaveLength(2);
    const child = spawn(join(REPO_ROOT, 'bin', 'mini-kubectl'), ['--cache-dir', cacheDir, 'logs', '-l', 'app=web', '-f', '--prefix'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      // Lines keep coming from both pods: wait for a tick past the initial tail of each.
      const latest = (pod: string) => Math.max(-1, ...[...out.matchAll(new RegExp(`^\\[${pod}/web\\] tick (\\d+)$`, 'gm'))].map((m) => Number(m[1])));
      await waitFor(() => pods.every((p) => latest(p) >= 0), { timeoutMs: 20_000 });
      const first = new Map(pods.map((p) => [p, latest(p)]));
      await waitFor(() => pods.every((p) => latest(p) > first.get(p)! + 2), { timeoutMs: 20_000 });
      expect(out.split('\n').filter(Boolean).every((l) => /^\[pod\/web-[\w-]+\/web\] tick \d+$/.test(l))).toBe(true);
    } finally {
      child.kill();
    }
  }, 60_000);
});
