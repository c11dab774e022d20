// SimRuntime on a FakeClock: containers move through their stages as the annotations say.
import { createHash } from 'node:crypto';
import { FakeClock } from '@mini-kube/runtime';
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { SimRuntime, type RuntimeContainer } from '../src/index.js';

function pod(annotations: Record<string, string> = {}, probe = false): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1', annotations },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...(probe ? { readinessProbe: { initialDelaySeconds: 5 } } : {}) }] },
  };
}

async function setup(p: Pod, startDelayMs = 0) {
  const clock = new FakeClock(0);
  const runtime = new SimRuntime({ clock, startDelayMs });
  const changes: string[] = [];
  runtime.onChange((uid) => changes.push(uid));
  await runtime.startSandbox(p, { podIP: '127.244.1.2', hostIP: '127.10.0.1' });
  const starting = runtime.startContainer(p, p.spec!.containers[0]!, { attempt: 0, init: false });
  const state = () => runtime.containers('u1')[0]!;
  return { clock, runtime, changes, starting, state };
}

describe('SimRuntime', () => {
  it('creates, and starts once running after the start delay, ready at once; runs until stopped', async () => {
    const { clock, starting, state, changes, runtime } = await setup(pod(), 100);
    let started: RuntimeContainer | undefined;
    void starting.then((c) => (started = c));
    await clock.advance(99);
    expect(started).toBeUndefined();
    expect(state()).toMatchObject({ state: 'created', name: 'web', attempt: 0, image: 'nginx:1.27' });
    await clock.advance(1);
    expect(started).toMatchObject({ state: 'running', startedAt: 100, ready: true });
    expect(started!.imageID).toMatch(/^nginx@sha256:/);
    expect(state()).toMatchObject({ state: 'running', startedAt: 100, ready: true });
    expect(changes).toEqual([]); // the starter learns it from startContainer
    await clock.advance(3_600_000);
    expect(state().state).toBe('running');
    const stopping = runtime.stopContainer(state().id, 30);
    await clock.advance(0);
    await stopping;
    expect(state()).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed', ready: false });
  });

  it('exits with exit-code after run-seconds', async () => {
    const { clock, state } = await setup(pod({ 'sim.mini-kube.io/run-seconds': '2', 'sim.mini-kube.io/exit-code': '7' }));
    expect(state().state).toBe('running');
    await clock.advance(1999);
    expect(state().state).toBe('running');
    await clock.advance(1);
    expect(state()).toMatchObject({ state: 'exited', exitCode: 7, reason: 'Error', finishedAt: 2000 });
  });

  it('becomes ready after the readiness probe delay, never when never-ready', async () => {
    const probed = await setup(pod({}, true));
    expect(probed.state().ready).toBe(false);
    await probed.clock.advance(5000);
    expect(probed.state().ready).toBe(true);
    const never = await setup(pod({ 'sim.mini-kube.io/never-ready': 'true' }));
    await never.clock.advance(60_000);
    expect(never.state()).toMatchObject({ state: 'running', ready: false });
  });

  it('ends a pending start when the container is stopped or its sandbox removed before it runs', async () => {
    const stopped = await setup(pod(), 100);
    await stopped.runtime.stopContainer(stopped.state().id, 30);
    await expect(stopped.starting).resolves.toMatchObject({ state: 'exited', exitCode: 137 });
    const removed = await setup(pod(), 100);
    await removed.runtime.removeSandbox('u1');
    await expect(removed.starting).resolves.toMatchObject({ state: 'created' });
    expect(removed.clock.pendingTimers).toBe(0);
  });

  it('gives each container a distinct 64-hex-digit ID and its image a digest', async () => {
    const { runtime } = await setup(pod());
    const p = pod();
    const ids = new Set<string>();
    for (let attempt = 1; attempt <= 600; attempt++) ids.add((await runtime.startContainer(p, p.spec!.containers[0]!, { attempt, init: false })).id);
    expect(ids.size).toBe(600); // more than one refill of the ID pool
    expect([...ids].every((id) => /^sim:\/\/[0-9a-f]{64}$/.test(id))).toBe(true);
    expect(runtime.containers('u1')[0]!.imageID).toBe(`nginx@sha256:${createHash('sha256').update('nginx:1.27').digest('hex')}`);
  });

  it('kills a container that takes longer to stop than its grace period', async () => {
    const { clock, runtime, state } = await setup(pod({ 'sim.mini-kube.io/stop-seconds': '20' }));
    let done = false;
    void runtime.stopContainer(state().id, 5).then(() => (done = true));
    await clock.advance(4999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
    expect(state()).toMatchObject({ state: 'exited', exitCode: 137, reason: 'Error' });
  });

  it('keeps the newest two instances of a container and forgets a removed sandbox', async () => {
    const { runtime } = await setup(pod({ 'sim.mini-kube.io/exit-code': '1' }));
    const p = pod({ 'sim.mini-kube.io/exit-code': '1' });
    for (const attempt of [1, 2, 3]) await runtime.startContainer(p, p.spec!.containers[0]!, { attempt, init: false });
    expect(runtime.containers('u1').map((c) => c.attempt)).toEqual([2, 3]);
    await runtime.removeSandbox('u1');
    expect(runtime.containers('u1')).toEqual([]);
  });
});
