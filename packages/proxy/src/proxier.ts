// Makes the open listeners follow the planned ones: opens new keys, updates the backends of kept
// ones, closes the rest. A listener that cannot open (address in use) is kept aside for `retry`.
import { ServiceListener } from './listener.js';
import type { ListenerSpec } from './plan.js';
import type { ListenerChanges } from './planner.js';

export type ProxyLog = (message: string) => void;

export class Proxier {
  private readonly listeners = new Map<string, ServiceListener>();
  /** Keys that failed to open: their spec and the last error logged. */
  private readonly failing = new Map<string, { spec: ListenerSpec; message: string }>();

  constructor(private readonly log: ProxyLog = () => undefined) {}

  /** The keys (`address:port`) now listening. */
  get keys(): string[] {
    return [...this.listeners.keys()];
  }

  /** How many listeners failed to open and wait for `retry`. */
  get failures(): number {
    return this.failing.size;
  }

  /** Applies changed keys: a spec opens or updates its listener, undefined closes it. */
  async apply(changes: ListenerChanges): Promise<void> {
    const opening: ListenerSpec[] = [];
    for (const [key, spec] of changes) {
      const open = this.listeners.get(key);
      if (!spec) {
        this.failing.delete(key);
        this.listeners.delete(key);
        open?.close();
      } else if (open) {
        open.update(spec);
      } else {
        opening.push(spec);
      }
    }
    await Promise.all(opening.map((spec) => this.open(spec)));
  }

  /** Tries the listeners that failed to open again. */
  async retry(): Promise<void> {
    await this.apply(new Map([...this.failing.values()].map(({ spec }) => [spec.key, spec])));
  }

  async stop(): Promise<void> {
    const all = [...this.listeners.values()];
    this.listeners.clear();
    this.failing.clear();
    await Promise.all(all.map((l) => l.destroy()));
  }

  private async open(spec: ListenerSpec): Promise<void> {
    const listener = new ServiceListener(spec);
    try {
      await listener.listen();
      this.listeners.set(spec.key, listener);
      this.failing.delete(spec.key);
    } catch (err) {
      const message = `cannot listen on ${spec.key} for ${spec.servicePort}: ${(err as Error).message}`;
      if (this.failing.get(spec.key)?.message !== message) this.log(message);
      this.failing.set(spec.key, { spec, message });
    }
  }
}
