// core/v1 Event <-> events.k8s.io/v1 Event. One stored object, two sets of field names.
import type { KObject } from '@mini-kube/api';

// events.k8s.io name -> core/v1 name
const RENAMES: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(obj: KObject, from: 0 | 1, apiVersion: string): KObject {
  const out: KObject = { ...obj, apiVersion, kind: 'Event' };
  for (const pair of RENAMES) {
    const [src, dst] = [pair[from], pair[1 - from]!];
    if (src in out) {
      out[dst] = out[src];
      delete out[src];
    }
  }
  // series.count/lastObservedTime are the same in both; core's reportingComponent is
  // events.k8s.io's reportingController.
  if (from === 0 && 'reportingController' in out) {
    out.reportingComponent = out.reportingController;
    delete out.reportingController;
  } else if (from === 1 && 'reportingComponent' in out) {
    out.reportingController = out.reportingComponent;
    delete out.reportingComponent;
  }
  return out;
}

export const convertEventToCore = (obj: KObject): KObject => rename(obj, 0, 'v1');
export const convertEventFromCore = (obj: KObject): KObject => rename(obj, 1, 'events.k8s.io/v1');
