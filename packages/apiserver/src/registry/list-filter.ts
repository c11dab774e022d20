// Label and field selectors, and continue tokens, for list and watch.
import type { KObject, ResourceInfo } from '@mini-kube/api';
import { badRequest, parseFieldSelector, parseSelector } from '@mini-kube/machinery';

/** Fields each kind can be selected by, beyond metadata.name and metadata.namespace. */
const SELECTABLE_FIELDS: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
    // events.k8s.io spellings
    'regarding.kind',
    'regarding.namespace',
    'regarding.name',
    'regarding.uid',
    'regarding.apiVersion',
  ],
  Secret: ['type'],
  Node: ['spec.unschedulable'],
  Namespace: ['status.phase'],
  ReplicaSet: ['status.replicas'],
  Job: ['status.successful'],
  Service: ['spec.clusterIP', 'spec.type'],
};

function fieldValue(obj: KObject, field: string): string {
  let cur: unknown = obj;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return field === 'spec.unschedulable' || field === 'spec.hostNetwork' ? 'false' : '';
  if (field === 'source' && typeof cur === 'object') return String((cur as { component?: string }).component ?? '');
  return String(cur);
}

export type ObjectFilter = (obj: KObject) => boolean;

/** Builds the predicate for `labelSelector` and `fieldSelector`; undefined means "everything". */
export function buildFilter(r: ResourceInfo, labelSelector?: string, fieldSelector?: string): ObjectFilter | undefined {
  const labels = labelSelector ? parseSelector(labelSelector) : undefined;
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  if (fields) {
    const allowed = SELECTABLE_FIELDS[r.kind] ?? [];
    for (const req of fields.requirements) {
      if (req.field !== 'metadata.name' && req.field !== 'metadata.namespace' && !allowed.includes(req.field)) {
        throw badRequest(`field label not supported: ${req.field}`);
      }
    }
  }
  if (!labels && !fields) return undefined;
  return (obj) =>
    (!labels || labels.matches(obj.metadata.labels)) && (!fields || fields.matches((field) => fieldValue(obj, field)));
}

// Continue tokens carry the key to resume after, as the real server's do (base64 JSON).
interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

export function encodeContinue(revision: number, lastKey: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv: revision, start: lastKey };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.start !== 'string' || !Number.isInteger(parsed.rv)) throw new Error('bad version');
    return parsed;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}
