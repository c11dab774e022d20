// `mini-kubectl exec` (and kubectl exec -t / attach on the server side): the pure pieces (query,
// final Status, default container, argument split), then a daemon with the process runtime driven
// by mini-kubectl and the real kubectl: output, stdin, exit codes, container choice, errors in
// parity with kubectl, a pseudo-terminal of the client's size that follows its resizes, and attach.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, kubectlBinary, makeTempDir, REPO_ROOT, startDaemon, waitFor, type Daemon, type KubectlResult } from '@mini-kube/testing';
import { splitArgs } from '../src/commands/exec.js';
import { allContainerNames, defaultContainer, outcomeOf, streamQuery } from '../src/streaming/channels.js';
import { socketURL } from '../src/streaming/connect.js';
import { byAttachable } from '../src/streaming/pod-target.js';

describe('exec pieces', () => {
  it.each([
    [{ command: ['ls', '-l', '/'], container: 'c', stdin: false, tty: false }, 'command=ls&command=-l&command=%2F&container=c&stderr=true&stdout=true'],
    [{ command: ['sh'], container: 'c', stdin: true, tty: true }, 'command=sh&container=c&stdin=true&stdout=true&tty=true'],
    [{ container: 'c', stdin: true, tty: false }, 'container=c&stderr=true&stdin=true&stdout=true'],
  ])('query %j', (q, want) => expect(streamQuery(q)).toBe(want));

  it.each([
    [undefined, { kind: 'success' }],
    ['{"metadata":{},"status":"Success"}', { kind: 'success' }],
    ['{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}', { kind: 'exit', code: 3 }],
    ['{"status":"Failure","reason":"InternalError","message":"failed to exec in container: x"}', { kind: 'error', message: 'failed to exec in container: x' }],
    ['{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[]}}', { kind: 'error', message: 'error stream protocol error: invalid exit code value ""' }],
  ])('final status %s', (status, want) => expect(outcomeOf(status)).toEqual(want));

  const pod = (containers: string[], extra: Record<string, unknown> = {}, annotation?: string) => ({
    metadata: { name: 'p', annotations: (annotation ? { 'kubectl.kubernetes.io/default-container': annotation } : {}) as Record<string, string> },
    spec: { containers: containers.map((name) => ({ name })), ...extra },
  });
  it.each([
    [pod(['a']), { name: 'a' }],
    [pod(['a', 'b']), { name: 'a', notice: 'Defaulted container "a" out of: a, b\n' }],
    [pod(['a', 'b'], {}, 'b'), { name: 'b' }],
    [pod(['a', 'b'], {}, 'nope'), { name: 'a', notice: 'Defaulted container "a" out of: a, b\n' }],
    [pod(['a'], { initContainers: [{ name: 'i' }] }), { name: 'a', notice: 'Defaulted container "a" out of: i (init), a\n' }],
  ])('default container of %j', (p, want) => expect(defaultContainer(p)).toEqual(want));

  it('lists ephemeral containers last', () => expect(allContainerNames(pod(['a'], { ephemeralContainers: [{ name: 'dbg' }] }))).toBe('a, dbg (ephem)'));

  it.each([
    [['p', 'ls', '-l'], 1, { pod: 'p', command: ['ls', '-l'] }],
    [[], -1, 'pod, type/name or --filename must be specified'],
    [['p'], -1, 'you must specify at least one command for the container'],
    [['p', 'ls'], -1, 'exec [POD] [COMMAND] is not supported anymore'],
    [['p', 'x', 'ls'], 2, 'exec [POD] [COMMAND] is not supported anymore'],
  ])('splits %j (dash at %i)', (args, atDash, want) => {
    if (typeof want === 'string') expect(() => splitArgs(args, atDash)).toThrow(want);
    else expect(splitArgs(args, atDash)).toEqual(want);
  });

  it('builds socket URLs that keep the server path', () => {
    expect(socketURL('https://h:6443/prefix/', '/api/v1/x?a=1')).toBe('wss://h:6443/prefix/api/v1/x?a=1');
    expect(socketURL('http://127.0.0.1:8080', '/api/v1/x')).toBe('ws://127.0.0.1:8080/api/v1/x');
  });

  it('prefers running, ready, older pods', () => {
    const p = (name: string, phase: string, ready: boolean, created: string) => ({ metadata: { name, creationTimestamp: created }, spec: { nodeName: 'n' }, status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
    const pods = [p('pending', 'Pending', false, '2024-01-01T00:00:00Z'), p('new', 'Running', true, '2024-01-03T00:00:00Z'), p('old', 'Running', true, '2024-01-02T00:00:00Z'), p('unready', 'Running', false, '2024-01-01T00:00:00Z')];
    expect(pods.sort(byAttachable).map((x) => x.metadata.name)).toEqual(['old', 'new', 'unready', 'pending']);
  });
});

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: one, labels: {app: one}}
spec:
  containers: [{name: main, image: busybox, command: [sleep, "100000"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - {name: first, image: busybox, command: [sleep, "100000"]}
  - {name: second, image: busybox, command: [sleep, "100000"], env: [{name: WHO, value: second}]}
---
apiVersion: v1
kind: Pod
metadata: {name: three, annotations: {kubectl.kubernetes.io/default-container: second}}
spec:
  containers:
  - {name: first, image: busybox, command: [sleep, "100000"]}
  - {name: second, image: busybox, command: [sleep, "100000"]}
---
apiVersion: v1
kind: Pod
metadata: {name: reader}
spec:
  restartPolicy: Never
  containers:
  - {name: main, image: busybox, stdin: true, stdinOnce: true, command: [sh, -c, 'while read l; do echo "got $l"; done; echo bye']}
---
apiVersion: v1
kind: Service
metadata: {name: one-svc}
spec: {selector: {app: one}, ports: [{port: 80}]}
`;

describe.skipIf(!hasKubectl())('exec against a daemon with the process runtime', () => {
  let daemon: Daemon;
  let cacheDir: string;
  const children: ChildProcessWithoutNullStreams[] = [];
  const k = (args: string[], stdin?: string) => kubectl(args, { kubeconfig: daemon.kubeconfig, stdin });
  const env = () => ({ ...process.env, KUBECONFIG: daemon.kubeconfig, PATH: `${join(REPO_ROOT, 'bin')}:${process.env.PATH}` });

  /** Runs bin/mini-kubectl to completion. */
  const mini = (args: string[], stdin = ''): Promise<KubectlResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'mini-kubectl'), '--cache-dir', cacheDir, ...args], { env: env() });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(stdin);
    });

  /** Runs a shell command line under a pseudo-terminal (util-linux script); stdin stays open until it is killed. */
  const underTerminal = (line: string): { output: () => string; child: ChildProcessWithoutNullStreams } => {
    const child = spawn('script', ['-qfc', line, '/dev/null'], { env: env() });
    children.push(child);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    return { output: () => out, child };
  };

  beforeAll(async () => {
    cacheDir = makeTempDir('mini-kubectl-cache-');
    daemon = await startDaemon({ args: ['--nodes', '1', '--runtime', 'process'] });
    expect((await k(['apply', '-f', '-'], PODS)).code).toBe(0);
    const ready = await k(['wait', '--for=condition=Ready', 'pod/one', 'pod/two', 'pod/three', 'pod/reader', '--timeout=60s'], undefined);
    expect(ready.code, ready.stderr).toBe(0);
  }, 90_000);
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await daemon?.stop();
  });

  it('prints the output of the command, POD_IP being the pod IP', async () => {
    const ip = (await k(['get', 'pod', 'one', '-o', 'jsonpath={.status.podIP}'])).stdout;
    expect(ip).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(await mini(['exec', 'one', '--', 'printenv', 'POD_IP'])).toEqual({ code: 0, stdout: `${ip}\n`, stderr: '' });
    expect(await mini(['exec', 'pod/one', '--', 'sh', '-c', 'echo out; echo err >&2'])).toEqual({ code: 0, stdout: 'out\n', stderr: 'err\n' });
  }, 30_000);

  it('forwards stdin with -i until it ends', async () => {
    const input = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    expect(await mini(['exec', '-i', 'one', '--', 'cat'], input)).toEqual({ code: 0, stdout: input, stderr: '' });
    expect(await mini(['exec', '-i', 'one', '--', 'wc', '-l'], 'a\nb\n')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\s*2\n$/) });
  }, 30_000);

  it('runs in the pod a Service selects, as kubectl does', async () => {
    const args = ['exec', 'svc/one-svc', '--', 'printenv', 'HOSTNAME'];
    expect(await mini(args)).toEqual({ code: 0, stdout: 'one\n', stderr: '' });
    expect(await k(args)).toEqual({ code: 0, stdout: 'one\n', stderr: '' });
  }, 30_000);

  it('exits with the exit code of the command, as kubectl does', async () => {
    const args = ['exec', 'one', '--', 'sh', '-c', 'echo before; exit 3'];
    const want = { code: 3, stdout: 'before\n', stderr: 'command terminated with exit code 3\n' };
    expect(await mini(args)).toEqual(want);
    expect(await k(args)).toEqual(want);
  }, 30_000);

  it('picks the container with -c, else the default one with a notice', async () => {
    expect(await mini(['exec', 'two', '-c', 'second', '--', 'printenv', 'WHO'])).toEqual({ code: 0, stdout: 'second\n', stderr: '' });
    for (const args of [['exec', 'two', '--', 'printenv', 'HOSTNAME'], ['exec', 'three', '--', 'printenv', 'HOSTNAME'], ['exec', '-q', 'two', '--', 'echo', 'quiet']]) {
      const [a, b] = await Promise.all([mini(args), k(args)]);
      expect(a, args.join(' ')).toEqual(b);
    }
    expect((await mini(['exec', 'two', '--', 'echo'])).stderr).toBe('Defaulted container "first" out of: first, second\n');
  }, 30_000);

  it.each([
    ['a missing pod', ['exec', 'nope', '--', 'echo']],
    ['a missing container', ['exec', 'two', '-c', 'nope', '--', 'echo']],
    ['a missing namespace', ['exec', '-n', 'nons', 'one', '--', 'echo']],
    ['a missing workload', ['exec', 'deploy/nope', '--', 'echo']],
    ['no command', ['exec', 'one']],
    ['no pod', ['exec']],
    ['a missing executable', ['exec', 'one', '--', 'no-such-command-here']],
  ])('reports %s as kubectl does', async (_what, args) => {
    const [a, b] = await Promise.all([mini(args), k(args)]);
    expect(a).toEqual(b);
    expect(a.code).not.toBe(0);
  }, 30_000);

  it('words a command without -- as kubectl does', async () => {
    const [a, b] = await Promise.all([mini(['exec', 'one', 'echo', 'hi']), k(['exec', 'one', 'echo', 'hi'])]);
    expect(a).toEqual({ ...b, stderr: b.stderr.replace("'kubectl exec -h'", "'mini-kubectl exec -h'") });
  }, 30_000);

  it.each([['mini-kubectl'], [kubectlBinary()]])('%s exec -it gets a terminal of its own size with TERM set', async (bin) => {
    const session = underTerminal(`stty cols 91 rows 33; ${bin} exec -it one -- sh -c 'tty; stty size; echo TERM=$TERM; tput cols'; echo rc=$?`);
    await waitFor(() => session.output().includes('rc='), { timeoutMs: 20_000, message: 'the session to end' });
    expect(session.output().replace(/\r/g, '')).toMatch(/^\/dev\/pts\/\d+\n33 91\nTERM=xterm\n91\nrc=0\n$/);
  }, 30_000);

  it.each([['mini-kubectl'], [kubectlBinary()]])('%s exec -it resizes the remote terminal with the local one', async (bin) => {
    const session = underTerminal(`stty cols 91 rows 33; echo "local=$(tty)"; exec ${bin} exec -it one -- sh -c 'trap "stty size; exit 0" WINCH; echo ready; while :; do sleep 0.1; done'`);
    const local = await waitFor(() => /local=(\S+)/.exec(session.output())?.[1], { timeoutMs: 20_000 });
    await waitFor(() => session.output().includes('ready'), { timeoutMs: 20_000, message: 'the remote shell' });
    // Resizing the local terminal signals SIGWINCH to the client, which sends the new size.
    expect((await new Promise<number | null>((r) => spawn('stty', ['-F', local, 'cols', '120', 'rows', '40']).on('close', r)))).toBe(0);
    await waitFor(() => session.output().includes('40 120'), { timeoutMs: 20_000, message: 'the new size inside' });
    await waitFor(() => session.child.exitCode !== null, { timeoutMs: 20_000, message: 'the session to end' });
  }, 60_000);

  it('kubectl attach streams the container output from now until it exits', async () => {
    const run = await k(['run', 'tick', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'i=0; while [ $i -lt 60 ]; do echo "tick $i"; i=$((i+1)); sleep 0.2; done']);
    expect(run.code, run.stderr).toBe(0);
    await waitFor(async () => (await k(['logs', 'tick'])).stdout.includes('tick 3'), { timeoutMs: 30_000, message: 'the first lines' });
    const res = await k(['attach', 'tick']);
    expect(res.code, res.stderr).toBe(0);
    const ticks = res.stdout.trim().split('\n').map((l) => Number(/^tick (\d+)$/.exec(l)?.[1]));
    expect(ticks[0]).toBeGreaterThan(3); // what was written before attaching is not repeated
    expect(ticks).toEqual(Array.from({ length: 60 - ticks[0]! }, (_, i) => ticks[0]! + i));
    // The pod has completed now: exec refuses it before connecting.
    await waitFor(async () => (await k(['get', 'pod', 'tick', '-o', 'jsonpath={.status.phase}'])).stdout === 'Succeeded', { timeoutMs: 20_000 });
    const [a, b] = await Promise.all([mini(['exec', 'tick', '--', 'true']), k(['exec', 'tick', '--', 'true'])]);
    expect(a).toEqual(b);
    expect(a).toEqual({ code: 1, stdout: '', stderr: 'error: cannot exec into a container in a completed pod; current phase is Succeeded\n' });
  }, 60_000);

  it('kubectl attach -i writes to the stdin a container keeps open, closed after the session with stdinOnce', async () => {
    const res = await k(['attach', '-i', 'reader', '-c', 'main'], 'hello\nworld\n');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe('got hello\ngot world\nbye\n');
  }, 60_000);
});
