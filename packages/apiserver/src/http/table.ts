// meta.k8s.io/v1 Table responses: kubectl asks the server to lay out `kubectl get` (kubectl-wire §5).
import type { KObject, ResourceInfo } from '@mini-kube/api';
import { tableConvertorFor } from '../tables/index.js';

export type IncludeObject = 'None' | 'Object' | 'Metadata';

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && accept.includes('as=Table') && accept.includes('g=meta.k8s.io');
}

function partialObjectMetadata(obj: KObject): KObject {
  const { managedFields: _mf, ...metadata } = obj.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

export function toTable(
  r: ResourceInfo,
  objects: KObject[],
  options: { includeObject?: IncludeObject; resourceVersion?: string; continue?: string; withColumns?: boolean; now?: number },
): Record<string, unknown> {
  const convertor = tableConvertorFor(r.group, r.kind);
  const now = options.now ?? Date.now();
  const include = options.includeObject ?? 'Metadata';
  const rows = objects.map((obj) => {
    const row: Record<string, unknown> = { cells: convertor.cells(obj, now) };
    if (include === 'Object') row.object = obj;
    else if (include === 'Metadata') row.object = partialObjectMetadata(obj);
    return row;
  });
  const metadata: Record<string, string> = {};
  if (options.resourceVersion) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.withColumns === false ? [] : convertor.columns,
    rows,
  };
}
