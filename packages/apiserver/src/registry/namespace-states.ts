// Which namespaces exist and which are terminating, kept in memory from a watch on the store, so
// that creating a namespaced object does not read its namespace from the store each time.
import type { KObject } from '@mini-kube/api';
import type { Store, Watch } from '@mini-kube/store';

const PREFIX = '/registry/core/namespaces/';

export type NamespaceState = 'active' | 'terminating';

const stateOf = (value: string): NamespaceState =>
  (JSON.parse(value) as KObject).metadata.deletionTimestamp ? 'terminating' : 'active';

export class NamespaceStates {
  private readonly states = new Map<string, NamespaceState>();
  private loading?: Promise<void>;
  private watch?: Watch;

  constructor(private readonly store: Store) {}

  async get(name: string): Promise<NamespaceState | undefined> {
    await (this.loading ??= this.load());
    return this.states.get(name);
  }

  close(): void {
    this.watch?.close();
  }

  private async load(): Promise<void> {
    const page = await this.store.list(PREFIX);
    for (const kv of page.items) this.states.set(kv.key.slice(PREFIX.length), stateOf(kv.value));
    // Store events are delivered synchronously on commit, so a namespace is known here before
    // its create returns.
    this.watch = this.store.watch(
      PREFIX,
      { fromRevision: page.revision },
      (event) => {
        const name = event.kv.key.slice(PREFIX.length);
        if (event.type === 'delete') this.states.delete(name);
        else this.states.set(name, stateOf(event.kv.value));
      },
      () => {
        // The watch failed: start again from a fresh list on the next lookup.
        this.states.clear();
        this.loading = undefined;
      },
    );
  }
}
