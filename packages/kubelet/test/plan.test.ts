// planPod: which containers one sync starts, and which wait out their back-off.
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import type { BackoffEntry } from '../src/backoff.js';
import { planPod } from '../src/pod-plan.js';
import type { RuntimeContainer } from '../src/types.js';

const NOW = 1_000_000;
const limits = { baseMs: 10_000, maxMs: 300_000 };

function spec(restartPolicy: string, init: string[] = [], main = ['web'], sidecars: string[] = []): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: {
      restartPolicy,
      initContainers: [...sidecars.map((name) => ({ name, restartPolicy: 'Always' })), ...init.map((name) => ({ name }))],
      containers: main.map((name) => ({ name, image: 'img' })),
    },
  };
}

function c(name: string, state: RuntimeContainer['state'], exitCode?: number, attempt = 0, finishedAt = NOW - 1_000): RuntimeContainer {
  return { id: `sim://${name}${attempt}`, podUid: 'u1', name, attempt, image: 'img', imageID: 'x', state, createdAt: 0, exitCode, finishedAt: state === 'exited' ? finishedAt : undefined };
}

const started = (p: ReturnType<typeof planPod>): string[] => p.start.map((s) => `${s.container.name}#${s.attempt}`);

describe('planPod', () => {
  const cases: { name: string; pod: Pod; containers: RuntimeContainer[]; backoff?: [string, BackoffEntry][]; start: string[]; waiting?: string[] }[] = [
    { name: 'a new pod starts its containers', pod: spec('Always', [], ['a', 'b']), containers: [], start: ['a#0', 'b#0'] },
    { name: 'a running pod needs nothing', pod: spec('Always'), containers: [c('web', 'running')], start: [] },
    { name: 'init containers start one at a time', pod: spec('Always', ['i1', 'i2']), containers: [], start: ['i1#0'] },
    { name: 'the next init container starts after one succeeded', pod: spec('Always', ['i1', 'i2']), containers: [c('i1', 'exited', 0)], start: ['i2#0'] },
    { name: 'regular containers wait for a running init container', pod: spec('Always', ['i1']), containers: [c('i1', 'running')], start: [] },
    { name: 'regular containers start once init is done', pod: spec('Always', ['i1']), containers: [c('i1', 'exited', 0)], start: ['web#0'] },
    { name: 'a failed init container restarts (Always)', pod: spec('Always', ['i1']), containers: [c('i1', 'exited', 1)], start: ['i1#1'] },
    { name: 'a failed init container does not restart (Never)', pod: spec('Never', ['i1']), containers: [c('i1', 'exited', 1)], start: [] },
    { name: 'a sidecar does not block the next init container once running', pod: spec('Always', ['i1'], ['web'], ['side']), containers: [c('side', 'running')], start: ['i1#0'] },
    { name: 'a crashed sidecar restarts beside running containers', pod: spec('Always', [], ['web'], ['side']), containers: [c('side', 'exited', 1), c('web', 'running')], start: ['side#1'] },
    { name: 'init containers do not rerun after a restart of a regular one', pod: spec('Always', ['i1']), containers: [c('i1', 'exited', 0), c('web', 'exited', 0)], start: ['web#1'] },
    { name: 'Always restarts a container that exited 0', pod: spec('Always'), containers: [c('web', 'exited', 0)], start: ['web#1'] },
    { name: 'OnFailure restarts a failure', pod: spec('OnFailure'), containers: [c('web', 'exited', 2)], start: ['web#1'] },
    { name: 'OnFailure leaves a success', pod: spec('OnFailure'), containers: [c('web', 'exited', 0)], start: [] },
    { name: 'Never leaves a failure', pod: spec('Never'), containers: [c('web', 'exited', 2)], start: [] },
    {
      name: 'a restart within the back-off waits',
      pod: spec('Always'),
      containers: [c('web', 'exited', 1, 1, NOW - 5_000)],
      backoff: [['web', { delayMs: 10_000, lastRestart: NOW - 6_000 }]],
      start: [],
      waiting: ['web'],
    },
    {
      name: 'a restart after the back-off goes ahead',
      pod: spec('Always'),
      containers: [c('web', 'exited', 1, 1, NOW - 10_000)],
      backoff: [['web', { delayMs: 10_000, lastRestart: NOW - 11_000 }]],
      start: ['web#2'],
    },
  ];
  for (const t of cases) {
    it(t.name, () => {
      const plan = planPod({ pod: t.pod, containers: t.containers, backoff: new Map(t.backoff ?? []), limits, now: NOW });
      expect(started(plan)).toEqual(t.start);
      expect([...plan.waiting.keys()]).toEqual(t.waiting ?? []);
    });
  }

  it('records the back-off of a restart and says how long a wait lasts', () => {
    const pod = spec('Always');
    const first = planPod({ pod, containers: [c('web', 'exited', 1)], backoff: new Map(), limits, now: NOW });
    expect(first.backoff.get('web')).toEqual({ delayMs: 10_000, lastRestart: NOW });
    const wait = planPod({ pod, containers: [c('web', 'exited', 1, 1, NOW)], backoff: first.backoff, limits, now: NOW + 1 });
    expect(wait.waiting.get('web')).toEqual({ until: NOW + 10_000, message: 'back-off 10s restarting failed container=web pod=p_default(u1)' });
  });
});
