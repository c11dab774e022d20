// Small formatters the printers share: label maps and selectors as kubectl prints them, container
// lists, load-balancer addresses and the "a,b,c + N more..." truncation.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { Container } from 'kubernetes-types/core/v1';

/** labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** labels.Selector.String() of a LabelSelector: requirements sorted by key, "" when it selects all or nothing. */
export function selectorString(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, text: `${key}=${value}` });
  }
  for (const expr of selector.matchExpressions ?? []) {
    requirements.push({ key: expr.key, text: requirementText(expr.key, expr.operator, expr.values ?? []) });
  }
  // A stable sort by key, as labels.internalSelector sorts its requirements.
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return requirements.map((r) => r.text).join(',');
}

function requirementText(key: string, operator: string, values: string[]): string {
  const list = [...new Set(values)].sort().join(',');
  switch (operator) {
    case 'In':
      return `${key} in (${list})`;
    case 'NotIn':
      return `${key} notin (${list})`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    default:
      return `${key} ${operator} (${list})`;
  }
}

/** metav1.FormatLabelSelector: like selectorString but `<none>` when empty. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  return selectorString(selector) || '<none>';
}

/** Container names and images, each comma-joined. */
export function containerCells(containers: Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** Load-balancer ingress points: distinct IPs (else hostnames), sorted, comma-joined. The server prints wide, so no clipping. */
export function loadBalancerAddresses(ingress: { ip?: string; hostname?: string }[] | undefined): string {
  const points = new Set<string>();
  for (const point of ingress ?? []) {
    if (point.ip) points.add(point.ip);
    else if (point.hostname) points.add(point.hostname);
  }
  return [...points].sort().join(',');
}

/** The first `max` entries, then ` + N more...`; `<unset>` when there are none. */
export function listWithMore(list: string[], total: number, max = 3): string {
  const shown = list.slice(0, max).join(',');
  if (total > max) return `${shown} + ${total - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** An optional bool as the real printer shows it: True, False or <unset>. */
export function boolPtr(value: boolean | undefined): string {
  if (value === undefined) return '<unset>';
  return value ? 'True' : 'False';
}
