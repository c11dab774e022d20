import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCgroupLayout, parseFlatKeyed } from '../src/process/cgroups-fs.js';
import { Cgroups, limitsOf, wrapForCgroup } from '../src/process/cgroups.js';

const V1_MOUNTS = [
  'tmpfs /sys/fs/cgroup tmpfs rw 0 0',
  'cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,relatime,cpu,cpuacct 0 0',
  'cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0',
  'cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0',
  'cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0',
].join('\n');
const V1_SELF = '8:pids:/\n4:memory:/jobs/42\n2:cpu,cpuacct:/\n0::/';

describe('cgroup layout', () => {
  it('finds the daemon’s own cgroup per v1 controller', () => {
    const layout = parseCgroupLayout(V1_MOUNTS, V1_SELF)!;
    expect(layout.version).toBe(1);
    expect(Object.fromEntries(layout.own)).toEqual({
      memory: '/sys/fs/cgroup/memory/jobs/42',
      cpu: '/sys/fs/cgroup/cpu,cpuacct',
      cpuacct: '/sys/fs/cgroup/cpu,cpuacct',
      pids: '/sys/fs/cgroup/pids',
    });
  });

  it('has no layout without cgroup mounts', () => {
    expect(parseCgroupLayout('proc /proc proc rw 0 0', '0::/')).toBeUndefined();
  });

  it('parses flat keyed files', () => {
    expect(Object.fromEntries(parseFlatKeyed('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n'))).toEqual({ oom_kill_disable: 0, under_oom: 0, oom_kill: 2 });
  });

  it('reads limits from container resources', () => {
    expect(limitsOf({ name: 'c', resources: { limits: { cpu: '250m', memory: '32Mi' } } })).toEqual({ cpuLimitMilli: 250, memoryLimitBytes: 32 * 1024 * 1024 });
    expect(limitsOf({ name: 'c' })).toEqual({});
  });

  it('degrades to no limits with one warning when cgroups are unusable', () => {
    const warnings: string[] = [];
    const cg = new Cgroups(null, (m) => warnings.push(m));
    expect(cg.create('a', { memoryLimitBytes: 1 })).toBe(false);
    expect(cg.create('b', { memoryLimitBytes: 1 })).toBe(false);
    expect(cg.oomKilled('a')).toBe(false);
    expect(warnings).toEqual(['mini-kube: no cgroup hierarchy with the memory controller is mounted: container resource limits are not enforced']);
    expect(cg.unenforcedReason()).toBe('no cgroup hierarchy with the memory controller is mounted');
  });

  it('enforces nothing when turned off, even where cgroups are usable, and says why', () => {
    const cg = new Cgroups(parseCgroupLayout(V1_MOUNTS, V1_SELF), () => undefined, 'turned off');
    expect(cg.available()).toBe(false);
    expect(cg.create('a', { memoryLimitBytes: 1 })).toBe(false);
    expect(cg.unenforcedReason()).toBe('turned off');
  });
});

const real = new Cgroups();
const writable = process.getuid?.() === 0 && real.available();
if (!writable) console.log('cgroups.test: skipping the enforcement tests: cgroups are not writable here (run as root on Linux)');

describe.skipIf(!writable)('cgroup enforcement (root only)', () => {
  it('has limits enforced, so no reason why not', () => expect(real.unenforcedReason()).toBeUndefined());

  const id = `process://test-${process.pid}-${Date.now()}`;
  afterEach(() => real.remove(id));

  it('OOM-kills a process over its memory limit and reports it', () => {
    expect(real.create(id, { memoryLimitBytes: 32 * 1024 * 1024, pidsLimit: 20 })).toBe(true);
    expect(real.oomKilled(id)).toBe(false);
    // wrapForCgroup uses the module's shared instance: same layout, same directories.
    const argv = wrapForCgroup(id, ['python3', '-c', 'b = bytearray(200 * 1024 * 1024); print("survived")']);
    const res = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    expect(res.signal).toBe('SIGKILL');
    expect(res.stdout).toBe('');
    expect(real.oomKilled(id)).toBe(true);
  });

  it('measures usage and lets a small process finish', () => {
    expect(real.create(id, { memoryLimitBytes: 64 * 1024 * 1024, cpuLimitMilli: 500 })).toBe(true);
    const argv = wrapForCgroup(id, ['python3', '-c', 'b = bytearray(20 * 1024 * 1024)\nx = 0\nfor i in range(2000000): x += i\nprint("ok")']);
    const res = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    expect(res.stdout).toBe('ok\n');
    expect(real.oomKilled(id)).toBe(false);
    expect(real.usage(id)!.cpuNanos).toBeGreaterThan(10_000_000);
    real.remove(id);
    expect(real.procsFiles(id).some((f) => existsSync(f))).toBe(false);
  });
});
