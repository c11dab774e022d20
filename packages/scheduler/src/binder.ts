// Binds pods to nodes through the API, several at a time: the scheduling loop only waits when
// `maxInFlight` bindings are already outstanding.
import type { ResourceInfo } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';

export class Binder {
  private inFlight = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly client: ApiClient,
    private readonly pods: ResourceInfo,
    private readonly maxInFlight: number,
  ) {}

  /** Resolves once there is room for another binding. */
  async slot(): Promise<void> {
    while (this.inFlight >= this.maxInFlight) await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
  }

  /** Starts a binding; `done` gets its outcome (undefined on success). */
  bind(namespace: string, name: string, nodeName: string, done: (err: unknown) => void): void {
    this.inFlight++;
    const body = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    this.client
      .createSubresource(this.pods, name, 'binding', body, { namespace, discardResult: true })
      .then(
        () => done(undefined),
        (err: unknown) => done(err),
      )
      .finally(() => {
        this.inFlight--;
        this.slotWaiters.shift()?.();
        if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
  }

  /** Resolves when no binding is outstanding. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
