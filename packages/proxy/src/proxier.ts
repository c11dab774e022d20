// Makes the open listeners match the desired ones: opens new keys, updates the backends of kept
// ones, closes the rest. A listener that cannot open (address in use) is retried at the next sync.
import { ServiceListener } from './listener.js';
import type { ListenerSpec } from './plan.js';

export type ProxyLog = (message: string) => void;

export class Proxier {
  private readonly listeners = new Map<string, ServiceListener>();
  private readonly failing = new Map<string, string>();

  constructor(private readonly log: ProxyLog = () => undefined) {}

  /** The keys (`address:port`) now listening. */
  get keys(): string[] {
    return [...this.listeners.keys()];
  }

  /** Syncs the listeners; returns how many failed to open. */
  async sync(specs: ListenerSpec[]): Promise<number> {
    const wanted = new Map(specs.map((s) => [s.key, s]));
    const closing: Promise<void>[] = [];
    for (const [key, listener] of this.listeners) {
      if (wanted.has(key)) continue;
      this.listeners.delete(key);
      closing.push(listener.close());
    }
    await Promise.all(closing);
    let failures = 0;
    await Promise.all(
      [...wanted.values()].map(async (spec) => {
        const open = this.listeners.get(spec.key);
        if (open) return open.update(spec);
        const listener = new ServiceListener(spec);
        try {
          await listener.listen();
          this.listeners.set(spec.key, listener);
          this.failing.delete(spec.key);
        } catch (err) {
          failures++;
          const message = `cannot listen on ${spec.key} for ${spec.servicePort}: ${(err as Error).message}`;
          if (this.failing.get(spec.key) !== message) this.log(message);
          this.failing.set(spec.key, message);
        }
      }),
    );
    return failures;
  }

  async stop(): Promise<void> {
    const all = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(all.map((l) => l.destroy()));
  }
}
