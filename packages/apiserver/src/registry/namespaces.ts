// Namespace deletion: once a namespace is Terminating, its contents are deleted, then the namespace
// itself — what the namespace controller and the "kubernetes" finalizer do in a real cluster.
import { RESOURCES, type KObject } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import { conversionFor } from './conversions.js';
import { objectKey } from './keys.js';
import type { Registry } from './registry.js';

const RETRY_MS = 500;
const NAMESPACED = RESOURCES.filter((r) => r.namespaced && !conversionFor(r));
const NAMESPACES = RESOURCES.find((r) => r.kind === 'Namespace' && r.group === '')!;

export class NamespaceFinalizer {
  private readonly running = new Set<string>();
  private stopped = false;

  constructor(private readonly registry: Registry) {
    registry.onNamespaceTerminating = (name) => this.start(name);
  }

  /** Finishes namespaces left Terminating by a previous run of the daemon. */
  async resume(): Promise<void> {
    const { items } = await this.registry.list(NAMESPACES, undefined);
    for (const ns of items) if (ns.metadata.deletionTimestamp) this.start(ns.metadata.name!);
  }

  stop(): void {
    this.stopped = true;
  }

  start(name: string): void {
    if (this.running.has(name)) return;
    this.running.add(name);
    void this.finalize(name)
      .catch(() => undefined) // retried on the next start or delete call
      .finally(() => this.running.delete(name));
  }

  private async finalize(name: string): Promise<void> {
    while (!this.stopped) {
      if ((await this.deleteContents(name)) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
    }
    if (this.stopped) return;
    const key = objectKey(NAMESPACES, undefined, name);
    const kv = await this.registry.store.get(key);
    if (kv && (JSON.parse(kv.value) as KObject).metadata.deletionTimestamp) await this.registry.store.delete(key, kv.modRevision);
  }

  /** Deletes what is left in the namespace; returns how many objects still remain. */
  private async deleteContents(namespace: string): Promise<number> {
    let remaining = 0;
    for (const r of NAMESPACED) {
      const { items } = await this.registry.list(r, namespace);
      for (const obj of items) {
        try {
          const result = await this.registry.delete(r, namespace, obj.metadata.name!, { warnings: [] }, { gracePeriodSeconds: 0 });
          if (!result.deleted) remaining++;
        } catch (err) {
          if (!(err instanceof StatusError && err.code === 404)) throw err;
        }
      }
    }
    return remaining;
  }
}
