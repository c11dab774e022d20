import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { waitFor } from '@mini-kube/testing';
import { LeaderElector, type LeaderElectorOptions } from '../src/index.js';
import { LEASES, startApi, type TestApi } from './harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

interface Lease extends KObject {
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

const timing = { leaseDurationMs: 1000, renewDeadlineMs: 600, retryPeriodMs: 100 };
const getLease = (name: string) => api.client.get<Lease>(LEASES, name, { namespace: 'kube-system' });

/** Runs one candidate, recording when it starts and stops leading. */
function candidate(identity: string, opts: Partial<LeaderElectorOptions> & { name: string }) {
  const abort = new AbortController();
  const state = { leading: false, startedAt: 0, leaderSignal: undefined as AbortSignal | undefined, stopped: 0 };
  const elector = new LeaderElector(api.client, { identity, ...timing, ...opts });
  const done = elector.run(abort.signal, {
    onStartedLeading(leaderSignal) {
      state.leading = true;
      state.startedAt = Date.now();
      state.leaderSignal = leaderSignal;
    },
    onStoppedLeading() {
      state.leading = false;
      state.stopped++;
    },
  });
  return { elector, state, stop: () => abort.abort(), done };
}

describe('LeaderElector', () => {
  it('lets one of two candidates lead; the other takes over once the leader stops renewing', async () => {
    const a = candidate('a', { name: 'takeover', releaseOnCancel: false });
    await waitFor(() => a.state.leading, { intervalMs: 10 });
    const b = candidate('b', { name: 'takeover' });
    try {
      const first = await getLease('takeover');
      expect(first.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 1, leaseTransitions: 0 });
      expect(first.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      // b keeps trying while a renews, and never leads.
      await waitFor(async () => (await getLease('takeover')).spec.renewTime !== first.spec.renewTime, { intervalMs: 20 });
      expect(b.state.leading).toBe(false);

      const stoppedAt = Date.now();
      a.stop(); // a stops renewing without releasing: b must wait for the lease to expire
      await a.done;
      expect(a.state.leaderSignal?.aborted).toBe(true);
      expect(a.state.stopped).toBe(1);
      await waitFor(() => b.state.leading, { intervalMs: 10, timeoutMs: 5000 });
      expect(b.state.startedAt - stoppedAt).toBeGreaterThanOrEqual(timing.leaseDurationMs - timing.retryPeriodMs * 2);
      const taken = await getLease('takeover');
      expect(taken.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
      expect(b.elector.isLeader()).toBe(true);
    } finally {
      a.stop();
      b.stop();
      await Promise.all([a.done, b.done]);
    }
  });

  it('releases the lease on cancel so that the next candidate leads without waiting', async () => {
    const a = candidate('a', { name: 'release', leaseDurationMs: 30_000, renewDeadlineMs: 20_000 });
    await waitFor(() => a.state.leading, { intervalMs: 10 });
    const b = candidate('b', { name: 'release', leaseDurationMs: 30_000, renewDeadlineMs: 20_000 });
    try {
      a.stop();
      await a.done;
      await waitFor(() => b.state.leading, { intervalMs: 10, timeoutMs: 3000 }); // far less than 30 s
      expect((await getLease('release')).spec.holderIdentity).toBe('b');
    } finally {
      b.stop();
      await b.done;
    }
  });
});
