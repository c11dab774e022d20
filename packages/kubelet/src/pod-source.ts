// Where a kubelet learns about the pods bound to its node: its own informer with a field selector,
// or, when many kubelets run in one process, one shared pod informer indexed by spec.nodeName whose
// single event handler routes each change to the kubelet of the pod's node.
import { findResource } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { InformerFactory, objectKey, splitKey, type Clock, type Informer } from '@mini-kube/runtime';
import type { Pod } from 'kubernetes-types/core/v1';

export const PODS = findResource('', 'v1', 'pods')!;
const NODE_INDEX = 'spec.nodeName';

type KObjectPod = Pod & { metadata: NonNullable<Pod['metadata']> } & Record<string, unknown>;

export interface PodSource {
  /** The pod with this key if it is bound to our node. */
  get(key: string): Pod | undefined;
  close(): void;
}

/** `updated`: the pod's new state when the change is an update (not an add or a delete). */
type Route = (key: string, updated?: Pod) => void;
const routers = new WeakMap<Informer<KObjectPod>, Map<string, Route>>();

/** One handler per shared informer, dispatching by node name: O(1) per event whatever the node count. */
function routesOf(informer: Informer<KObjectPod>): Map<string, Route> {
  let routes = routers.get(informer);
  if (routes) return routes;
  const table = new Map<string, Route>();
  routers.set(informer, table);
  informer.addIndex(NODE_INDEX, (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []));
  const route = (pod: Pod, updated?: Pod): void => {
    const node = pod.spec?.nodeName;
    if (node) table.get(node)?.(objectKey(pod as KObjectPod), updated);
  };
  informer.addEventHandler({
    onAdd: (pod) => route(pod),
    onUpdate: (old, pod) => {
      const moved = old.spec?.nodeName !== pod.spec?.nodeName;
      route(pod, moved ? undefined : pod);
      if (moved) route(old);
    },
    onDelete: (pod) => route(pod),
  });
  return table;
}

export interface PodSourceOptions {
  client: ApiClient;
  nodeName: string;
  informers?: InformerFactory;
  clock?: Clock;
  signal: AbortSignal;
  onChange: Route;
}

export function podSource(opts: PodSourceOptions): PodSource {
  const { nodeName } = opts;
  if (opts.informers) {
    const informer = opts.informers.informer<KObjectPod>(PODS);
    const routes = routesOf(informer);
    routes.set(nodeName, opts.onChange);
    // Pods cached before this kubelet joined were routed to no one. The caller starts the factory.
    for (const pod of informer.byIndex(NODE_INDEX, nodeName)) opts.onChange(objectKey(pod));
    return {
      get: (key) => {
        const { namespace, name } = splitKey(key);
        const pod = informer.lister.get(namespace, name);
        return pod?.spec?.nodeName === nodeName ? pod : undefined;
      },
      close: () => {
        if (routes.get(nodeName) === opts.onChange) routes.delete(nodeName);
      },
    };
  }
  const factory = new InformerFactory(opts.client, { clock: opts.clock });
  const informer = factory.informer<KObjectPod>(PODS, { fieldSelector: `spec.nodeName=${nodeName}` });
  informer.addEventHandler({
    onAdd: (pod) => opts.onChange(objectKey(pod)),
    onUpdate: (_old, pod) => opts.onChange(objectKey(pod), pod),
    onDelete: (pod) => opts.onChange(objectKey(pod)),
  });
  const stop = new AbortController();
  opts.signal.addEventListener('abort', () => stop.abort(), { once: true });
  factory.start(stop.signal);
  return {
    get: (key) => {
      const { namespace, name } = splitKey(key);
      return informer.lister.get(namespace, name);
    },
    close: () => stop.abort(),
  };
}
