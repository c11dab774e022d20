// startDaemon's process handling, exercised with a stand-in daemon script (the real one is
// covered by the end-to-end tests).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startDaemon } from '../src/index.js';

const bin = fileURLToPath(new URL('./fixtures/fake-daemon.mjs', import.meta.url));

// A killed process whose parent is gone may linger as a zombie until init reaps it: that counts as dead.
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('startDaemon', () => {
  it('waits for readiness, exposes a client, and stop() ends the daemon with the processes it started', async () => {
    const daemon = await startDaemon({ bin, env: { FAKE_DAEMON_MODE: 'slow-ready' } });
    expect(daemon.kubeconfig).toBe(`${daemon.dataDir}/kubeconfig`);
    expect(daemon.url).toBe(`http://127.0.0.1:${daemon.port}`);
    expect((await daemon.client.request('GET', '/readyz')).text).toBe('ok');
    const podPid = Number((await daemon.client.request('GET', '/pod')).text);
    expect(alive(podPid)).toBe(true);

    expect(await daemon.stop()).toBe(0);
    expect(alive(daemon.pid)).toBe(false);
    expect(alive(podPid)).toBe(false);
    expect(daemon.output()).toContain('fake daemon: stopping');
  });

  it('kill() ends only the daemon, and a restart reuses the data dir', async () => {
    const first = await startDaemon({ bin });
    await first.kill();
    expect(alive(first.pid)).toBe(false);
    expect(await first.stop()).toBe(137); // already dead by SIGKILL: 128 + 9
    const second = await startDaemon({ bin, dataDir: first.dataDir });
    expect(second.kubeconfig).toBe(first.kubeconfig);
    expect(second.pid).not.toBe(first.pid);
    expect(existsSync(second.kubeconfig)).toBe(true);
    expect(await second.stop()).toBe(0);
  });

  it('fails with the daemon output when it exits before it is ready', async () => {
    await expect(startDaemon({ bin, env: { FAKE_DAEMON_MODE: 'crash' } })).rejects.toThrow(
      /exited with code 3 before it was ready[\s\S]*crashing on purpose/,
    );
  });
});
