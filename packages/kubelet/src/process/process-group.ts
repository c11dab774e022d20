// Container processes, each the leader of its own process group (and session), so that a signal
// reaches everything the container started. A watchdog — one small `sh` per runtime, in a group of
// its own — keeps the list of live groups from a pipe; when the pipe closes because the daemon died
// (even by SIGKILL), it kills every group still listed. No container outlives its daemon.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const WATCHDOG = `trap '' INT TERM HUP QUIT
groups=""
while read -r op id; do
  case "$op" in
    add) groups="$groups $id" ;;
    del) kept=""; for g in $groups; do [ "$g" = "$id" ] || kept="$kept $g"; done; groups="$kept" ;;
  esac
done
for g in $groups; do kill -KILL "-$g" 2>/dev/null; done`;

/** Sends `signal` to the process group led by `pid`; false when it is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group led by `pid` is alive. */
export const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

export class ProcessGroups {
  private watchdog: ChildProcess | undefined;
  private readonly live = new Set<number>();

  /** Starts `argv` detached (a new session and group), its group registered with the watchdog. */
  spawn(argv: readonly string[], opts: Omit<SpawnOptions, 'detached'>): ChildProcess {
    const child = spawn(argv[0]!, argv.slice(1), { ...opts, detached: true });
    const pid = child.pid;
    if (pid !== undefined) {
      this.live.add(pid);
      this.tell(`add ${pid}`);
    }
    return child;
  }

  /** The group led by `pid` is done: kills what is left of it and unlists it. */
  reap(pid: number): void {
    signalGroup(pid, 'SIGKILL');
    if (this.live.delete(pid)) this.tell(`del ${pid}`);
  }

  /** SIGTERM to every live group, SIGKILL after `graceMs` to what is left; stops the watchdog. */
  async shutdown(graceMs: number): Promise<void> {
    const groups = [...this.live];
    for (const pid of groups) signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groups.some(groupAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const pid of groups) this.reap(pid);
    this.watchdog?.stdin?.end();
    this.watchdog = undefined;
  }

  private tell(line: string): void {
    if (!this.watchdog) {
      this.watchdog = spawn('sh', ['-c', WATCHDOG], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
      this.watchdog.unref();
      this.watchdog.on('error', () => undefined); // no sh: groups are still killed on a clean shutdown
      this.watchdog.stdin?.on('error', () => undefined);
      (this.watchdog.stdin as unknown as { unref?: () => void }).unref?.();
    }
    this.watchdog.stdin?.write(line + '\n');
  }
}
