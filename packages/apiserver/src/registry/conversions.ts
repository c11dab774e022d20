// Resources served as a converted view of another resource's stored objects, as Kubernetes serves
// one stored object under several group-versions: events.k8s.io/v1 Events are core/v1 Events under
// other field names; autoscaling/v1 HorizontalPodAutoscalers are autoscaling/v2 ones with one CPU
// target. A view shares its storage resource's keys; its objects are converted on every read and
// write (codec.ts), and per watcher, since each view sees its own shape.
import { groupVersion, type KObject, type ResourceInfo } from '@mini-kube/api';
import { convertEventFromCore, convertEventToCore } from './events.js';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa-v1.js';

export interface Conversion {
  /** The group-version whose objects are stored ("" is the core group). */
  storage: { group: string; version: string };
  toStorage(obj: KObject): KObject;
  fromStorage(obj: KObject): KObject;
}

/** Keyed by the view's `group/version/plural`. */
const CONVERSIONS: Record<string, Conversion> = {
  'events.k8s.io/v1/events': { storage: { group: '', version: 'v1' }, toStorage: convertEventToCore, fromStorage: convertEventFromCore },
  'autoscaling/v1/horizontalpodautoscalers': { storage: { group: 'autoscaling', version: 'v2' }, toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 },
};

// Asked several times per request (every encode, decode and watch event): answered once per resource.
const known = new WeakMap<ResourceInfo, Conversion | null>();

/** How `r` converts to its stored form, or undefined when `r` is stored as it is served. */
export function conversionFor(r: ResourceInfo): Conversion | undefined {
  let conversion = known.get(r);
  if (conversion === undefined) {
    conversion = CONVERSIONS[`${groupVersion(r)}/${r.plural}`] ?? null;
    known.set(r, conversion);
  }
  return conversion ?? undefined;
}
