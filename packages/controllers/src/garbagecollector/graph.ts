// The ownership graph, read from the shared informers' caches: an index of every object by the
// uids of its owners gives an owner's dependents; owners are found by kind, namespace and name.
import type { KObject, OwnerReference, ResourceInfo } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import type { Informer, InformerFactory } from '@mini-kube/runtime';
import { liveOwnerState, type OwnerState } from './plan.js';
import { GC_RESOURCES, resolveOwnerResource, resourceId } from './resources.js';

const OWNER_UID_INDEX = 'garbagecollector/owner-uid';

export interface Dependent {
  resource: ResourceInfo;
  obj: KObject;
}

export class OwnershipGraph {
  private readonly informers = new Map<string, Informer>();

  /** Creates (or joins) one informer per resource; call before the factory starts. */
  constructor(
    factory: InformerFactory,
    private readonly client: ApiClient,
  ) {
    for (const r of GC_RESOURCES) {
      const informer = factory.informer<KObject>(r);
      informer.addIndex(OWNER_UID_INDEX, (obj) => (obj.metadata.ownerReferences ?? []).map((ref) => ref.uid));
      this.informers.set(resourceId(r), informer);
    }
  }

  all(): Informer[] {
    return [...this.informers.values()];
  }

  informer(id: string): Informer | undefined {
    return this.informers.get(id);
  }

  /** Objects that name `owner` (by uid) among their owners; a namespaced owner's are in its namespace. */
  dependentsOf(owner: KObject): Dependent[] {
    const uid = owner.metadata.uid;
    if (!uid) return [];
    const namespace = owner.metadata.namespace;
    const found: Dependent[] = [];
    for (const informer of this.informers.values()) {
      for (const obj of informer.byIndex(OWNER_UID_INDEX, uid)) {
        if (!namespace || obj.metadata.namespace === namespace) found.push({ resource: informer.resource, obj });
      }
    }
    return found;
  }

  /** Where the owner named by `ref` of an object in `namespace` lives, if it is a kind we know. */
  ownerLocation(ref: OwnerReference, namespace: string | undefined): { resource: ResourceInfo; namespace?: string } | undefined {
    const resource = resolveOwnerResource(ref.apiVersion, ref.kind);
    if (!resource) return undefined;
    // A cluster-scoped object cannot be owned by a namespaced one: such a reference is unresolvable.
    if (resource.namespaced && !namespace) return undefined;
    return { resource, namespace: resource.namespaced ? namespace : undefined };
  }

  /**
   * The state of each owner of `obj`. The cache answers when it holds the owner; an owner it
   * lacks (or holds under another uid) is confirmed with the API server, since the cache may lag.
   * Unresolvable references are left out, which counts them as solid.
   */
  async ownerStates(obj: KObject): Promise<Map<string, OwnerState>> {
    const states = new Map<string, OwnerState>();
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const where = this.ownerLocation(ref, obj.metadata.namespace);
      if (!where) continue;
      const cached = this.informers.get(resourceId(where.resource))?.lister.get(where.namespace, ref.name);
      if (cached?.metadata.uid === ref.uid) {
        states.set(ref.uid, liveOwnerState(cached));
        continue;
      }
      states.set(ref.uid, await this.liveState(ref, where));
    }
    return states;
  }

  private async liveState(ref: OwnerReference, where: { resource: ResourceInfo; namespace?: string }): Promise<OwnerState> {
    try {
      const live = await this.client.get(where.resource, ref.name, { namespace: where.namespace });
      return live.metadata.uid === ref.uid ? liveOwnerState(live) : 'dangling';
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return 'dangling';
      throw err;
    }
  }
}
