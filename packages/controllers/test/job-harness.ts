// A real in-process API server with the Job (and CronJob) controllers on a fake clock; pods are
// finished by hand, as a kubelet would report them.
import { setMaxListeners } from 'node:events';
import { findResource, type KObject } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { EventRecorder, FakeClock, InformerFactory } from '@mini-kube/runtime';
import { openStore } from '@mini-kube/store';
import { waitFor } from '@mini-kube/testing';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { Controller, ControllerContext } from '../src/context.js';

export const JOBS = findResource('batch', 'v1', 'jobs')!;
export const CRONJOBS = findResource('batch', 'v1', 'cronjobs')!;
export const PODS = findResource('', 'v1', 'pods')!;
export const EVENTS = findResource('', 'v1', 'events')!;
export type JobObject = Job & KObject;
export type PodObject = Pod & KObject;

export class Harness {
  readonly clock: FakeClock;
  private abort = new AbortController();
  private running: Promise<unknown> = Promise.resolve();
  private constructor(readonly server: ApiServer, readonly client: ApiClient, startMs: number) {
    this.clock = new FakeClock(startMs);
    setMaxListeners(50, this.abort.signal);
  }

  /** A server, and the controllers on a fake clock starting at `startMs`. */
  static async start(controllers: Controller[], startMs = Date.UTC(2024, 0, 1, 0, 0, 30)): Promise<Harness> {
    const server = new ApiServer({ store: await openStore('memory') });
    const client = new ApiClient({ server: `http://${await server.listen('127.0.0.1', 0)}` });
    const h = new Harness(server, client, startMs);
    if (controllers.length > 0) h.startControllers(controllers);
    return h;
  }

  startControllers(controllers: Controller[]): void {
    const informers = new InformerFactory(this.client); // informers on real time, controllers on the fake clock
    const ctx: ControllerContext = {
      client: this.client,
      informers,
      recorder: (component) => new EventRecorder(this.client, { component }),
      clock: this.clock,
      signal: this.abort.signal,
      options: { nodeMonitorGracePeriodMs: 40_000, nodeMonitorPeriodMs: 5_000, workers: 2 },
    };
    this.running = Promise.all(controllers.map((c) => c(ctx)));
    informers.start(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running.catch(() => undefined);
    await this.client.close();
    await this.server.close();
  }

  /** Waits for `fn`, moving the fake clock by `stepMs` between tries (so back-offs and retries pass). */
  until<T>(fn: () => T | Promise<T>, message: string, stepMs = 0): Promise<NonNullable<T>> {
    return waitFor(async () => {
      const v = await fn();
      if (!v && stepMs > 0) await this.clock.advance(stepMs);
      return v;
    }, { message, timeoutMs: 10_000, intervalMs: 20 });
  }

  job = (name: string): Promise<JobObject> => this.client.get<JobObject>(JOBS, name, { namespace: 'default' });

  async pods(job: string): Promise<PodObject[]> {
    const list = await this.client.list<PodObject>(PODS, { namespace: 'default', labelSelector: `batch.kubernetes.io/job-name=${job}` });
    return list.items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  }

  activePods = async (job: string): Promise<PodObject[]> =>
    (await this.pods(job)).filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');

  /** Reports the pod finished as a kubelet would: phase and the container's exit code. */
  async finish(pod: PodObject, exitCode: number, conditions: { type: string; status: string }[] = []): Promise<void> {
    const at = new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const live = await this.client.get<PodObject>(PODS, pod.metadata.name!, { namespace: 'default' });
    await this.client.updateStatus(PODS, {
      ...live,
      status: {
        phase: exitCode === 0 ? 'Succeeded' : 'Failed',
        conditions,
        containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, startedAt: at, finishedAt: at } } }],
      },
    });
  }

  async eventReasons(): Promise<string[]> {
    return (await this.client.list(EVENTS, { namespace: 'default' })).items.map((e) => `${e.reason}: ${e.message}`);
  }
}

export function jobManifest(name: string, spec: Record<string, unknown> = {}): JobObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      ...spec,
    },
  } as JobObject;
}

export const conditionTypes = (job: Job): string[] => (job.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type);
