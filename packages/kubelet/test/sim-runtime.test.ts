// SimRuntime on a FakeClock: containers move through their stages as the annotations say.
import { FakeClock } from '@mini-kube/runtime';
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { SimRuntime } from '../src/index.js';

function pod(annotations: Record<string, string> = {}, probe = false): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1', annotations },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...(probe ? { readinessProbe: { initialDelaySeconds: 5 } } : {}) }] },
  };
}

async function setup(p: Pod, startDelayMs = 100) {
  const clock = new FakeClock(0);
  const runtime = new SimRuntime({ clock, startDelayMs });
  const changes: string[] = [];
  runtime.onChange((uid) => changes.push(uid));
  await runtime.startSandbox(p, { podIP: '127.244.1.2', hostIP: '127.10.0.1' });
  const started = await runtime.startContainer(p, p.spec!.containers[0]!, { attempt: 0, init: false });
  const state = () => runtime.containers('u1')[0]!;
  return { clock, runtime, changes, started, state };
}

describe('SimRuntime', () => {
  it('creates, then runs after the start delay, ready at once; runs until stopped', async () => {
    const { clock, started, state, changes, runtime } = await setup(pod());
    expect(started).toMatchObject({ state: 'created', name: 'web', attempt: 0, image: 'nginx:1.27' });
    expect(started.imageID).toMatch(/^nginx@sha256:/);
    await clock.advance(100);
    expect(state()).toMatchObject({ state: 'running', startedAt: 100, ready: true });
    expect(changes).toEqual(['u1']);
    await clock.advance(3_600_000);
    expect(state().state).toBe('running');
    const stopping = runtime.stopContainer(state().id, 30);
    await clock.advance(0);
    await stopping;
    expect(state()).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed', ready: false });
  });

  it('exits with exit-code after run-seconds', async () => {
    const { clock, state } = await setup(pod({ 'sim.mini-kube.io/run-seconds': '2', 'sim.mini-kube.io/exit-code': '7' }), 0);
    expect(state().state).toBe('running');
    await clock.advance(1999);
    expect(state().state).toBe('running');
    await clock.advance(1);
    expect(state()).toMatchObject({ state: 'exited', exitCode: 7, reason: 'Error', finishedAt: 2000 });
  });

  it('becomes ready after the readiness probe delay, never when never-ready', async () => {
    const probed = await setup(pod({}, true), 0);
    expect(probed.state().ready).toBe(false);
    await probed.clock.advance(5000);
    expect(probed.state().ready).toBe(true);
    const never = await setup(pod({ 'sim.mini-kube.io/never-ready': 'true' }), 0);
    await never.clock.advance(60_000);
    expect(never.state()).toMatchObject({ state: 'running', ready: false });
  });

  it('kills a container that takes longer to stop than its grace period', async () => {
    const { clock, runtime, state } = await setup(pod({ 'sim.mini-kube.io/stop-seconds': '20' }), 0);
    let done = false;
    void runtime.stopContainer(state().id, 5).then(() => (done = true));
    await clock.advance(4999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
    expect(state()).toMatchObject({ state: 'exited', exitCode: 137, reason: 'Error' });
  });

  it('keeps the newest two instances of a container and forgets a removed sandbox', async () => {
    const { runtime } = await setup(pod({ 'sim.mini-kube.io/exit-code': '1' }), 0);
    const p = pod({ 'sim.mini-kube.io/exit-code': '1' });
    for (const attempt of [1, 2, 3]) await runtime.startContainer(p, p.spec!.containers[0]!, { attempt, init: false });
    expect(runtime.containers('u1').map((c) => c.attempt)).toEqual([2, 3]);
    await runtime.removeSandbox('u1');
    expect(runtime.containers('u1')).toEqual([]);
  });
});
