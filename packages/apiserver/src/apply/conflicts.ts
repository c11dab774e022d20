// The 409 an apply gets when it would change fields other managers own, worded as the real
// server words it (k8s.io/apimachinery managedfields/internal/conflict.go).
import { StatusError } from '@mini-kube/machinery';
import { pathToString } from './fieldset.js';
import type { Conflict } from './managers.js';

export function conflictError(conflicts: readonly Conflict[]): StatusError {
  const sorted = [...conflicts].sort((a, b) => (a.managerId < b.managerId ? -1 : a.managerId > b.managerId ? 1 : 0));
  const causes = sorted.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.managerId)}`,
    field: pathToString(c.path),
  }));
  return new StatusError(409, 'Conflict', conflictMessage(sorted), { causes });
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const [c] = conflicts as [Conflict];
    return `Apply failed with 1 conflict: conflict with ${printManager(c.managerId)}: ${pathToString(c.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.managerId, [...(byManager.get(c.managerId) ?? []), pathToString(c.path)]);
  const lines: string[] = [];
  for (const [id, paths] of byManager) {
    lines.push(`conflicts with ${printManager(id)}:`, ...paths.map((p) => `- ${p}`));
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** `"kubectl"`, `"kubelet" with subresource "status"`, `"kubectl-edit" using apps/v1`. */
function printManager(id: string): string {
  const m = JSON.parse(id) as { manager?: string; operation?: string; apiVersion?: string; subresource?: string };
  let out = JSON.stringify(m.manager ?? '');
  if (m.subresource) out += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') out += ` using ${m.apiVersion ?? ''}`;
  return out;
}
