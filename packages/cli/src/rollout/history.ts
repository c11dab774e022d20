// Revision history of a Deployment (its controlled ReplicaSets by revision annotation), the
// rollback patch kubectl sends, and `history --diff`: what changed between consecutive templates.
import { withoutHash } from '../describe/template.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

export interface Revision {
  revision: number;
  rs: any;
}

/** ReplicaSets controlled by the deployment, by revision ascending. */
export function revisions(deploy: any, replicaSets: any[]): Revision[] {
  return replicaSets
    .filter((rs) => (rs.metadata?.ownerReferences ?? []).some((r: any) => r.controller && r.uid === deploy.metadata.uid))
    .map((rs) => ({ revision: Number(rs.metadata.annotations?.[REVISION] ?? 0), rs }))
    .sort((a, b) => a.revision - b.revision);
}

/** The pod template as the user wrote it: no pod-template-hash label, no creation timestamp. */
export function cleanTemplate(rs: any): any {
  const t = withoutHash(rs.spec?.template ?? {});
  const { creationTimestamp: _ts, ...metadata } = t.metadata ?? {};
  if (Object.keys(metadata.labels ?? {}).length === 0) delete metadata.labels;
  return { ...t, metadata };
}

/** Annotations kept from the deployment on rollback; every other one comes from the chosen ReplicaSet. */
const KEEP_FROM_DEPLOYMENT = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to']);

export function rollbackPatch(deploy: any, rs: any): unknown[] {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(deploy.metadata.annotations ?? {})) if (KEEP_FROM_DEPLOYMENT.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries<string>(rs.metadata.annotations ?? {})) if (!KEEP_FROM_DEPLOYMENT.has(k)) annotations[k] = v;
  return [
    { op: 'replace', path: '/spec/template', value: { ...cleanTemplate(rs), metadata: { creationTimestamp: null, ...cleanTemplate(rs).metadata } } },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
}

/** Leaf paths of a template; list items with a `name` are keyed by it so reordering reads well. */
export function flatten(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    const named = value.every((v) => v && typeof v === 'object' && typeof (v as any).name === 'string');
    value.forEach((v, i) => flatten(v, `${path}[${named ? (v as any).name : i}]`, out));
    if (value.length === 0) out.set(path, '[]');
  } else if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    for (const k of keys) flatten((value as any)[k], path ? `${path}.${k}` : k, out);
    if (keys.length === 0 && path) out.set(path, '{}');
  } else if (value !== undefined) {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

export interface Change {
  path: string;
  from?: string;
  to?: string;
}

export function diffTemplates(a: any, b: any): Change[] {
  const before = flatten(a);
  const after = flatten(b);
  const changes: Change[] = [];
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const from = before.get(path);
    const to = after.get(path);
    if (from !== to) changes.push({ path, from, to });
  }
  return changes;
}

export function formatChanges(from: number, to: number, changes: Change[]): string {
  let text = `Revision ${from} -> ${to}:\n`;
  if (!changes.length) return `${text}  (no template changes)\n`;
  for (const c of changes) {
    if (c.from === undefined) text += `  + ${c.path}: ${c.to}\n`;
    else if (c.to === undefined) text += `  - ${c.path}: ${c.from}\n`;
    else text += `  ~ ${c.path}: ${c.from} -> ${c.to}\n`;
  }
  return text;
}
