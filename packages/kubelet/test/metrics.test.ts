// Usage measurement (/proc of a real process group), CPU rates, and the kubelet's stats summary over
// the sim runtime's declared usage.
import type { Pod } from 'kubernetes-types/core/v1';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SimRuntime } from '../src/index.js';
import { parseProcStat, processGroupUsage } from '../src/process/metrics-proc.js';
import { CpuRates, statsSummary } from '../src/process/metrics.js';

describe('/proc usage', () => {
  it('parses a stat line whose command holds spaces and parentheses', () => {
    const line = '4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 12345 10000000 768 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ pgrp: 4242, cpuTicks: 300, rssPages: 768 });
  });

  it('sums the CPU time and memory of a real process group', async () => {
    const child = spawn('sh', ['-c', 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 5'], { detached: true, stdio: 'ignore' });
    try {
      let usage = processGroupUsage(child.pid!);
      const until = Date.now() + 5000;
      while ((usage?.cpuNanos ?? 0) === 0 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 50));
        usage = processGroupUsage(child.pid!);
      }
      expect(usage!.cpuNanos).toBeGreaterThan(0);
      expect(usage!.memoryBytes).toBeGreaterThan(100 * 1024);
    } finally {
      process.kill(-child.pid!, 'SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    expect(processGroupUsage(child.pid!)).toBeUndefined();
  });
});

describe('CpuRates', () => {
  const at = (cpuSeconds: number) => ({ cpuNanos: cpuSeconds * 1e9, memoryBytes: 0 });
  it('averages cumulative CPU time over at least the rate window', () => {
    const rates = new CpuRates();
    const start = 1_000;
    expect(rates.rate('a', at(0.5), start + 1_000, start)).toBe(500_000_000); // 0.5 s in 1 s since start
    expect(rates.rate('a', at(0.6), start + 1_100, start)).toBe(545_454_545); // still since start: no jump on a quick re-scrape
    expect(rates.rate('a', at(5), start + 10_000, start)).toBe(500_000_000); // the window moves on here
    expect(rates.rate('a', at(7), start + 20_000, start)).toBe(350_000_000); // 7 s over 20 s since start
    expect(rates.rate('a', at(8), start + 21_000, start)).toBe(272_727_273); // (8 - 5) s over the 11 s since the last move
    rates.retain(new Set());
    expect(rates.rate('a', at(8), start + 21_000, start)).toBe(380_952_381); // forgotten: 8 s over the 21 s since start
  });
});

describe('stats summary', () => {
  it('reports the sim runtime’s declared usage per container, pod and node', async () => {
    const runtime = new SimRuntime({ startDelayMs: 0 });
    const pod: Pod = {
      metadata: { name: 'web', namespace: 'default', uid: 'u1', annotations: { 'sim.mini-kube.io/usage-cpu': '250m', 'sim.mini-kube.io/usage-memory': '64Mi' } },
      spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'nginx' }] },
    };
    await runtime.startSandbox(pod, { podIP: '10.0.0.2', hostIP: '10.0.0.1' });
    for (const c of pod.spec!.containers) await runtime.startContainer(pod, c, { attempt: 0, init: false });
    await new Promise((r) => setTimeout(r, 20)); // the sim starts containers on a 0 ms timer
    const summary = statsSummary({ nodeName: 'n1', nodeStartTime: 0, pods: [pod], runtime, rates: new CpuRates(), now: Date.parse('2025-01-01T00:00:10Z') });
    await runtime.close();
    expect(summary.pods).toHaveLength(1);
    expect(summary.pods[0]!.podRef).toEqual({ name: 'web', namespace: 'default', uid: 'u1' });
    expect(summary.pods[0]!.containers.map((c) => [c.name, c.cpu.usageNanoCores, c.memory.workingSetBytes])).toEqual([
      ['a', 250_000_000, 64 * 1024 * 1024],
      ['b', 250_000_000, 64 * 1024 * 1024],
    ]);
    expect(summary.node).toMatchObject({ nodeName: 'n1', cpu: { usageNanoCores: 500_000_000, time: '2025-01-01T00:00:10Z' }, memory: { workingSetBytes: 128 * 1024 * 1024 } });
  });
});
