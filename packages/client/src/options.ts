// Options of the resource-level calls; the names are those of the query parameters they become.

export interface NamespaceOption {
  namespace?: string;
}

export interface ListOptions extends NamespaceOption {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface WatchOptions extends NamespaceOption {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  signal?: AbortSignal;
  /**
   * Client-side, not sent: the objects of the events come without metadata.managedFields, which
   * are then never decoded (for callers that drop them, like informers).
   */
  omitManagedFields?: boolean;
}

export interface WriteOptions extends NamespaceOption {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

/**
 * Asks a write not to decode the server's answer, for callers that drop it (events, bindings):
 * the status is still checked and failures throw as usual; the call resolves to undefined.
 */
export interface DiscardResult {
  discardResult: true;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  // Server-side apply takes YAML; JSON is YAML, so objects are sent as JSON.
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions extends WriteOptions {
  type?: PatchType; // default 'merge'
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
  /** Patch a subresource instead, e.g. 'status' or 'scale'. */
  subresource?: string;
}

export interface DeleteOptions extends NamespaceOption {
  dryRun?: boolean;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteCollectionOptions extends DeleteOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface LogOptions extends NamespaceOption {
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  previous?: boolean;
  limitBytes?: number;
}
