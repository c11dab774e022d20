// Chooses the backend of each new connection: round robin over the current backends, skipping those
// that just refused; with ClientIP affinity a client keeps its backend until it has been idle for
// the timeout (or the backend is gone).
import type { Backend } from './plan.js';

const id = (b: Backend): string => `${b.ip}:${b.port}`;

export class Balancer {
  private backends: Backend[] = [];
  private next = 0;
  private readonly affinity = new Map<string, { backend: string; lastUsed: number }>();

  constructor(
    private affinityTimeoutMs: number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  update(backends: Backend[], affinityTimeoutMs: number | undefined): void {
    this.backends = backends;
    this.affinityTimeoutMs = affinityTimeoutMs;
    if (!affinityTimeoutMs) this.affinity.clear();
  }

  get size(): number {
    return this.backends.length;
  }

  /** The backend for a new connection from `client`, avoiding `tried`; undefined when none is left. */
  pick(client: string, tried: ReadonlySet<string> = new Set()): Backend | undefined {
    const now = this.now();
    if (this.affinityTimeoutMs) {
      const sticky = this.affinity.get(client);
      const backend = sticky && now - sticky.lastUsed <= this.affinityTimeoutMs ? this.backends.find((b) => id(b) === sticky.backend) : undefined;
      if (backend && !tried.has(id(backend))) {
        sticky!.lastUsed = now;
        return backend;
      }
    }
    for (let i = 0; i < this.backends.length; i++) {
      const backend = this.backends[(this.next + i) % this.backends.length]!;
      if (tried.has(id(backend))) continue;
      this.next = (this.next + i + 1) % this.backends.length;
      if (this.affinityTimeoutMs) this.affinity.set(client, { backend: id(backend), lastUsed: now });
      return backend;
    }
    return undefined;
  }
}

export const backendId = id;
