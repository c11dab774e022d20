// A runtime that runs nothing: containers move through created → running → exited on timers, the
// way kwok's stages move fake pods, as the pod's sim.mini-kube.io annotations direct. startContainer
// takes the start delay and resolves with the container running.
import { createHash, randomBytes } from 'node:crypto';
import { realClock, type Clock } from '@mini-kube/runtime';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { Runtime, RuntimeContainer, StartContainerOptions } from '../types.js';
import { simBehaviour, type SimBehaviour } from './annotations.js';

export interface SimRuntimeOptions {
  clock?: Clock;
  /** How long startContainer takes (create to running): a fixed delay, or a random one in [min, max]. Default [0, 50] ms; 0 starts at once. */
  startDelayMs?: number | [number, number];
}

/** Exit code of a container killed when its grace period ran out (128 + SIGKILL). */
const KILLED_EXIT_CODE = 137;

interface SimContainer {
  status: RuntimeContainer;
  behaviour: SimBehaviour;
  timers: { cancel(): void }[];
  exited: Promise<void>;
  markExited(): void;
}

const imageIDs = new Map<string, string>(); // a node pool runs few images: hash each once
function imageID(image: string): string {
  let id = imageIDs.get(image);
  if (id === undefined) {
    id = `${image.replace(/:[^/:@]+$/, '')}@sha256:${createHash('sha256').update(image).digest('hex')}`;
    if (imageIDs.size < 1000) imageIDs.set(image, id);
  }
  return id;
}

/** 64 random hex digits, as a container ID, cut from a pool refilled 256 IDs at a time (one call to the CSPRNG each). */
const ID_BYTES = 32;
let idPool = Buffer.alloc(0);
let idOffset = 0;
function containerID(): string {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 256);
    idOffset = 0;
  }
  idOffset += ID_BYTES;
  return idPool.toString('hex', idOffset - ID_BYTES, idOffset);
}

export class SimRuntime implements Runtime {
  readonly version = 'sim://1.0';
  private readonly clock: Clock;
  private readonly startDelay: [number, number];
  private readonly pods = new Map<string, SimContainer[]>();
  private readonly byId = new Map<string, SimContainer>();
  private readonly listeners = new Set<(podUid: string) => void>();

  constructor(opts: SimRuntimeOptions = {}) {
    this.clock = opts.clock ?? realClock;
    const delay = opts.startDelayMs ?? [0, 50];
    this.startDelay = typeof delay === 'number' ? [delay, delay] : delay;
  }

  /** Nothing listens on the pod IP: a simulated pod has no network of its own. */
  async startSandbox(pod: Pod, _net: { podIP: string; hostIP: string }): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    if (!this.pods.has(uid)) this.pods.set(uid, []);
  }

  async startContainer(pod: Pod, container: Container, opts: StartContainerOptions): Promise<RuntimeContainer> {
    const podUid = pod.metadata?.uid ?? '';
    const list = this.pods.get(podUid);
    if (!list) throw new Error(`pod ${podUid} has no sandbox`);
    const image = container.image ?? '';
    let markExited = (): void => {};
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const c: SimContainer = {
      status: {
        id: `sim://${containerID()}`,
        podUid,
        name: container.name,
        attempt: opts.attempt,
        image,
        imageID: imageID(image),
        state: 'created',
        createdAt: this.clock.now(),
        ready: false,
      },
      behaviour: simBehaviour(pod, container, opts.init),
      timers: [],
      exited,
      markExited,
    };
    if (c.behaviour.usage) c.status.usage = c.behaviour.usage;
    // Keep the newest two instances of each name: the kubelet shows the previous one as lastState.
    const older = list.filter((x) => x.status.name === container.name && x.status.attempt < opts.attempt - 1);
    for (const x of older) this.forget(x);
    this.pods.set(podUid, [...list.filter((x) => !older.includes(x)), c]);
    this.byId.set(c.status.id, c);

    // Like CRI's StartContainer, resolve once the container runs (or was stopped meanwhile): the
    // kubelet's first status after a start then says Running, as kwok's one status patch does.
    const [min, max] = this.startDelay;
    const delay = min + Math.random() * (max - min);
    if (delay <= 0) this.run(c);
    else {
      await new Promise<void>((resolve) => {
        this.after(c, delay, () => {
          this.run(c);
          resolve();
        });
        void c.exited.then(resolve);
      });
    }
    return { ...c.status };
  }

  async stopContainer(id: string, gracePeriodSeconds: number): Promise<void> {
    const c = this.byId.get(id);
    if (!c || c.status.state === 'exited') return;
    if (c.status.state === 'created') {
      this.exit(c, KILLED_EXIT_CODE, 'Error');
    } else {
      const stopMs = c.behaviour.stopSeconds * 1000;
      const graceMs = Math.max(0, gracePeriodSeconds) * 1000;
      if (stopMs <= graceMs) this.after(c, stopMs, () => this.exit(c, 0, 'Completed'));
      else this.after(c, graceMs, () => this.exit(c, KILLED_EXIT_CODE, 'Error'));
    }
    await c.exited;
  }

  async removeSandbox(podUid: string): Promise<void> {
    for (const c of this.pods.get(podUid) ?? []) this.forget(c);
    this.pods.delete(podUid);
  }

  containers(podUid: string): RuntimeContainer[] {
    return (this.pods.get(podUid) ?? []).map((c) => ({ ...c.status }));
  }

  onChange(listener: (podUid: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const uid of [...this.pods.keys()]) await this.removeSandbox(uid);
    this.listeners.clear();
  }

  /** The container runs; its starter learns it from startContainer, so nobody is notified. */
  private run(c: SimContainer): void {
    const { behaviour, status } = c;
    status.state = 'running';
    status.startedAt = this.clock.now();
    status.ready = !behaviour.neverReady && behaviour.readyAfterSeconds === 0;
    if (!behaviour.neverReady && behaviour.readyAfterSeconds > 0) {
      this.after(c, behaviour.readyAfterSeconds * 1000, () => {
        status.ready = true;
        this.notify(status.podUid);
      });
    }
    if (behaviour.runSeconds !== undefined) this.after(c, behaviour.runSeconds * 1000, () => this.exit(c, behaviour.exitCode));
  }

  private exit(c: SimContainer, exitCode: number, reason?: string): void {
    if (c.status.state === 'exited') return;
    this.cancel(c);
    Object.assign(c.status, {
      state: 'exited',
      exitCode,
      reason: reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
      finishedAt: this.clock.now(),
      ready: false,
    });
    this.notify(c.status.podUid);
  }

  /** Stops a container's timers and releases whoever waits for it to stop. */
  private cancel(c: SimContainer): void {
    for (const t of c.timers) t.cancel();
    c.timers = [];
    c.markExited();
  }

  private after(c: SimContainer, ms: number, fn: () => void): void {
    c.timers.push(this.clock.setTimeout(fn, ms));
  }

  private forget(c: SimContainer): void {
    this.cancel(c);
    this.byId.delete(c.status.id);
  }

  private notify(podUid: string): void {
    for (const listener of this.listeners) listener(podUid);
  }
}
