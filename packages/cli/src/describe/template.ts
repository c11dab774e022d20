// Pod-template equality as deploymentutil.EqualIgnoreHash: a ReplicaSet's template matches its
// Deployment's when they are equal apart from the pod-template-hash label.

/** Deep equality that ignores key order, treats missing and empty maps/lists alike. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual((a as any)[k], (b as any)[k])) return false;
    return true;
  }
  return a === b;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

/** The template with the pod-template-hash label removed (and its labels map dropped if that empties it). */
export function withoutHash(template: any): any {
  const labels = { ...(template?.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  return { ...template, metadata: { ...template?.metadata, labels } };
}

export function templatesEqual(a: any, b: any): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

/** ReplicaSets controlled by the deployment, split as deploymentutil does: the one matching its template and the rest. */
export function splitReplicaSets(deploy: any, all: any[]): { newRS?: any; oldRSs: any[] } {
  const owned = all.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((r: any) => r.controller && r.uid === deploy.metadata.uid));
  // The oldest matching ReplicaSet wins, like FindNewReplicaSet's sort by creation timestamp.
  const sorted = [...owned].sort((a, b) => Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp) || (a.metadata.name < b.metadata.name ? -1 : 1));
  const newRS = sorted.find((rs) => templatesEqual(rs.spec?.template, deploy.spec?.template));
  return { newRS, oldRSs: owned.filter((rs) => rs !== newRS) };
}
