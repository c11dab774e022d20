// The process runtime end to end: `mini-kubed --nodes 2 --runtime process` driven by the real kubectl.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, kubectlStream, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';

let daemon: Daemon;
const k = (args: string[], stdin?: string) => kubectl(args, { kubeconfig: daemon.kubeconfig, stdin });
const run = async (args: string[], stdin?: string): Promise<string> => {
  const r = await k(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const jsonpath = (pod: string, path: string) => run(['get', 'pod', pod, '-o', `jsonpath={${path}}`]);
const processesWith = (token: string): string[] =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(token) && !l.includes('ps -eo'));

const pod = (name: string, command: string, extra = '') => `
apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  terminationGracePeriodSeconds: 2
${extra}
  containers:
  - name: main
    image: busybox:1.36
    command: [sh, -c, ${JSON.stringify(command)}]
`;

describe.skipIf(!hasKubectl())('process runtime with kubectl', () => {
  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--nodes', '2', '--runtime', 'process', '--crashloop-backoff-max', '2'] });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('logs, logs --tail, logs -f of a running busybox pod', async () => {
    await run(['apply', '-f', '-'], pod('hello', 'echo hello; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done # e2e-hello'));
    await run(['wait', '--for=jsonpath={.status.phase}=Running', 'pod/hello', '--timeout=30s']);
    const logs = await waitFor(async () => ((await k(['logs', 'hello'])).stdout.includes('tick 2') ? (await k(['logs', 'hello'])).stdout : undefined));
    expect(logs.split('\n')[0]).toBe('hello');
    expect((await run(['logs', 'hello', '--tail=1'])).trim()).toMatch(/^tick \d+$/);
    const follow = kubectlStream(['logs', '-f', 'hello', '--tail=1'], { kubeconfig: daemon.kubeconfig });
    const first = Number((await follow.waitForLine(/^tick \d+$/)).split(' ')[1]);
    await follow.waitForLine(`tick ${first + 2}`, 5000); // new lines stream in
    await follow.stop();
    expect(processesWith('e2e-hello')).toHaveLength(1);
    await run(['delete', 'pod', 'hello', '--wait=true']);
    expect(processesWith('e2e-hello')).toEqual([]);
  });

  it('exit 3 under restartPolicy Never fails the pod with exit code 3', async () => {
    await run(['apply', '-f', '-'], pod('exit3', 'echo failing; exit 3', '  restartPolicy: Never'));
    await run(['wait', '--for=jsonpath={.status.phase}=Failed', 'pod/exit3', '--timeout=30s']);
    const describe = await run(['describe', 'pod', 'exit3']);
    expect(describe).toMatch(/Reason:\s+Error/);
    expect(describe).toMatch(/Exit Code:\s+3/);
    expect(await run(['logs', 'exit3'])).toBe('failing\n');
    await run(['delete', 'pod', 'exit3']);
  });

  it('a crashing container goes into CrashLoopBackOff; logs --previous shows the last run', async () => {
    await run(['apply', '-f', '-'], pod('crash', 'echo run at $(date +%s%N); exit 1'));
    await waitFor(async () => Number(await jsonpath('crash', '.status.containerStatuses[0].restartCount')) >= 2, { timeoutMs: 30_000 });
    await waitFor(async () => (await jsonpath('crash', '.status.containerStatuses[0].state.waiting.reason')) === 'CrashLoopBackOff', { timeoutMs: 15_000 });
    expect(await jsonpath('crash', '.status.containerStatuses[0].lastState.terminated.exitCode')).toBe('1');
    expect(await run(['logs', 'crash', '--previous'])).toMatch(/^run at \d+\n$/);
    expect((await run(['get', 'pod', 'crash'])).split('\n')[1]).toMatch(/crash\s+0\/1\s+(CrashLoopBackOff|Error)\s+[2-9]/);
    await run(['delete', 'pod', 'crash']);
  });

  it('graceful delete runs the TERM trap; --grace-period=0 --force kills at once', async () => {
    const marker = `${daemon.dataDir}/trap-ran`;
    await run(['apply', '-f', '-'], pod('trap', `trap 'echo done > ${marker}; exit 0' TERM; while true; do sleep 0.1; done # e2e-trap`));
    await run(['wait', '--for=condition=Ready', 'pod/trap', '--timeout=30s']);
    await run(['delete', 'pod', 'trap']);
    expect(execFileSync('cat', [marker], { encoding: 'utf8' })).toBe('done\n');
    await run(['apply', '-f', '-'], pod('stubborn', "trap '' TERM; while true; do sleep 0.1; done # e2e-stubborn"));
    await run(['wait', '--for=condition=Ready', 'pod/stubborn', '--timeout=30s']);
    await run(['delete', 'pod', 'stubborn', '--grace-period=0', '--force']);
    await waitFor(() => processesWith('e2e-stubborn').length === 0, { timeoutMs: 5000 });
  });

  it('an unknown image without a command waits in ErrImagePull / ImagePullBackOff', async () => {
    await run(['run', 'mystery', '--image=example.com/mystery:1']);
    const reason = await waitFor(async () => {
      const r = await jsonpath('mystery', '.status.containerStatuses[0].state.waiting.reason');
      return r === 'ErrImagePull' || r === 'ImagePullBackOff' ? r : undefined;
    });
    expect(reason).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(await run(['describe', 'pod', 'mystery'])).toContain('images.yaml');
    const logs = await k(['logs', 'mystery']);
    expect(logs.code).toBe(1);
    expect(logs.stderr).toMatch(/is waiting to start: (ErrImagePull|ImagePullBackOff)/);
    await run(['delete', 'pod', 'mystery', '--grace-period=0', '--force']);
  });

  it('containers die with a killed daemon, run again once after a restart, and stop with it', async () => {
    await run(['apply', '-f', '-'], pod('lingering', 'exec sleep 3605'));
    await run(['wait', '--for=condition=Ready', 'pod/lingering', '--timeout=30s']);
    expect(processesWith('sleep 3605')).toHaveLength(1);
    await daemon.kill(); // SIGKILL: the runtime's watchdog kills the containers
    await waitFor(() => processesWith('sleep 3605').length === 0, { timeoutMs: 5000 });
    daemon = await startDaemon({ dataDir: daemon.dataDir, args: ['--nodes', '2', '--runtime', 'process'] });
    await waitFor(() => processesWith('sleep 3605').length === 1, { timeoutMs: 20_000 });
    await run(['wait', '--for=condition=Ready', 'pod/lingering', '--timeout=30s']);
    expect(processesWith('sleep 3605')).toHaveLength(1);
    await daemon.stop();
    expect(processesWith('sleep 3605')).toEqual([]);
  });
});
