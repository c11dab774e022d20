// The process runtime: every container is a real local process, leader of its own process group,
// with a sandbox directory per pod (sandbox.ts), its image resolved by the catalogue, env from
// env.ts, mounts from volumes.ts, output in CRI log files. Containers die with the runtime: close()
// stops them (SIGTERM, then SIGKILL), and a watchdog kills them if the daemon itself is killed
// (process-group.ts), so a restarted daemon finds none and starts its pods afresh. Should the
// watchdog die too, the pid files in the sandboxes let the next run kill what is left (leftovers.ts).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { ApiClient } from '@mini-kube/client';
import type { Container, Pod, Service } from 'kubernetes-types/core/v1';
import { serviceEnv } from '../service-env.js';
import type { ContainerLogOptions, Runtime, RuntimeContainer, StartContainerOptions } from '../types.js';
import { ContainerStartError } from '../types.js';
import { ImageResolveError, loadUserImages, resolveImage, type Launch } from './catalogue.js';
import { resolveContainerEnv } from './env.js';
import { spawnInContainer } from './exec.js';
import { killLeftovers, pidFile, processStart, removePidFile, writePidFile } from './leftovers.js';
import { processGroupUsage } from './metrics-proc.js';
import { runHook, type HookContext } from './hooks.js';
import { processSpec } from './launch.js';
import { readLog } from './log-reader.js';
import { LogWriter } from './log-writer.js';
import { ProcessGroups, signalGroup } from './process-group.js';
import * as layout from './sandbox.js';
import { prepareVolumes, mountsFor, startVolumeResync } from './volumes.js';
import { canUseMountNamespace, mountRootView, wrapForMounts } from './volumes-mounts.js';
import { podDnsMounts, type ClusterDnsSettings } from './dns-config.js';
import { webServerScript } from './web-server.js';

/** Resource limits of containers (cgroups.ts): optional, a no-op without it. */
export interface ContainerLimiter {
  create(id: string, container: Container): void | Promise<void>;
  addProcess(id: string, pid: number): void | Promise<void>;
  oomKilled(id: string): boolean | Promise<boolean>;
  remove(id: string): void | Promise<void>;
  /** CPU time and memory working set of the container, for the metrics API. */
  usage?(id: string): { cpuNanos: number; memoryBytes: number } | undefined;
  /** Why limits are not enforced (no writable cgroups...); undefined when they are. */
  unenforcedReason?(): string | undefined;
}

export interface ProcessRuntimeOptions {
  /** The daemon's data dir: sandboxes in `pods/`, user images in `images.yaml`. */
  dataDir: string;
  /** For ConfigMaps, Secrets and claims the containers' env and volumes refer to. */
  client: ApiClient;
  nodeName: string;
  limiter?: ContainerLimiter;
  /**
   * The Services known now (an informer's cache): a container gets their env vars
   * (`<SVC>_SERVICE_HOST`...) as they are when it starts, as in Kubernetes.
   */
  services?(): Service[];
  /** Bind-mount volumes in a private mount namespace; default: when root on Linux. */
  useNamespace?: boolean;
  /** Pods' resolv.conf and hosts file (dns-config.ts); default: no cluster DNS, domain cluster.local. */
  dns?: ClusterDnsSettings;
  /** How long close() lets containers stop after SIGTERM (default 5 s). */
  closeGraceMs?: number;
  /** Size of a log file before it is rotated; default MINI_KUBE_CONTAINER_LOG_MAX_SIZE (bytes), else 10 MiB. */
  logMaxBytes?: number;
}

const envLogMaxBytes = (): number | undefined => {
  const n = Number(process.env.MINI_KUBE_CONTAINER_LOG_MAX_SIZE);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

interface Instance {
  status: RuntimeContainer;
  pid?: number;
  log: LogWriter;
  spec: Container;
  hook: HookContext;
  terminationFile: string;
  /** Where the pid of the running process is recorded, for a restart after a crash. */
  pidFile: string;
  exited: Promise<void>;
  /** attach (server/attach.ts): the open stdin of a container with `stdin: true`. */
  stdin?: NodeJS.WritableStream & { writable: boolean };
}

interface Sandbox {
  dir: string;
  podIP: string;
  hostIP: string;
  volumes: Map<string, string>;
  stopResync: () => void;
  instances: Instance[];
}

const NO_CLUSTER_DNS: ClusterDnsSettings = { clusterDNS: [], clusterDomain: 'cluster.local' };
const now = (): number => Date.now();
const withAddresses = (pod: Pod, net: { podIP: string; hostIP: string }): Pod => ({ ...pod, status: { ...pod.status, podIP: net.podIP, hostIP: net.hostIP } });
const imageID = (image: string): string => `${image.replace(/:[^/:@]+$/, '')}@sha256:${createHash('sha256').update(image).digest('hex')}`;

export class ProcessRuntime implements Runtime {
  readonly version = 'process://1.0';
  /** Containers are real: the kubelet runs their probes. */
  readonly probes = true;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly byId = new Map<string, Instance>();
  private readonly listeners = new Set<(podUid: string) => void>();
  private readonly groups = new ProcessGroups();
  private readonly useNamespace: boolean;
  private readonly webScript: string;

  constructor(private readonly opts: ProcessRuntimeOptions) {
    this.useNamespace = opts.useNamespace ?? canUseMountNamespace();
    this.webScript = join(opts.dataDir, 'bin', 'mini-kube-web.cjs');
  }

  async startSandbox(pod: Pod, net: { podIP: string; hostIP: string }): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    if (this.sandboxes.has(uid)) return;
    const dir = layout.sandboxDir(this.opts.dataDir, uid);
    await mkdir(join(dir, 'term'), { recursive: true });
    const volumes = await prepareVolumes(withAddresses(pod, net), dir, this.opts.client, { dataDir: this.opts.dataDir });
    const stopResync = startVolumeResync(pod, dir, this.opts.client);
    // The sandbox keeps no copy of the pod: each container start is given the current one.
    this.sandboxes.set(uid, { dir, ...net, volumes, stopResync, instances: [] });
  }

  async startContainer(pod: Pod, container: Container, opts: StartContainerOptions): Promise<RuntimeContainer> {
    const uid = pod.metadata?.uid ?? '';
    const sb = this.sandboxes.get(uid);
    if (!sb) throw new Error(`pod ${uid} has no sandbox`);
    const { env, command, args } = await resolveContainerEnv(pod, container, {
      client: this.opts.client,
      podIP: sb.podIP,
      hostIP: sb.hostIP,
      nodeName: this.opts.nodeName,
      serviceEnv: this.opts.services && serviceEnv(this.opts.services(), pod.metadata?.namespace ?? 'default', pod.spec?.enableServiceLinks ?? true),
    });
    const launch = this.resolve(container, command, args);
    const id = randomBytes(32).toString('hex');
    const name = container.name;
    const volumeMounts = mountsFor(container, sb.volumes);
    const mounts = [...volumeMounts, ...(await podDnsMounts(sb.dir, withAddresses(pod, sb), this.opts.dns ?? NO_CLUSTER_DNS, volumeMounts))];
    const termination = { path: container.terminationMessagePath || '/dev/termination-log', hostFile: layout.terminationFile(sb.dir, name, opts.attempt) };
    const rootView = layout.rootView(sb.dir, name);
    mkdirSync(rootView, { recursive: true });
    writeFileSync(termination.hostFile, '');
    if (launch.kind === 'builtin' && !existsSync(this.webScript)) {
      mkdirSync(join(this.opts.dataDir, 'bin'), { recursive: true });
      writeFileSync(this.webScript, webServerScript());
    }
    const spec = processSpec({
      launch,
      env,
      workingDir: container.workingDir,
      mounts,
      termination,
      podIP: sb.podIP,
      hostname: pod.spec?.hostname ?? pod.metadata?.name ?? '',
      rootView,
      useNamespace: this.useNamespace,
      nodePath: process.execPath,
      webScript: this.webScript,
      hostPATH: process.env.PATH ?? '',
    });
    if (spec.rootViewMounts) await mountRootView(rootView, spec.rootViewMounts);
    await this.opts.limiter?.create(id, container);

    mkdirSync(layout.logDir(sb.dir, name), { recursive: true });
    const log = new LogWriter(layout.logFile(sb.dir, name, opts.attempt), this.opts.logMaxBytes ?? envLogMaxBytes());
    let markExited = (): void => {};
    const inst: Instance = {
      status: { id: `process://${id}`, podUid: uid, name, attempt: opts.attempt, image: container.image ?? '', imageID: imageID(container.image ?? ''), state: 'running', createdAt: now(), startedAt: now() },
      log,
      spec: container,
      terminationFile: termination.hostFile,
      pidFile: pidFile(sb.dir, name, opts.attempt),
      hook: {
        podIP: sb.podIP,
        env: spec.env,
        cwd: spec.cwd,
        wrap: (argv) => (this.useNamespace ? wrapForMounts(argv, mounts, true) : argv),
        ports: Object.fromEntries((container.ports ?? []).filter((p) => p.name).map((p) => [p.name!, p.containerPort])),
      },
      exited: new Promise<void>((resolve) => (markExited = resolve)),
    };
    this.keepNewest(sb, inst);
    // attach (server/attach.ts): a container with `stdin: true` keeps its stdin open, as runtimes do.
    const child = this.groups.spawn(spec.argv, { cwd: spec.cwd, env: spec.env, stdio: [container.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    if (child.stdin) inst.stdin = child.stdin.on('error', () => undefined);
    inst.pid = child.pid;
    this.recordPid(inst, child.pid, id);
    child.stdout!.on('data', (chunk: Buffer) => log.write('stdout', chunk));
    child.stderr!.on('data', (chunk: Buffer) => log.write('stderr', chunk));
    let spawnError: Error | undefined;
    child.on('error', (err) => (spawnError = err));
    child.on('exit', () => {
      // The container is its main process: what it leaves running dies with it, which closes the pipes.
      if (child.pid) this.groups.reap(child.pid);
    });
    child.on('close', (code, signal) => {
      void this.finish(inst, spawnError ? 128 : (code ?? 128 + signalNumber(signal)), spawnError).finally(markExited);
    });
    if (child.pid) await this.opts.limiter?.addProcess(id, child.pid);
    return { ...inst.status };
  }

  /**
   * Kills the containers of this node that an earlier run left running (the daemon and its
   * watchdog were killed): called by the kubelet before it syncs pods, which then start afresh.
   */
  async cleanupLeftovers(): Promise<number> {
    const killed = await killLeftovers(this.opts.dataDir, this.opts.nodeName, { onGone: (r) => this.opts.limiter?.remove(r.id) });
    return killed.length;
  }

  /** Why resource limits are not enforced on this node; undefined when they are. */
  unenforcedLimits(): string | undefined {
    if (!this.opts.limiter) return 'this node has no resource limiter';
    return this.opts.limiter.unenforcedReason?.();
  }

  /** attach (server/attach.ts): the stdin of a running container with `stdin: true`. */
  containerStdin(id: string): NodeJS.WritableStream | undefined {
    return this.byId.get(id)?.stdin;
  }

  spawnExec(id: string, argv: string[]): ChildProcessWithoutNullStreams {
    const inst = this.byId.get(id);
    if (!inst || inst.status.state !== 'running') throw new Error(`container ${id} is not running`);
    return spawnInContainer(inst.hook, argv);
  }

  stats(id: string): { cpuNanos: number; memoryBytes: number } | undefined {
    const inst = this.byId.get(id);
    if (!inst || inst.status.state !== 'running') return undefined;
    return this.opts.limiter?.usage?.(id) ?? (inst.pid ? processGroupUsage(inst.pid) : undefined);
  }

  async stopContainer(id: string, gracePeriodSeconds: number): Promise<void> {
    const inst = this.byId.get(id);
    if (!inst || inst.status.state === 'exited') return;
    const deadline = now() + Math.max(0, gracePeriodSeconds) * 1000;
    const preStop = inst.spec.lifecycle?.preStop;
    if (preStop && gracePeriodSeconds > 0) await runHook(preStop, inst.hook, deadline - now());
    if (inst.pid) signalGroup(inst.pid, 'SIGTERM');
    const timer = setTimeout(() => inst.pid && signalGroup(inst.pid, 'SIGKILL'), Math.max(0, deadline - now()));
    await inst.exited;
    clearTimeout(timer);
  }

  async removeSandbox(podUid: string): Promise<void> {
    const sb = this.sandboxes.get(podUid);
    if (!sb) {
      // Nothing runs: the pod is being forgotten (or was left by an earlier run), so its logs go too.
      await rm(layout.sandboxDir(this.opts.dataDir, podUid), { recursive: true, force: true });
      return;
    }
    this.sandboxes.delete(podUid);
    sb.stopResync();
    for (const inst of sb.instances) if (inst.pid && inst.status.state !== 'exited') signalGroup(inst.pid, 'SIGKILL');
    await Promise.all(sb.instances.map((i) => i.exited));
    for (const inst of sb.instances) this.forget(inst);
    // A finished pod keeps its logs (kubectl logs works on it) until it is deleted.
    await layout.cleanSandbox(sb.dir);
  }

  containers(podUid: string): RuntimeContainer[] {
    return (this.sandboxes.get(podUid)?.instances ?? []).map((i) => ({ ...i.status }));
  }

  onChange(listener: (podUid: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  logs(podUid: string, container: string, opts: ContainerLogOptions, signal?: AbortSignal): AsyncIterable<Buffer> | undefined {
    const dir = layout.sandboxDir(this.opts.dataDir, podUid);
    const attempts = layout.loggedAttempts(dir, container);
    const attempt = opts.previous ? attempts.at(-2) : attempts.at(-1);
    if (attempt === undefined) return undefined;
    const files = layout.logFiles(dir, container, attempt);
    const live = this.sandboxes.get(podUid)?.instances.find((i) => i.status.name === container && i.status.attempt === attempt);
    return readLog(files, opts, live && !live.log.isClosed ? live.log : undefined, signal);
  }

  async close(): Promise<void> {
    for (const sb of this.sandboxes.values()) sb.stopResync();
    await this.groups.shutdown(this.opts.closeGraceMs ?? 5000);
    await Promise.all([...this.byId.values()].map((i) => i.exited));
    this.listeners.clear();
  }

  private resolve(container: Container, command: string[] | undefined, args: string[] | undefined): Launch {
    const imagesFile = join(this.opts.dataDir, 'images.yaml');
    try {
      const port = container.ports?.[0]?.containerPort;
      return resolveImage({ image: container.image ?? '', command, args, port }, loadUserImages(imagesFile), imagesFile);
    } catch (err) {
      if (err instanceof ImageResolveError) throw new ContainerStartError('ErrImagePull', err.message);
      throw new ContainerStartError('ErrImagePull', `${imagesFile}: ${(err as Error).message}`);
    }
  }

  /** Adds `inst`, dropping instances of the same name older than the one before it. */
  private keepNewest(sb: Sandbox, inst: Instance): void {
    const older = sb.instances.filter((x) => x.status.name === inst.status.name && x.status.attempt < inst.status.attempt - 1);
    for (const x of older) this.forget(x);
    sb.instances = [...sb.instances.filter((x) => !older.includes(x)), inst];
    this.byId.set(inst.status.id, inst);
  }

  private async finish(inst: Instance, exitCode: number, spawnError: Error | undefined): Promise<void> {
    inst.log.close();
    removePidFile(inst.pidFile);
    const id = inst.status.id.slice('process://'.length);
    const oom = (await this.opts.limiter?.oomKilled(id)) ?? false;
    await this.opts.limiter?.remove(id);
    let message = spawnError ? `failed to start container: ${spawnError.message}` : layout.readTerminationMessage(inst.terminationFile);
    if (!message && exitCode !== 0 && inst.spec.terminationMessagePolicy === 'FallbackToLogsOnError') message = await this.logText(inst);
    Object.assign(inst.status, {
      state: 'exited',
      exitCode,
      reason: spawnError ? 'StartError' : oom ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error',
      finishedAt: now(),
      ...(message ? { message } : {}),
    });
    for (const listener of this.listeners) listener(inst.status.podUid);
  }

  /** The pid file of a started container; without one, only the watchdog guards against a crash. */
  private recordPid(inst: Instance, pid: number | undefined, id: string): void {
    const start = pid && processStart(pid);
    if (!pid || !start) return; // exited (or never started) already
    try {
      writePidFile(inst.pidFile, { node: this.opts.nodeName, pid, start, id });
    } catch (err) {
      console.warn(`mini-kube: no pid file for container ${inst.status.name}: ${(err as Error).message}`);
    }
  }

  private async logText(inst: Instance): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of readLog([`${inst.log.file}.1`, inst.log.file], { tailLines: 80 })) chunks.push(chunk);
    return layout.logTail(Buffer.concat(chunks).toString());
  }

  private forget(inst: Instance): void {
    this.byId.delete(inst.status.id);
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal ? (constants.signals[signal] ?? 0) : 0;
}
