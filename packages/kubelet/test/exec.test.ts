// kubectl exec end to end: the real kubectl → the API server's pods/exec (WebSocket, v5.channel.k8s.io)
// → the kubelet's /exec endpoint → a real process, with stdin, stdout, stderr and exit codes; and
// kubectl attach → pods/attach → the kubelet's /attach endpoint (the container's log and stdin).
// The node side is assembled by hand (a Node object pointing at the exec endpoint, the pod's
// status set Running) so that nothing but exec is under test.
import { findResource, type KObject } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { openStore } from '@mini-kube/store';
import { hasKubectl, kubectl, makeTempDir, waitFor } from '@mini-kube/testing';
import type { Pod } from 'kubernetes-types/core/v1';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimRuntime } from '../src/index.js';
import { collectExec, exitStatus, findSessionTty, kill, resizeTty, spawnInContainer, ttyArgv } from '../src/process/exec.js';
import { parseSize } from '../src/server/channels.js';
import { execUpgradeHandler } from '../src/server/exec.js';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;

/** The sim runtime, running exec'd commands on the host; attach reads `output` and writes `input`. */
class HostExecRuntime extends SimRuntime {
  /** The containers exec may run in. */
  readonly running = new Set<string>();
  readonly output = new PassThrough();
  readonly input = new PassThrough();

  logs(): AsyncIterable<Buffer> {
    return this.output;
  }

  containerStdin(): PassThrough {
    return this.input;
  }

  spawnExec(id: string, argv: string[]): ChildProcessWithoutNullStreams {
    if (!this.running.has(id)) throw new Error(`container ${id} is not running`);
    return spawn(argv[0]!, argv.slice(1), { detached: true, stdio: 'pipe', env: { ...process.env, FROM_CONTAINER: 'yes' } });
  }
}

describe('exec helpers', () => {
  it.each([
    [0, { metadata: {}, status: 'Success' }],
    [3, { status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } }],
  ])('exit %i → status', (code, want) => expect(exitStatus(code, ['sh'])).toMatchObject(want));

  it('quotes a command for the pseudo-terminal wrapper, sizing the terminal and setting TERM', () => {
    const wrap = (command: string) => ['script', '--quiet', '--flush', '--return', '--command', command, '/dev/null'];
    expect(ttyArgv(['sh', '-c', "echo 'hi there'"])).toEqual(wrap(`TERM="\${TERM:-xterm}"; export TERM; exec sh -c 'echo '\\''hi there'\\'''`));
    expect(ttyArgv(['top'], { width: 80, height: 24 })).toEqual(wrap(`stty cols 80 rows 24 2>/dev/null; TERM="\${TERM:-xterm}"; export TERM; exec top`));
  });

  it.each([
    ['{"Width":80,"Height":24}', { width: 80, height: 24 }],
    ['{"Width":0,"Height":24}', undefined],
    ['{"Width":1.5,"Height":24}', undefined],
    ['{"Height":24}', undefined],
    ['not json', undefined],
  ])('resize message %s', (text, want) => expect(parseSize(Buffer.from(text))).toEqual(want));

  it('starts a terminal at a size and resizes it', async () => {
    const argv = ttyArgv(['sh', '-c', 'stty size; trap "stty size; exit 0" WINCH; echo ready; while :; do sleep 0.1; done'], { width: 70, height: 20 });
    const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await waitFor(() => out.includes('ready'), { message: 'the shell' });
      expect(out).toContain('20 70');
      const tty = findSessionTty(child.pid!);
      expect(tty).toMatch(/^\/proc\/\d+\/fd\/0$/);
      await resizeTty(tty!, { width: 100, height: 30 });
      await waitFor(() => out.includes('30 100'), { message: 'the new size' });
    } finally {
      kill(child);
    }
  });

  it('collects output and times out', async () => {
    const run = (argv: string[], ms: number) => collectExec(spawn(argv[0]!, argv.slice(1), { detached: true, stdio: 'pipe' }), argv, ms);
    expect(await run(['sh', '-c', 'echo a; echo b >&2; exit 4'], 5000)).toEqual({ exitCode: 4, output: 'a\nb\n' });
    await expect(run(['sleep', '10'], 200)).rejects.toThrow('command "sleep 10" timed out');
  });

  it('spawns in the container’s env and working dir, through its wrapper', async () => {
    const cwd = makeTempDir();
    const ctx = { env: { PATH: process.env.PATH ?? '', WHO: 'container' }, cwd, wrap: (argv: string[]) => ['env', 'WRAPPED=1', ...argv] };
    const argv = ['sh', '-c', 'echo $WHO $WRAPPED $(pwd)'];
    expect(await collectExec(spawnInContainer(ctx, argv), argv, 5000)).toEqual({ exitCode: 0, output: `container 1 ${cwd}\n` });
  });

  it('runs a command under a pseudo-terminal', async () => {
    const argv = ttyArgv(['sh', '-c', 'test -t 1 && echo tty']);
    expect(await collectExec(spawn(argv[0]!, argv.slice(1), { stdio: 'pipe' }), argv, 5000)).toMatchObject({ exitCode: 0, output: expect.stringContaining('tty') });
  });
});

describe.skipIf(!hasKubectl())('kubectl exec through the API server', () => {
  let server: ApiServer;
  let client: ApiClient;
  let kubelet: Server;
  let kubeconfig: string;
  const runtime = new HostExecRuntime({ startDelayMs: 0 });

  beforeAll(async () => {
    server = new ApiServer({ store: await openStore('memory') });
    const address = await server.listen('127.0.0.1', 0);
    client = new ApiClient({ server: `http://${address}` });
    kubeconfig = join(makeTempDir(), 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: http://${address}\ncontexts:\n- name: t\n  context:\n    cluster: t\n    user: t\ncurrent-context: t\nusers:\n- name: t\n  user: {}\n`,
    );

    const pod = await client.create<Pod & KObject>(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'box', namespace: 'default' },
      spec: { nodeName: 'node-x', containers: [{ name: 'main', image: 'busybox', stdin: true }, { name: 'idle', image: 'busybox' }] },
    } as KObject);
    await runtime.startSandbox(pod, { podIP: '127.0.0.1', hostIP: '127.0.0.1' });
    const main = await runtime.startContainer(pod, pod.spec!.containers[0]!, { attempt: 0, init: false });
    runtime.running.add(main.id);
    kubelet = createServer((_req, res) => res.writeHead(404).end());
    const onUpgrade = execUpgradeHandler({ runtime, getPod: (ns, name) => (ns === 'default' && name === 'box' ? pod : undefined) });
    kubelet.on('upgrade', (req, socket, head) => {
      if (!onUpgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((r) => kubelet.listen(0, '127.0.0.1', r));
    const node = await client.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-x' } } as KObject);
    await client.updateStatus(NODES, {
      ...node,
      status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: (kubelet.address() as AddressInfo).port } } },
    } as KObject);
    const running = { running: { startedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } };
    await client.updateStatus(PODS, {
      ...pod,
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'main', image: 'busybox', imageID: '', ready: true, restartCount: 0, state: running },
          { name: 'idle', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
        ],
      },
    } as KObject);
  });

  afterAll(async () => {
    await new Promise<void>((r) => {
      kubelet.close(() => r());
      kubelet.closeAllConnections();
    });
    await runtime.close();
    await client.close();
    await server.close();
  });

  it('runs a command and copies stdout and stderr', async () => {
    const r = await kubectl(['exec', 'box', '-c', 'main', '--', 'sh', '-c', 'echo out $FROM_CONTAINER; echo err >&2'], { kubeconfig });
    expect(r).toMatchObject({ code: 0, stdout: 'out yes\n', stderr: 'err\n' });
  });

  it('passes stdin through to its end', async () => {
    const r = await kubectl(['exec', '-i', 'box', '-c', 'main', '--', 'sh', '-c', 'cat; echo done'], { kubeconfig, stdin: 'hello-in\nline 2\n' });
    expect(r).toMatchObject({ code: 0, stdout: 'hello-in\nline 2\ndone\n' });
  });

  it('exits with the command’s exit code', async () => {
    const r = await kubectl(['exec', 'box', '-c', 'main', '--', 'sh', '-c', 'exit 3'], { kubeconfig });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('command terminated with exit code 3');
  });

  it('says why it cannot exec into a container that is not running, or not there', async () => {
    const notRunning = await kubectl(['exec', 'box', '-c', 'idle', '--', 'true'], { kubeconfig });
    expect(notRunning.code).not.toBe(0);
    expect(notRunning.stderr).toContain('unable to upgrade connection: container not found ("idle")');
    const missing = await kubectl(['exec', 'nope', '--', 'true'], { kubeconfig });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('pods "nope" not found');
  });

  it('attaches: the container’s output, and the client’s input to its stdin', async () => {
    let received = '';
    runtime.input.on('data', (c: Buffer) => (received += c.toString()));
    const attach = kubectl(['attach', '-i', 'box', '-c', 'main'], { kubeconfig, stdin: 'to the container\n' });
    await waitFor(() => received === 'to the container\n', { timeoutMs: 20_000, message: 'the input' });
    runtime.output.end('from the container\n'); // the container exits: the session ends
    const r = await attach;
    expect(r).toMatchObject({ code: 0, stdout: 'from the container\n' });
  });
});
